// The benchmark's Markdown report, section by section, from what bench.mjs measured. A part
// that was not run (BENCH_ONLY) leaves its section and its budgets out.
import { CONNECTIONS, loadGenerator, pairedRatio } from './load.mjs';
import { CATEGORIES, FORM_FACTORS } from './lighthouse.mjs';
import { MOBILE } from './browser.mjs';
import { kib, median, ms, ratio, verdict } from './stats.mjs';
import { storesSection } from './stores.mjs';

/** Budgets from issue 10. */
export const BUDGET = {
  downloadKib: 150,
  stretchKib: 120,
  cls: 0.01,
  warmNavigationMs: 50,
  memoryLevelRatio: 1.1,
  lighthouseLcpRatio: 1.2,
  headlineRatio: 1.2,
  performance: 98,
  otherScores: 100,
  flatP50Ratio: 1.5,
  linearPerArticleRatio: 1.2,
  apiThroughputRatio: 0.8,
  apiP99Ms: 5,
};

const SITES_WITH_APP = ['server', 'export'];
/** The rows of the API by the size of the database that the read cache answers. */
const CACHE_HIT_ENDPOINTS = ['one article', 'list'];

/** Export seconds of CPU (user + sys, every thread), the corpus's generation included: it
 * is stamped in wall time only, which a shared machine's load inflates. */
const exportCpu = (e) => e.cpu;
const perSecond = (articles, seconds) => (seconds ? articles / seconds : NaN);

