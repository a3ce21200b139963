// The export and the read API at scale: for each size, the release exporter generates that
// many articles into a database it keeps and exports them (timed), then the release server
// serves that database and wrk loads its article and list JSON.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { timeExport } from './exporter.mjs';
import { load, loadAnyArticle, medianLoad, quiet, warm } from './load.mjs';
import { scratchFolder, startServer } from './sites.mjs';

/** The API path of generated article `i` (the exporter's corpus names them so). */
const articleJson = (i) => `/api/v1/articles/generated-article-${i}.json`;
const LIST_JSON = '/api/v1/articles/index.json';

/** The endpoints loaded at each size: one article (the middle one) again and again (read-cache
 * hits), one article picked at random per request with the read cache off (every read goes to
 * the database, whatever its size, so the row shows how the store's reads scale), and the
 * first page of the list. */
export const ENDPOINTS = ['one article', 'any article', 'list'];

/** Export timings taken of each size up to [`REPEATED_UP_TO`] articles (the median is kept). */
const EXPORT_TIMINGS = 3;
const REPEATED_UP_TO = 10_000;

/**
 * For each of `sizes`: the export's timing, and `rounds` rounds of `seconds` of wrk a row
 * against the server serving the same generated database (the rows in turn within a round,
 * as the API part loads the server and nginx, so a noisy moment falls on one round of each
 * rather than on the whole of one row). `log` reports progress.
 */
export async function measureCorpora(sizes, seconds, rounds, log) {
  const results = [];
  for (const count of sizes) {
    const scratch = scratchFolder('bp-bench-corpus-');
    let server;
    try {
      const database = join(scratch, 'corpus.sqlite3');
      const exported = timeExport(['--generate-corpus', String(count), '--corpus-database', database]);
      // A run of a second or ten moves with the machine by a third (0.85-1.15 s of CPU for the
      // same 1,000 articles); the sizes the budget compares against are timed again, and the
      // median kept. The 100,000-article run is long enough to time once.
      if (count <= REPEATED_UP_TO) {
        const again = Array.from({ length: EXPORT_TIMINGS - 1 }, () => timeExport(['--generate-corpus', String(count)]));
        const timings = [exported, ...again].sort((a, b) => a.cpu - b.cpu);
        Object.assign(exported, timings[Math.floor(timings.length / 2)], { timings: timings.length });
      }
      log(`corpus of ${count}: exported`);
      // Rows loaded within some 20 s of the 100,000-article export (605,035 files written and
      // removed) had p99s of 10-27 ms against 3-5 ms once it had settled, with the CPUs already
      // idle: the kernel's aftermath, not the server's. A second per 20,000 files, up to 30.
      await new Promise((resolve) => setTimeout(resolve, Math.min(30, (exported.files ?? 0) / 20_000) * 1000));
      if (!(await quiet())) log(`corpus of ${count}: the machine did not get quiet in 30 s; loading anyway`);
      server = await startServer({ database });
      const middle = articleJson(String(Math.floor(count / 2)).padStart(6, '0'));
      for (const path of [middle, LIST_JSON]) await warm(server.url + path, { compressed: true });
      const hits = { 'one article': [], list: [] };
      for (let round = 0; round < rounds; round++) {
        hits['one article'].push(await load(server.url + middle, seconds, { compressed: true }));
        hits.list.push(await load(server.url + LIST_JSON, seconds, { compressed: true }));
      }
      await server.stop();
      server = await startServer({ database, extraArgs: ['--read-cache-mib', '0'] });
      await quiet();
      const misses = Array.from({ length: rounds }, () => loadAnyArticle(server.url, count, seconds, articleJson));
      const loads = {
        'one article': medianLoad(hits['one article']),
        list: medianLoad(hits.list),
        'any article': misses.every(Boolean) ? medianLoad(misses) : null,
      };
      log(`corpus of ${count}: API loaded`);
      results.push({ count, exported, loads });
    } finally {
      if (server) await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return results;
}
