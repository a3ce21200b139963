// The benchmark, in one run: the bundle's size, what a cold visit costs on the server, on the
// static export (nginx) and on the same HTML without any script (the physical limit), the
// app's own navigation, Lighthouse, the read API under load (also by the size of the
// database, and on SQLite beside PostgreSQL with one and three nodes), the server's memory
// and the exporter's time.
// Run with `cargo xtask bench`; it prints a Markdown report. See BENCHMARKS.md.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';

import { MOBILE, clientNavigation, coldVisit, launchChromium, sessionMemory } from './browser.mjs';
import { measureCorpora } from './corpora.mjs';
import { embedBytes, embedVisit, startPartner } from './embed.mjs';
import { timeExport } from './exporter.mjs';
import { FORM_FACTORS, CATEGORIES, lighthouse } from './lighthouse.mjs';
import { load, medianLoad, warm } from './load.mjs';
import { report } from './report.mjs';
import { exportSite, freePort, plainCopy, required, residentKib, scratchFolder, startNginx, startServer, withoutScripts } from './sites.mjs';
import { bundleSizes, initialDownload } from './sizes.mjs';
import { measureStores, postgresAdminUrl } from './stores.mjs';
import { count, median } from './stats.mjs';

const SEED_SLUG = 'russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato';
const ARTICLE_JSON = `/api/v1/articles/${SEED_SLUG}.json`;
const LIST_JSON = '/api/v1/articles/index.json';
const PAGES = [
  { name: 'article', path: `/articles/${SEED_SLUG}` },
  { name: 'homepage', path: '/' },
];

/** The parts of the benchmark; `BENCH_ONLY` (comma-separated) runs some of them. */
const PARTS = ['visits', 'navigation', 'embed', 'lighthouse', 'api', 'export', 'corpora', 'stores'];
const only = (process.env.BENCH_ONLY ?? '').split(',').map((p) => p.trim()).filter(Boolean);
for (const part of only) if (!PARTS.includes(part)) throw new Error(`BENCH_ONLY: no part named ${part} (parts: ${PARTS.join(', ')})`);
const runs = (part) => !only.length || only.includes(part);

const RUNS = Math.max(1, count('BENCH_RUNS', 9));
/** The articles one reading session visits, for the tab's memory. */
const SESSION_VISITS = 200;
/** Visits between two readings of the tab's memory in that session. */
const SESSION_EVERY = 10;
const MOBILE_RUNS = count('BENCH_MOBILE_RUNS', 5);
const LIGHTHOUSE_RUNS = Math.max(1, count('BENCH_LIGHTHOUSE_RUNS', 1));
const LOAD_SECONDS = Math.min(5, Math.max(1, count('BENCH_LOAD_SECONDS', 5)));
/** Rounds of the read API's loads, the server and nginx in turn, so that both see the same
 * moments of a shared machine; medians are reported. */
