// Trunk's post-build hook: minifies the app's JavaScript glue (wasm-bindgen's output), which
// Trunk's own minifier cannot parse (it stops at `export default`), and writes the new
// Subresource Integrity digest into index.html, whose preload link checks it; then writes the
// compressed forms of the files the server sends (precompress.mjs). Release builds only; a
// debug build keeps the readable glue and is compressed by the server as it goes.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { minify } from 'terser';

import { precompress } from './precompress.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run by Trunk as a post_build hook: TRUNK_STAGING_DIR is not set');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const digest = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
// The glue is the module index.html preloads; other scripts (the embed's) are ours, small and
// already written to be read.
const glue = readdirSync(staging).filter((name) => name.endsWith('.js') && index.includes(`/${name}`) && index.includes('modulepreload'));
if (glue.length !== 1) throw new Error(`expected one preloaded app script in ${staging}, found: ${glue.join(', ') || 'none'}`);
const path = join(staging, glue[0]);
const source = readFileSync(path, 'utf8');
const { code } = await minify(source, { module: true, compress: true, mangle: true });
if (!code) throw new Error(`terser gave nothing for ${glue[0]}`);
const before = digest(source);
if (!index.includes(before)) throw new Error(`index.html does not name ${glue[0]}'s digest ${before}`);
writeFileSync(path, code);
index = index.replaceAll(before, digest(code));
writeFileSync(indexPath, index);
console.log(`minified ${glue[0]}: ${source.length} → ${code.length} bytes`);
// Last, once every file has its final bytes.
console.log(`precompressed ${precompress(staging)} files (.br, .gz)`);
