// The benchmark, in one run: the bundle's size, what a cold visit costs on the server, on the
// static export (nginx) and on the same HTML without any script (the physical limit), the
// app's own navigation, the read API under load, the server's memory and the exporter's time.
// Run with `cargo xtask bench`; it prints a Markdown report. See BENCHMARKS.md.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

import { MOBILE, clientNavigation, coldVisit, launchChromium } from './browser.mjs';
import { timeExport } from './exporter.mjs';
import { CONNECTIONS, load, loadGenerator } from './load.mjs';
import { exportSite, plainCopy, required, residentKib, scratchFolder, startNginx, startServer, withoutScripts } from './sites.mjs';
import { bundleSizes, initialDownload } from './sizes.mjs';
import { embedBytes, embedVisit, startPartner } from './embed.mjs';

const SEED_SLUG = 'russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato';
const ARTICLE_JSON = `/api/v1/articles/${SEED_SLUG}.json`;
const LIST_JSON = '/api/v1/articles/index.json';
const PAGES = [
  { name: 'article', path: `/articles/${SEED_SLUG}` },
  { name: 'homepage', path: '/' },
];

const count = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
};
const RUNS = Math.max(1, count('BENCH_RUNS', 9));
const MOBILE_RUNS = count('BENCH_MOBILE_RUNS', 5);
const LOAD_SECONDS = Math.min(5, Math.max(1, count('BENCH_LOAD_SECONDS', 5)));
const CORPORA = (process.env.BENCH_CORPORA ?? '1000,10000').split(',').filter(Boolean).map(Number);

