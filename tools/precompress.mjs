// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside each of the built
// app's files that compress: the server sends them as they are (tower-http's precompressed
// ServeDir), so a cold visitor gets the smallest bytes the build can make and costs the server
// no compression at all (compressing the wasm on each request took some 35 ms of its CPU and
// sent 12% more bytes than quality 11). An exported site carries them too, for nginx's
// `gzip_static`. Called by the post-build hook on release builds.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The kinds of file worth compressing (images such as PNG already are). */
const COMPRESSIBLE = /\.(wasm|js|mjs|css|svg|json|webmanifest|txt|xml)$/;

/** Compresses every compressible file under `folder`; answers how many it compressed. */
export function precompress(folder) {
  let count = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) {
      count += precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const bytes = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }));
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }));
    count += 1;
  }
  return count;
}