const API_ROUNDS = Math.min(9, Math.max(1, count('BENCH_API_ROUNDS', 3)));
/** Rounds of the stores part, every setup in turn. */
const STORE_ROUNDS = Math.min(9, Math.max(1, count('BENCH_STORE_ROUNDS', 3)));
const CORPORA = (process.env.BENCH_CORPORA ?? '100,1000,10000').split(',').filter(Boolean).map(Number);
if (CORPORA.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_CORPORA must be whole numbers above 0');

const log = (line) => process.stderr.write(`    bench: ${line}\n`);

// Said before anything runs, not after minutes of other parts.
if (runs('stores')) postgresAdminUrl();

const benchStarted = performance.now();
const m = { startedAt: new Date(), pages: PAGES, runs: RUNS, mobileRuns: MOBILE_RUNS, loadSeconds: LOAD_SECONDS, apiRounds: API_ROUNDS, parts: PARTS.filter(runs) };

// Bundle.
const dist = required('BP_DIST');
m.files = bundleSizes(dist);
log(`sized ${m.files.length} bundle files`);

// The three sites, for the parts that visit them.
const siteParts = ['visits', 'navigation', 'embed', 'lighthouse', 'api'].filter(runs);
const scratch = scratchFolder('bp-bench-sites-');
const sites = [];
let browser;
try {
  if (siteParts.length) {
    const server = await startServer();
    sites.push(server);
    m.rss = { start: residentKib(server.pid) };
    const exported = join(scratch, 'export');
    const plain = join(scratch, 'plain');
    // Each static site is exported for its own address, as a deployment names its host.
    const [exportPort, plainPort] = [await freePort(), await freePort()];
    exportSite(exported, `http://127.0.0.1:${exportPort}`);
    plainCopy(plain, `http://127.0.0.1:${plainPort}`);
    sites.push(await startNginx('export', exported, exportPort), await startNginx('plain', plain, plainPort));
    const byName = Object.fromEntries(sites.map((s) => [s.name, s]));
    log(`server at ${server.url}, export at ${byName.export.url}, plain at ${byName.plain.url}`);

    // Each site answers each page with its headline; the plain pages have no script at all.
    for (const site of sites) {
      for (const page of PAGES) {
        const response = await fetch(site.url + page.path);
        const html = await response.text();
        if (response.status !== 200) throw new Error(`${site.name} answered ${response.status} for ${page.path}`);
        if (site.name === 'plain' && html !== withoutScripts(html)) throw new Error(`the plain ${page.path} still has a script`);
        if (page.name === 'article' && !html.includes('article__headline')) throw new Error(`${site.name}'s ${page.path} has no rendered headline`);
      }
    }

    if (runs('visits') || runs('navigation') || runs('embed')) browser = await launchChromium();

    // Cold visits, interleaved (run by run, every site in turn) so that the machine's load
    // falls on all three alike.
    if (runs('visits')) {
      m.visits = {};
      const articleResponses = {};
      for (let run = 0; run < RUNS; run++) {
        for (const page of PAGES) {
          for (const site of sites) {
            const visit = await coldVisit(browser, site.url + page.path, { app: site.name !== 'plain' });
            (m.visits[`${site.name} ${page.name}`] ??= []).push(visit);
            if (run === 0 && page.name === 'article') articleResponses[site.name] = visit.responses;
          }
        }
        log(`cold visits: run ${run + 1} of ${RUNS}`);
      }
      for (let run = 0; run < MOBILE_RUNS; run++) {
        for (const site of sites) {
          const visit = await coldVisit(browser, site.url + PAGES[0].path, { app: site.name !== 'plain', device: MOBILE });
          (m.visits[`${site.name} article mobile`] ??= []).push(visit);
        }
        log(`throttled visits: run ${run + 1} of ${MOBILE_RUNS}`);
      }
      m.download = initialDownload(articleResponses.server, m.files);
      m.exportDownload = initialDownload(articleResponses.export, m.files);
    }

    // The app's own navigation, homepage to the lead story.
    if (runs('navigation')) {
      m.navigation = {};
      for (let run = 0; run < RUNS; run++) {
        for (const site of sites.filter((s) => s.name !== 'plain')) {
          for (const warm of [true, false]) {
            const result = await clientNavigation(browser, site.url, { warm });
            (m.navigation[`${site.name} ${warm ? 'warm' : 'cold'}`] ??= []).push(result);
          }
        }
        log(`navigations: run ${run + 1} of ${RUNS}`);
      }
      // A long reading session: the tab's memory should level off, not grow with every page.
      const slugs = [];
      for (let next = '/api/v1/articles/index.json'; next;) {
        const list = await (await fetch(sites[0].url + next)).json();
        if (list.lead && !slugs.includes(list.lead.slug)) slugs.push(list.lead.slug);
        slugs.push(...list.articles.map((a) => a.slug).filter((slug) => !slugs.includes(slug)));
        next = list.next;
      }
      m.sessionMemory = {};
      m.sessionEvery = SESSION_EVERY;
      for (const site of sites.filter((s) => s.name !== 'plain')) {
        m.sessionMemory[site.name] = await sessionMemory(browser, site.url, slugs, { visits: SESSION_VISITS, every: SESSION_EVERY });
        log(`session of ${SESSION_VISITS} articles on ${site.name}: measured`);
      }
    }
    // An embed of our headlines on a partner's page (another origin), from the server and the
    // export.
    if (runs('embed')) {
      m.embeds = {};
      for (const site of sites.filter((s) => s.name !== 'plain')) {
        const partner = await startPartner(site.url);
        try {
          const visits = [];
          for (let run = 0; run < RUNS; run++) visits.push(await embedVisit(browser, partner.url));
          m.embeds[site.name] = { bytes: await embedBytes(site.url), text: median(visits.map((v) => v.text)) };
        } finally {
          await partner.stop();
        }
        log(`embed: ${site.name}`);
      }
    }
    if (browser) await browser.close();
    browser = undefined;

    // Lighthouse, one Chromium of its own a run, interleaved like the visits.
    if (runs('lighthouse')) {
      const results = {};
      for (let run = 0; run < LIGHTHOUSE_RUNS; run++) {
        for (const formFactor of FORM_FACTORS) {
          for (const page of PAGES) {
            for (const site of sites) {
              (results[`${site.name} ${page.name} ${formFactor}`] ??= []).push(await lighthouse(site.url + page.path, formFactor));
              log(`lighthouse: run ${run + 1} of ${LIGHTHOUSE_RUNS}, ${formFactor}, ${page.name}, ${site.name}`);
            }
          }
        }
      }
      m.lighthouse = {
        runs: LIGHTHOUSE_RUNS,
        version: JSON.parse(readFileSync('node_modules/lighthouse/package.json', 'utf8')).version,
        summary: (site, page, formFactor) => {
          const all = results[`${site} ${page} ${formFactor}`];
          return {
            scores: Object.fromEntries(CATEGORIES.map((c) => [c, median(all.map((r) => r.scores[c]))])),
            lcp: median(all.map((r) => r.lcp)),
            cls: median(all.map((r) => r.cls)),
            tbt: median(all.map((r) => r.tbt)),
            failing: Object.fromEntries(CATEGORIES.map((c) => [c, [...new Set(all.flatMap((r) => r.failing[c]))]])),
          };
        },
      };
    }
    m.rss.pages = residentKib(server.pid);

    // The read API under load, and beside it the seed article's page (the server keeps the
    // rendered page as it keeps the JSON; nginx serves the export's file).
    if (runs('api')) {
      m.loads = [];
      for (const [what, path] of [['article JSON', ARTICLE_JSON], ['list JSON', LIST_JSON], ['article page', PAGES[0].path]]) {
        for (const compressed of [true, false]) {
          const loaded = [server, byName.export].map((site) => ({ site, rounds: [] }));
          for (const { site } of loaded) await warm(site.url + path, { compressed });
          for (let round = 0; round < API_ROUNDS; round++) {
            for (const { site, rounds } of loaded) rounds.push(await load(site.url + path, LOAD_SECONDS, { compressed }));
          }
          for (const { site, rounds } of loaded) {
            const bytes = (await (await fetch(site.url + path)).arrayBuffer()).byteLength;
            m.loads.push({ site: site.name, what, shownPath: path.replace(SEED_SLUG, '<seed>'), bytes, compressed, ...medianLoad(rounds) });
          }
          log(`load: ${what}${compressed ? ', compressed' : ''}, ${API_ROUNDS} rounds`);
        }
      }
      m.rss.api = residentKib(server.pid);
    }

    for (const site of sites.splice(0)) await site.stop();
  }
  rmSync(scratch, { recursive: true, force: true });

  // The exporter, and the API by the size of the database.
  if (runs('export')) {
    m.exports = [{ what: 'the sample content', ...timeExport(['--content', required('BP_CONTENT')]) }];
    log('export: sample content');
  }
  if (runs('corpora')) m.corpora = await measureCorpora(CORPORA, LOAD_SECONDS, API_ROUNDS, log);
  // The API on SQLite and on PostgreSQL, one node and three.
  if (runs('stores')) m.stores = await measureStores({ articleJson: ARTICLE_JSON, slug: SEED_SLUG, seconds: LOAD_SECONDS, rounds: STORE_ROUNDS, log });

  m.cores = cpus().length;
  m.load = loadavg();
  m.seconds = (performance.now() - benchStarted) / 1000;
  console.log(report(m).join('\n'));
} finally {
  if (browser) await browser.close();
  for (const site of sites) await site.stop();
  rmSync(scratch, { recursive: true, force: true });
}