/** Budgets from issue 10. */
const BUDGET = { downloadKib: 150, stretchKib: 120, cls: 0.01, warmNavigationMs: 50 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => (value === null || Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`);
const verdict = (ok) => (ok ? '**PASS**' : '**FAIL**');
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const log = (line) => process.stderr.write(`    bench: ${line}\n`);

const startedAt = new Date();
const benchStarted = performance.now();
const report = [];
const out = (line = '') => report.push(line);

// Bundle.
const dist = required('BP_DIST');
const files = bundleSizes(dist);
log(`sized ${files.length} bundle files`);

// The three sites.
const scratch = scratchFolder('bp-bench-sites-');
const sites = [];
let browser;
try {
  const server = await startServer();
  sites.push(server);
  const rss = { start: residentKib(server.pid) };
  const exported = join(scratch, 'export');
  const plain = join(scratch, 'plain');
  exportSite(exported);
  plainCopy(exported, plain);
  sites.push(await startNginx('export', exported), await startNginx('plain', plain));
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

  browser = await launchChromium();

  // Cold visits, interleaved (run by run, every site in turn) so that the machine's load
  // falls on all three alike.
  const visits = {};
  const articleResponses = {};
  for (let run = 0; run < RUNS; run++) {
    for (const page of PAGES) {
      for (const site of sites) {
        const visit = await coldVisit(browser, site.url + page.path, { app: site.name !== 'plain' });
        (visits[`${site.name} ${page.name}`] ??= []).push(visit);
        if (run === 0 && page.name === 'article') articleResponses[site.name] = visit.responses;
      }
    }
    log(`cold visits: run ${run + 1} of ${RUNS}`);
  }
  for (let run = 0; run < MOBILE_RUNS; run++) {
    for (const site of sites) {
      const visit = await coldVisit(browser, site.url + PAGES[0].path, { app: site.name !== 'plain', device: MOBILE });
      (visits[`${site.name} article mobile`] ??= []).push(visit);
    }
    log(`throttled visits: run ${run + 1} of ${MOBILE_RUNS}`);
  }

  // The app's own navigation, homepage to the lead story.
  const navigation = {};
  for (let run = 0; run < RUNS; run++) {
    for (const site of sites.filter((s) => s.name !== 'plain')) {
      for (const warm of [true, false]) {
        const result = await clientNavigation(browser, site.url, { warm });
        (navigation[`${site.name} ${warm ? 'warm' : 'cold'}`] ??= []).push(result);
      }
    }
    log(`navigations: run ${run + 1} of ${RUNS}`);
  }
  // An embed of our headlines on a partner's page (another origin), from the server and the
  // export.
  const embeds = {};
  for (const site of [server, byName.export]) {
    const partner = await startPartner(site.url);
    try {
      const visitsOfSite = [];
      for (let run = 0; run < RUNS; run++) visitsOfSite.push(await embedVisit(browser, partner.url));
      embeds[site.name] = { bytes: await embedBytes(site.url), text: median(visitsOfSite.map((v) => v.text)) };
    } finally {
      await partner.stop();
    }
    log(`embed: ${site.name}`);
  }
  await browser.close();
  browser = undefined;
  rss.pages = residentKib(server.pid);

  // The read API under load.
  const loads = [];
  for (const [what, path] of [['article JSON', ARTICLE_JSON], ['list JSON', LIST_JSON]]) {
    for (const compressed of [true, false]) {
      for (const site of [server, byName.export]) {
        const check = await fetch(site.url + path);
        const bytes = (await check.arrayBuffer()).byteLength;
        if (check.status !== 200) throw new Error(`${site.name} answered ${check.status} for ${path}`);
        loads.push({ site: site.name, what, path, bytes, compressed, ...(await load(site.url + path, LOAD_SECONDS, { compressed })) });
        log(`load: ${site.name} ${what}${compressed ? ', compressed' : ''}`);
      }
    }
  }
  rss.api = residentKib(server.pid);

  for (const site of sites.splice(0)) await site.stop();
  rmSync(scratch, { recursive: true, force: true });

  // The exporter.
  const exports = [{ what: 'the sample content', ...timeExport(['--content', required('BP_CONTENT')]) }];
  log('export: sample content');
  for (const n of CORPORA) {
    exports.push({ what: `${n.toLocaleString('en')} generated articles`, ...timeExport(['--generate-corpus', String(n)]) });
    log(`export: ${n} generated articles`);
  }

  // The report.
  const download = initialDownload(articleResponses.server, files);
  const exportDownload = initialDownload(articleResponses.export, files);
  const stat = (key, field) => median((visits[key] ?? []).map((v) => v[field]));
  const worst = (key, field) => Math.max(...(visits[key] ?? []).map((v) => v[field]));
  const navMedian = (key) => median(navigation[key].map((n) => n.ms));
  const [load1, load5] = loadavg();

  out(`# Budapest Post benchmark`);
  out();
  out(`${startedAt.toISOString()}, ${cpus().length} cores, load average ${load1.toFixed(1)} (1 min) / ${load5.toFixed(1)} (5 min) when it ended; ` +
    `medians of ${RUNS} cold runs each unless said otherwise; the bench took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`);
  out();
  out('## Budgets (issue 10)');
  out();
  out('| budget | measured | verdict |');
  out('|---|---|---|');
  out(`| article page's initial download (JS + wasm + CSS, brotli -11) ≤ ${BUDGET.downloadKib} KiB | ${kib(download.brotli)} | ${verdict(download.brotli <= BUDGET.downloadKib * 1024)} |`);
  out(`| … stretch ≤ ${BUDGET.stretchKib} KiB | ${kib(download.brotli)} | ${download.brotli <= BUDGET.stretchKib * 1024 ? 'met' : 'not met'} |`);
  for (const site of ['server', 'export']) {
    for (const page of PAGES) {
      const key = `${site} ${page.name}`;
      out(`| CLS < ${BUDGET.cls}, ${site}, ${page.name} (worst of ${RUNS} runs) | ${worst(key, 'cls').toFixed(4)} | ${verdict(worst(key, 'cls') < BUDGET.cls)} |`);
    }
  }
  for (const site of ['server', 'export']) {
    const m = navMedian(`${site} warm`);
    out(`| warm navigation homepage → article < ${BUDGET.warmNavigationMs} ms, ${site} (median) | ${m.toFixed(1)} ms | ${verdict(m < BUDGET.warmNavigationMs)} |`);
  }
  out();

  out('## Bundle');
  out();
  out('| file | raw | gzip -9 | brotli -11 |');
  out('|---|---|---|---|');
  for (const f of files) out(`| ${f.file} | ${kib(f.raw)} | ${kib(f.gzip)} | ${kib(f.brotli)} |`);
  out();
  out(`The article page's initial download, as Chromium fetched it from the server in a cold visit: ` +
    `${download.files.map((f) => f.file).join(', ')}: ${kib(download.raw)} raw, ${kib(download.gzip)} gzip -9, **${kib(download.brotli)} brotli -11** ` +
    `(${(download.brotli / 1000).toFixed(1)} kB). From the export: ${kib(exportDownload.brotli)} brotli. The plain pages download only the CSS.`);
  out();

  out('## Cold visits: text visible, LCP, CLS');
  out();
  out('Milliseconds after navigation start, stamped inside the page; a new browser context (empty cache) for every run. ' +
    '"Text" is when both the headline and the first body text are in the DOM; "app" is when the app has taken the page over (`html[data-app]`).');
  out();
  out('| page | site | headline | text | FCP | LCP | app | CLS (median / worst) | text range |');
  out('|---|---|---|---|---|---|---|---|---|');
  const rows = [...PAGES.map((p) => p.name), 'article mobile'];
  for (const row of rows) {
    for (const site of ['server', 'export', 'plain']) {
      const key = `${site} ${row}`;
      if (!visits[key]) continue;
      const texts = visits[key].map((v) => v.text);
      const appStat = site === 'plain' ? null : stat(key, 'app');
      out(`| ${row}${row.endsWith('mobile') ? ` (${MOBILE_RUNS} runs)` : ''} | ${site} | ${ms(stat(key, 'headline'))} | ${ms(stat(key, 'text'))} | ${ms(stat(key, 'fcp'))} | ${ms(stat(key, 'lcp'))} | ${ms(appStat)} | ` +
        `${stat(key, 'cls').toFixed(4)} / ${worst(key, 'cls').toFixed(4)} | ${Math.min(...texts).toFixed(0)}–${Math.max(...texts).toFixed(0)} ms |`);
    }
  }
  out();
  out('Against the physical limit (the same HTML and CSS without any script, on nginx), medians:');
  out();
  out('| page | text: server / plain | text: export / plain | LCP: server / plain | LCP: export / plain |');
  out('|---|---|---|---|---|');
  for (const row of rows) {
    if (!visits[`plain ${row}`]) continue;
    const r = (site, field) => ratio(stat(`${site} ${row}`, field), stat(`plain ${row}`, field));
    out(`| ${row} | ${r('server', 'text')} | ${r('export', 'text')} | ${r('server', 'lcp')} | ${r('export', 'lcp')} |`);
  }
  out();
  if (MOBILE_RUNS) out(`"mobile": Chromium's own throttling through the DevTools protocol: CPU ${MOBILE.cpuSlowdown}× slower ` +
    `(Emulation.setCPUThrottlingRate) and ${MOBILE.latencyMs} ms latency, ${MOBILE.downKbit} kbit/s down, ${MOBILE.upKbit} kbit/s up ` +
    `(Network.emulateNetworkConditions, applied per request, not per packet).`);
  out();

  out('## Partner embed (headlines of one section)');
  out();
  out('A partner page on another loopback port with one embed (the documented snippet, five Europe headlines). Bytes: the host script, the ' +
    "embed's script and stylesheet and the headlines page (issue 11's budget: 15 KiB brotli). Text: ms from the partner page's navigation start " +
    `to the embed's document having its headlines (DOMContentLoaded in the frame), median of ${RUNS} cold visits.`);
  out();
  out('| site | raw | gzip -9 | brotli -11 | ≤ 15 KiB | text |');
  out('|---|---|---|---|---|---|');
  for (const [site, e] of Object.entries(embeds)) {
    out(`| ${site} | ${kib(e.bytes.raw)} | ${kib(e.bytes.gzip)} | ${kib(e.bytes.brotli)} | ${verdict(e.bytes.brotli <= 15 * 1024)} | ${ms(e.text)} |`);
  }
  out();

  out('## Client navigation, homepage → article');
  out();
  out('The app\'s own navigation (it fetches the next page\'s HTML and swaps `#main` and the head): ms from the click to the article\'s headline in the DOM, ' +
    `median of ${RUNS}. Warm: the pointer rests on the link first, the app fetches the page ahead, and the click comes once that fetch has ended. ` +
    'Cold: a click without pointing first (as from the keyboard), so the page is fetched on click.');
  out();
  out('| site | warm | cold | warm runs that fetched again on click |');
  out('|---|---|---|---|');
  for (const site of ['server', 'export']) {
    const refetched = navigation[`${site} warm`].filter((n) => n.refetched).length;
    out(`| ${site} | ${navMedian(`${site} warm`).toFixed(1)} ms | ${navMedian(`${site} cold`).toFixed(1)} ms | ${refetched} of ${RUNS} |`);
  }
  out();

  out('## Read API under load');
  out();
  out(loadGenerator === 'wrk'
    ? `wrk, 2 threads, ${CONNECTIONS} connections, ${LOAD_SECONDS} s a row, loopback; wrk shares the 2 cores with the server it loads.`
    : `wrk is not installed (\`cargo xtask setup\` installs it): Node's fetch instead, ${CONNECTIONS} at a time, ${LOAD_SECONDS} s a row; it measures the Node client as much as the server.`);
  out('"compressed": the request says `Accept-Encoding: gzip, deflate, br` as browsers do (the server answers from its cache of compressed bodies, ' +
    'nginx gzips each answer as it goes, `gzip_comp_level 1`); "identity": no `Accept-Encoding`. nginx runs one worker a core (`worker_processes auto`).');
  out();
  out('| endpoint | JSON size | encoding | site | requests/s | p50 | p99 | requests | failed |');
  out('|---|---|---|---|---|---|---|---|---|');
  for (const l of loads) {
    out(`| ${l.what} (\`${l.path.replace(SEED_SLUG, '<seed>')}\`) | ${kib(l.bytes)} | ${l.compressed ? 'compressed' : 'identity'} | ${l.site === 'export' ? 'export on nginx' : 'server'} | ` +
      `${Math.round(l.rps).toLocaleString('en')} | ${l.p50.toFixed(2)} ms | ${l.p99.toFixed(2)} ms | ${l.requests.toLocaleString('en')} | ${l.errors}${l.socketErrors ? ` (sockets: ${l.socketErrors})` : ''} |`);
  }
  out();

  out('## Server memory (VmRSS)');
  out();
  out('| when | resident |');
  out('|---|---|');
  const mib = (k) => (k === null ? 'unreadable' : `${(k / 1024).toFixed(1)} MiB`);
  out(`| after start (sample content loaded) | ${mib(rss.start)} |`);
  out(`| after the page visits and navigations | ${mib(rss.pages)} |`);
  out(`| after the API load | ${mib(rss.api)} |`);
  out();

  out('## Static export (release exporter)');
  out();
  out('| source | articles | files | wall | CPU (user + sys) | generating the corpus | articles/s (wall) |');
  out('|---|---|---|---|---|---|---|');
  for (const e of exports) {
    out(`| ${e.what} | ${e.articles?.toLocaleString('en')} | ${e.files?.toLocaleString('en')} | ${e.wall.toFixed(2)} s | ` +
      `${e.cpu === null ? '–' : `${e.cpu.toFixed(2)} s`} | ${e.generating === null ? '–' : `${e.generating.toFixed(2)} s`} | ${Math.round(e.articles / e.wall).toLocaleString('en')} |`);
  }
  console.log(report.join('\n'));
} finally {
  if (browser) await browser.close();
  for (const site of sites) await site.stop();
  rmSync(scratch, { recursive: true, force: true });
}