/** The budget rows, as `[budget, measured, verdict]`. */
function budgetRows(m) {
  const rows = [];
  const { download } = m;
  if (download) {
    rows.push([`article page's initial download (JS + wasm + CSS, brotli -11) ≤ ${BUDGET.downloadKib} KiB`, kib(download.brotli), verdict(download.brotli <= BUDGET.downloadKib * 1024)]);
    rows.push([`… stretch ≤ ${BUDGET.stretchKib} KiB`, kib(download.brotli), download.brotli <= BUDGET.stretchKib * 1024 ? 'met' : 'not met']);
  }
  if (m.visits) {
    const headline = (key) => median((m.visits[key] ?? []).map((v) => v.headline));
    for (const row of [...m.pages.map((p) => p.name), 'article mobile']) {
      if (!m.visits[`plain ${row}`]) continue;
      const plain = headline(`plain ${row}`);
      for (const site of SITES_WITH_APP) {
        const seen = headline(`${site} ${row}`);
        rows.push([`headline visible ≤ ${BUDGET.headlineRatio} × plain's, ${site}, ${row} (in-page timer, medians of the interleaved visits)`,
          `${ms(seen)} / ${ms(plain)} = ${ratio(seen, plain)}`, verdict(seen <= BUDGET.headlineRatio * plain)]);
      }
    }
    for (const site of SITES_WITH_APP) {
      for (const page of m.pages) {
        const worst = Math.max(...m.visits[`${site} ${page.name}`].map((v) => v.cls));
        rows.push([`CLS < ${BUDGET.cls}, ${site}, ${page.name} (worst of ${m.runs} runs)`, worst.toFixed(4), verdict(worst < BUDGET.cls)]);
      }
    }
  }
  if (m.navigation) {
    for (const site of SITES_WITH_APP) {
      const value = median(m.navigation[`${site} warm`].map((n) => n.ms));
      rows.push([`warm navigation homepage → article < ${BUDGET.warmNavigationMs} ms, ${site} (median of ${m.runs})`, `${value.toFixed(1)} ms`, verdict(value < BUDGET.warmNavigationMs)]);
    }
  }
  if (m.sessionMemory) {
    for (const [site, samples] of Object.entries(m.sessionMemory)) {
      const { first, second, visits } = sessionHalves(samples);
      const highest = (half, of) => Math.max(...half.map(of));
      for (const [what, of, shown] of [
        ['renderer\'s resident memory', (x) => x.residentBytes, kib],
        ['DOM nodes', (x) => x.nodes, String],
      ]) {
        const [before, after] = [highest(first, of), highest(second, of)];
        rows.push([`tab memory levels off: the most ${what} over articles ${visits / 2 + 1}–${visits} ≤ ${BUDGET.memoryLevelRatio} × the most over 1–${visits / 2}, ${site}`,
          `${shown(after)} / ${shown(before)} = ${ratio(after, before)}`, verdict(after <= BUDGET.memoryLevelRatio * before)]);
      }
    }
  }
  if (m.lighthouse) {
    for (const page of m.pages) {
      const plain = m.lighthouse.summary('plain', page.name, 'mobile').lcp;
      for (const site of SITES_WITH_APP) {
        const lcp = m.lighthouse.summary(site, page.name, 'mobile').lcp;
        rows.push([`Lighthouse mobile LCP ≤ ${BUDGET.lighthouseLcpRatio} × plain's, ${site}, ${page.name}`,
          `${ms(lcp)} / ${ms(plain)} = ${ratio(lcp, plain)}`, verdict(lcp <= BUDGET.lighthouseLcpRatio * plain)]);
      }
    }
    for (const page of m.pages) {
      for (const site of SITES_WITH_APP) {
        const { scores } = m.lighthouse.summary(site, page.name, 'mobile');
        const ok = scores.performance >= BUDGET.performance &&
          CATEGORIES.filter((c) => c !== 'performance').every((c) => scores[c] >= BUDGET.otherScores);
        rows.push([`Lighthouse mobile performance ≥ ${BUDGET.performance}, accessibility, best practices, SEO ${BUDGET.otherScores}, ${site}, ${page.name}`,
          CATEGORIES.map((c) => scores[c]).join(' / '), verdict(ok)]);
      }
    }
  }
  if (m.loads) {
    const same = (a, b) => a.what === b.what && a.compressed === b.compressed;
    // The budget is the API's; the page's row is shown beside it in the load table.
    for (const served of m.loads.filter((l) => l.site !== 'export' && l.what.endsWith('JSON'))) {
      const nginx = m.loads.find((l) => l.site === 'export' && same(l, served));
      const encoding = served.compressed ? 'compressed' : 'identity';
      if (nginx) {
        const paired = pairedRatio(served, nginx);
        rows.push([`API ${served.what}, ${encoding}: server ≥ ${BUDGET.apiThroughputRatio} × nginx's requests/s on the same file, ${CONNECTIONS} connections (median of the rounds' ratios)`,
          `${Math.round(served.rps).toLocaleString('en')} / ${Math.round(nginx.rps).toLocaleString('en')}; ${paired.toFixed(2)}×`,
          verdict(paired >= BUDGET.apiThroughputRatio)]);
      }
      rows.push([`API ${served.what}, ${encoding}: server's p99 < ${BUDGET.apiP99Ms} ms on cache hits${nginx ? ` (nginx's: ${nginx.p99.toFixed(2)} ms)` : ''}`,
        `${served.p99.toFixed(2)} ms`, verdict(served.p99 < BUDGET.apiP99Ms)]);
    }
  }
  if (m.corpora) {
    for (const c of m.corpora) {
      for (const endpoint of CACHE_HIT_ENDPOINTS) {
        const l = c.loads[endpoint];
        if (!l) continue;
        rows.push([`API ${endpoint} JSON at ${c.count.toLocaleString('en')} articles: p99 < ${BUDGET.apiP99Ms} ms on cache hits (median of ${m.apiRounds ?? 1} rounds)`,
          `${l.p99.toFixed(2)} ms`, verdict(l.p99 < BUDGET.apiP99Ms)]);
      }
    }
  }
  if (m.corpora && m.corpora.length > 1) {
    const first = m.corpora[0];
    const last = m.corpora[m.corpora.length - 1];
    for (const endpoint of ['one article', 'any article', 'list']) {
      const [a, b] = [first.loads[endpoint], last.loads[endpoint]];
      if (!a || !b) continue;
      rows.push([`API ${endpoint} JSON flat: p50 at ${last.count.toLocaleString('en')} articles ≤ ${BUDGET.flatP50Ratio} × at ${first.count.toLocaleString('en')}`,
        `${b.p50.toFixed(2)} / ${a.p50.toFixed(2)} ms = ${ratio(b.p50, a.p50)}`, verdict(b.p50 <= BUDGET.flatP50Ratio * a.p50)]);
    }
    const reference = m.corpora.find((c) => c.count >= 1000) ?? first;
    const perArticleMs = (c) => (exportCpu(c.exported) * 1000) / c.count;
    for (const c of m.corpora.filter((x) => x.count > reference.count)) {
      const [at, atReference] = [perArticleMs(c), perArticleMs(reference)];
      rows.push([`export linear: CPU time per article at ${c.count.toLocaleString('en')} articles ≤ ${BUDGET.linearPerArticleRatio} × at ${reference.count.toLocaleString('en')}`,
        `${at.toFixed(3)} / ${atReference.toFixed(3)} ms = ${ratio(at, atReference)}`, verdict(at <= BUDGET.linearPerArticleRatio * atReference)]);
    }
  }
  return rows;
}

function bundleSection(out, m) {
  out('## Bundle');
  out();
  out('| file | raw | gzip -9 | brotli -11 |');
  out('|---|---|---|---|');
  for (const f of m.files) out(`| ${f.file} | ${kib(f.raw)} | ${kib(f.gzip)} | ${kib(f.brotli)} |`);
  out();
  if (m.download) {
    out(`The article page's initial download, as Chromium fetched it from the server in a cold visit: ` +
      `${m.download.files.map((f) => f.file).join(', ')}: ${kib(m.download.raw)} raw, ${kib(m.download.gzip)} gzip -9, **${kib(m.download.brotli)} brotli -11** ` +
      `(${(m.download.brotli / 1000).toFixed(1)} kB). From the export: ${kib(m.exportDownload.brotli)} brotli. The plain pages download only the CSS.`);
  } else {
    const sum = m.files.filter((f) => /\.(js|wasm|css)$/.test(f.file)).reduce((s, f) => s + f.brotli, 0);
    out(`JS + wasm + CSS of dist/, brotli -11: ${kib(sum)} (the visits, which say what a page fetches, were not run).`);
  }
  out();
}

function visitsSection(out, m) {
  const { visits, runs, mobileRuns, pages } = m;
  const stat = (key, field) => median((visits[key] ?? []).map((v) => v[field]));
  const worst = (key, field) => Math.max(...(visits[key] ?? []).map((v) => v[field]));
  out('## Cold visits: text visible, LCP, CLS');
  out();
  out('Milliseconds after navigation start, stamped inside the page; a new browser context (empty cache) for every run. ' +
    '"Text" is when both the headline and the first body text are in the DOM; "app" is when the app has taken the page over (`html[data-app]`).');
  out();
  out('| page | site | headline | text | FCP | LCP | app | CLS (median / worst) | text range |');
  out('|---|---|---|---|---|---|---|---|---|');
  const rows = [...pages.map((p) => p.name), 'article mobile'];
  for (const row of rows) {
    for (const site of ['server', 'export', 'plain']) {
      const key = `${site} ${row}`;
      if (!visits[key]) continue;
      const texts = visits[key].map((v) => v.text);
      const appStat = site === 'plain' ? null : stat(key, 'app');
      out(`| ${row}${row.endsWith('mobile') ? ` (${mobileRuns} runs)` : ` (${runs} runs)`} | ${site} | ${ms(stat(key, 'headline'))} | ${ms(stat(key, 'text'))} | ${ms(stat(key, 'fcp'))} | ${ms(stat(key, 'lcp'))} | ${ms(appStat)} | ` +
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
  if (mobileRuns) out(`"mobile": Chromium's own throttling through the DevTools protocol: CPU ${MOBILE.cpuSlowdown}× slower ` +
    `(Emulation.setCPUThrottlingRate) and ${MOBILE.latencyMs} ms latency, ${MOBILE.downKbit} kbit/s down, ${MOBILE.upKbit} kbit/s up ` +
    `(Network.emulateNetworkConditions, applied per request, not per packet).`);
  out();
}

function embedSection(out, m) {
  out('## Partner embed (headlines of one section)');
  out();
  out('A partner page on another loopback port with one embed (the documented snippet, five Europe headlines). Bytes: the host script, the ' +
    "embed's script and stylesheet and the headlines page (issue 11's budget: 15 KiB brotli). Text: ms from the partner page's navigation start " +
    `to the embed's document having its headlines, median of ${m.runs} cold visits.`);
  out();
  out('| site | raw | gzip -9 | brotli -11 | ≤ 15 KiB | text |');
  out('|---|---|---|---|---|---|');
  for (const [site, e] of Object.entries(m.embeds)) {
    out(`| ${site} | ${kib(e.bytes.raw)} | ${kib(e.bytes.gzip)} | ${kib(e.bytes.brotli)} | ${verdict(e.bytes.brotli <= 15 * 1024)} | ${ms(e.text)} |`);
  }
  out();
}

function navigationSection(out, m) {
  const navMedian = (key) => median(m.navigation[key].map((n) => n.ms));
  out('## Client navigation, homepage → article');
  out();
  out('The app\'s own navigation (it fetches the next page\'s HTML and swaps `#main` and the head): ms from the click to the article\'s headline in the DOM, ' +
    `median of ${m.runs}. Warm: the pointer rests on the link first, the app fetches the page ahead, and the click comes once that fetch has ended. ` +
    'Cold: a click without pointing first (as from the keyboard), so the page is fetched on click.');
  out();
  out('| site | warm | warm, fastest–slowest | cold | warm runs that fetched again on click |');
  out('|---|---|---|---|---|');
  for (const site of SITES_WITH_APP) {
    const warm = m.navigation[`${site} warm`];
    const refetched = warm.filter((n) => n.refetched).length;
    const times = warm.map((n) => n.ms);
    out(`| ${site} | ${navMedian(`${site} warm`).toFixed(1)} ms | ${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms | ${navMedian(`${site} cold`).toFixed(1)} ms | ${refetched} of ${warm.length} |`);
  }
  out();
}

/** A reading session's samples after its first and its second half of the articles (the
 * homepage's, before any, left out), and how many articles it visited. The highest of each half
 * is compared: the app keeps one fetched page ready for the next navigation, so a single
 * sample's DOM nodes depend on which page that is at the moment; a leak grows from half to
 * half, a bounded cache does not. */
export function sessionHalves(samples) {
  const visits = samples[samples.length - 1].visits;
  const visited = samples.filter((x) => x.visits > 0);
  return {
    first: visited.filter((x) => x.visits <= visits / 2),
    second: visited.filter((x) => x.visits > visits / 2),
    visits,
  };
}

function sessionMemorySection(out, m) {
  out('## The tab\'s memory over a reading session');
  out();
  out('One tab opens the homepage, then visits articles one after another by the app\'s own navigation (a click on a link to the next one, every article of the site in turn), ' +
    `and after each ${m.sessionEvery} the tab\'s memory is read after a full garbage collection`
    + ' (shown here after each 50; the budget compares the most of each half of the session) (DevTools protocol: `HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`, `Memory.getDOMCounters`). ' +
    '"resident": the resident memory (VmRSS) of Chromium\'s renderer processes, the wasm\'s linear memory included.');
  out();
  out('| site | articles visited | JS heap | resident | DOM nodes | event listeners |');
  out('|---|---|---|---|---|---|');
  for (const [site, samples] of Object.entries(m.sessionMemory)) {
    for (const x of samples.filter((x) => x.visits % 50 === 0)) out(`| ${site} | ${x.visits} | ${kib(x.heapBytes)} | ${kib(x.residentBytes)} | ${x.nodes} | ${x.listeners} |`);
  }
  out();
}

function lighthouseSection(out, m) {
  const { lighthouse, pages } = m;
  out('## Lighthouse');
  out();
  out(`Lighthouse ${lighthouse.version} (npm) on Debian's Chromium, a fresh profile a run; mobile is its default (a simulated slow 4G phone), ` +
    `desktop its \`--preset=desktop\`. Medians of ${lighthouse.runs} run(s) a row (\`BENCH_LIGHTHOUSE_RUNS\`); scores 0–100.`);
  out();
  out(`| page | form factor | site | ${CATEGORIES.join(' | ')} | LCP | CLS | TBT |`);
  out(`|---|---|---|${CATEGORIES.map(() => '---|').join('')}---|---|---|`);
  for (const formFactor of FORM_FACTORS) {
    for (const page of pages) {
      for (const site of ['server', 'export', 'plain']) {
        const s = lighthouse.summary(site, page.name, formFactor);
        out(`| ${page.name} | ${formFactor} | ${site} | ${CATEGORIES.map((c) => s.scores[c]).join(' | ')} | ${ms(s.lcp)} | ${s.cls.toFixed(4)} | ${ms(s.tbt)} |`);
      }
    }
  }
  out();
  const failures = [];
  for (const formFactor of FORM_FACTORS) {
    for (const page of pages) {
      for (const site of ['server', 'export', 'plain']) {
        const { failing } = lighthouse.summary(site, page.name, formFactor);
        for (const category of CATEGORIES) {
          if (failing[category].length) failures.push(`| ${page.name} | ${formFactor} | ${site} | ${category} | ${failing[category].join(', ')} |`);
        }
      }
    }
  }
  if (failures.length) {
    out('Audits below full marks (ids; for performance, metrics and insights with savings):');
    out();
    out('| page | form factor | site | category | audits |');
    out('|---|---|---|---|---|');
    failures.forEach((line) => out(line));
  } else {
    out('Every audit scored full marks.');
  }
  out();
}

/** ` (lowest–highest)` requests/s of a load's rounds, when it had several. */
function rpsRange(load) {
  const rps = (load.rounds ?? []).map((r) => Math.round(r.rps));
  if (rps.length < 2) return '';
  const n = (x) => x.toLocaleString('en');
  return ` (${n(Math.min(...rps))}–${n(Math.max(...rps))})`;
}

function apiSection(out, m) {
  out('## Read API (and the article page) under load');
  out();
  out(loadGenerator === 'wrk'
    ? `wrk, 2 threads, ${CONNECTIONS} connections, ${m.loadSeconds} s a round, loopback; wrk shares the 2 cores with the server it loads. ` +
      `${m.apiRounds ?? 1} rounds a row, the server and nginx in turn; the figures are the rounds' medians, requests/s with its range.`
    : `wrk is not installed (\`cargo xtask setup\` installs it): Node's fetch instead, ${CONNECTIONS} at a time, ${m.loadSeconds} s a row; it measures the Node client as much as the server.`);
  out('"compressed": the request says `Accept-Encoding: gzip, deflate, br` as browsers do (the server answers from its cache of compressed bodies, ' +
    'nginx gzips each answer as it goes, `gzip_comp_level 1`); "identity": no `Accept-Encoding`. nginx runs one worker a core (`worker_processes auto`).');
  out();
  out('| endpoint | size | encoding | site | requests/s | p50 | p99 | requests | failed |');
  out('|---|---|---|---|---|---|---|---|---|');
  for (const l of m.loads) {
    out(`| ${l.what} (\`${l.shownPath}\`) | ${kib(l.bytes)} | ${l.compressed ? 'compressed' : 'identity'} | ${l.site === 'export' ? 'export on nginx' : 'server'} | ` +
      `${Math.round(l.rps).toLocaleString('en')}${rpsRange(l)} | ${l.p50.toFixed(2)} ms | ${l.p99.toFixed(2)} ms | ${l.requests.toLocaleString('en')} | ${l.errors}${l.socketErrors ? ` (sockets: ${l.socketErrors})` : ''} |`);
  }
  out();
}

function memorySection(out, m) {
  const mib = (k) => (k === null || k === undefined ? '–' : `${(k / 1024).toFixed(1)} MiB`);
  out('## Server memory (VmRSS)');
  out();
  out('| when | resident |');
  out('|---|---|');
  out(`| after start (sample content loaded) | ${mib(m.rss.start)} |`);
  out(`| after the page visits, navigations and Lighthouse | ${mib(m.rss.pages)} |`);
  out(`| after the API load | ${mib(m.rss.api)} |`);
  out();
}

function exportSection(out, m) {
  out('## Static export (release exporter)');
  out();
  out('Articles/s (CPU): articles over the CPU seconds (user + sys, all threads) of the whole run, the corpus\'s generation included ' +
    '(its share is stamped in wall time only, which the machine\'s load inflates).');
  out();
  out('| source | articles | files | wall | CPU (user + sys) | generating the corpus | articles/s (wall) | articles/s (CPU) |');
  out('|---|---|---|---|---|---|---|---|');
  const exports = [...(m.exports ?? []), ...(m.corpora ?? []).map((c) => ({
    what: `${c.count.toLocaleString('en')} generated articles${c.exported.timings ? ` (the median of ${c.exported.timings} runs by CPU)` : ''}`,
    ...c.exported,
  }))];
  for (const e of exports) {
    out(`| ${e.what} | ${e.articles?.toLocaleString('en')} | ${e.files?.toLocaleString('en')} | ${e.wall.toFixed(2)} s | ` +
      `${e.cpu === null ? '–' : `${e.cpu.toFixed(2)} s`} | ${e.generating === null ? '–' : `${e.generating.toFixed(2)} s`} | ${Math.round(e.articles / e.wall).toLocaleString('en')} | ` +
      `${exportCpu(e) === null ? '–' : Math.round(perSecond(e.articles, exportCpu(e))).toLocaleString('en')} |`);
  }
  out();
}

function corporaSection(out, m) {
  out('## Read API by the size of the database');
  out();
  out(`The release server serving the database the exporter generated (\`--generate-corpus N --corpus-database\`, then the server's \`--skip-content\`), ` +
    `wrk, 2 threads, ${CONNECTIONS} connections, ${m.loadSeconds} s a round, compressed, ${m.apiRounds ?? 1} rounds a row (the two read-cache rows in turn); the figures are the rounds' medians. "one article": the middle article again and again (read-cache hits); ` +
    '"any article": an article picked at random per request (a wrk script), against the same server started again with its read cache off (`--read-cache-mib 0`), so that every read is a database read at every size; "list": the first page of the list. ' +
    'Each server starts once the export has settled (a second per 20,000 files it wrote, up to 30, then at most 15% of the CPUs busy over half a second), and each row meets a read cache already holding its answer.');
  out();
  out('| articles | endpoint | requests/s | p50 | p99 | failed |');
  out('|---|---|---|---|---|---|');
  for (const c of m.corpora) {
    for (const [endpoint, l] of Object.entries(c.loads)) {
      if (!l) continue;
      out(`| ${c.count.toLocaleString('en')} | ${endpoint} | ${Math.round(l.rps).toLocaleString('en')} | ${l.p50.toFixed(2)} ms | ${l.p99.toFixed(2)} ms | ${l.errors}${l.socketErrors ? ` (sockets: ${l.socketErrors})` : ''} |`);
    }
  }
  out();
  if (m.corpora.length > 1) {
    const [first, last] = [m.corpora[0], m.corpora[m.corpora.length - 1]];
    out(`${last.count.toLocaleString('en')} against ${first.count.toLocaleString('en')} articles: ` +
      Object.keys(first.loads).filter((e) => first.loads[e] && last.loads[e]).map((e) =>
        `${e}: p50 ${ratio(last.loads[e].p50, first.loads[e].p50)}, p99 ${ratio(last.loads[e].p99, first.loads[e].p99)}, requests/s ${ratio(last.loads[e].rps, first.loads[e].rps)}`).join('; ') + '.');
    out();
  }
}

/** The whole report, as Markdown lines. */
export function report(m) {
  const lines = [];
  const out = (line = '') => lines.push(line);
  out('# Budapest Post benchmark');
  out();
  out(`${m.startedAt.toISOString()}, ${m.cores} cores, load average ${m.load[0].toFixed(1)} (1 min) / ${m.load[1].toFixed(1)} (5 min) when it ended; ` +
    `parts run: ${m.parts.join(', ')}; the bench took ${m.seconds.toFixed(0)} s.`);
  out();
  out('## Budgets (issue 10)');
  out();
  out('| budget | measured | verdict |');
  out('|---|---|---|');
  for (const row of budgetRows(m)) out(`| ${row.join(' | ')} |`);
  out();
  bundleSection(out, m);
  if (m.visits) visitsSection(out, m);
  if (m.navigation) navigationSection(out, m);
  if (m.sessionMemory) sessionMemorySection(out, m);
  if (m.embeds) embedSection(out, m);
  if (m.lighthouse) lighthouseSection(out, m);
  if (m.loads) apiSection(out, m);
  if (m.rss) memorySection(out, m);
  if (m.exports || m.corpora) exportSection(out, m);
  if (m.corpora) corporaSection(out, m);
  if (m.stores) storesSection(out, m);
  return lines;
}
