// Sizes of the bundle's files as they travel: raw, gzip -9 and brotli -11 (window 22).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bytes of `bytes` compressed by gzip -9 and by brotli -11. */
export function compressed(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 22,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** Every file under `dist`, by its path there, with its sizes (the build's own `.br` and
 * `.gz` forms of them left out: they are what the sizes measure). */
export function bundleSizes(dist) {
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/\.(br|gz)$/.test(entry.name)) files.push({ file: relative(dist, path), ...compressed(readFileSync(path)) });
    }
  };
  walk(dist);
  return files.sort((a, b) => b.brotli - a.brotli);
}

/**
 * The bundle files a page's visit downloaded (its scripts, wasm and stylesheets), from the
 * visit's responses, matched to `files` by name.
 */
export function initialDownload(responses, files) {
  const byName = new Map(files.map((f) => [f.file.split('/').pop(), f]));
  const seen = new Set();
  const fetched = [];
  for (const { url } of responses) {
    const name = new URL(url).pathname.split('/').pop();
    const file = byName.get(name);
    if (file && /\.(js|wasm|css)$/.test(name) && !seen.has(name)) {
      seen.add(name);
      fetched.push(file);
    }
  }
  const total = (key) => fetched.reduce((sum, f) => sum + f[key], 0);
  return { files: fetched, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') };
}
