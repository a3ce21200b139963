// The benchmark: bundle size, time to text visible, and API latency under a bounded load.
// Run with `cargo xtask bench`; numbers are medians over repeated runs on this machine.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const SEED_SLUG = 'russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const API_REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 3000);
const API_CONCURRENCY = 8;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

function startServer() {
  const database = join(mkdtempSync(join(tmpdir(), 'bp-bench-')), 'bench.sqlite3');
  const child = spawn(process.env.BP_SERVER_BIN, [
    '--addr', '127.0.0.1:0', '--database', database,
    '--content', process.env.BP_CONTENT, '--dist', process.env.BP_DIST,
    // The load test is one client; lift its rate limits so it measures the server, not them.
    '--read-rate-per-minute', '1000000', '--write-rate-per-minute', '1000000',
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/running at (http:\/\/[^\s]+)/);
      if (m) resolve({ url: m[1].replace(/\/$/, ''), child });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

function bundleSizes() {
  const dist = process.env.BP_DIST;
  const rows = [];
  for (const name of readdirSync(dist)) {
    if (!/\.(wasm|js|css|html)$/.test(name)) continue;
    const bytes = readFileSync(join(dist, name));
    rows.push({
      file: name.replace(/-[0-9a-f]{16}/, '-<hash>'),
      raw: statSync(join(dist, name)).size,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return rows;
}

// Stamps performance.now() when the page's text first shows, from inside the page.
const OBSERVER = `
  window.__bpVisible = {};
  new MutationObserver(() => {
    const h1 = document.querySelector('main h1:not(.visually-hidden)');
    const lead = document.querySelector('[data-testid=lead-story] h2');
    const stamp = (key, el) => { if (el && el.textContent.trim() && !window.__bpVisible[key]) window.__bpVisible[key] = performance.now(); };
    stamp('headline', h1 || lead);
    stamp('body', document.querySelector('.article-body p, .article-list__item'));
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

async function textVisible(browser, url, path, runs) {
  const headline = [], body = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(OBSERVER);
    await page.goto(url + path);
    await page.waitForFunction(() => window.__bpVisible.headline && window.__bpVisible.body, null, { timeout: 20000 });
    const v = await page.evaluate(() => window.__bpVisible);
    headline.push(v.headline); body.push(v.body);
    await context.close();
  }
  return { headline: median(headline), body: median(body) };
}

async function clientNavigation(browser, url, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url + '/');
    await page.waitForSelector('[data-testid=lead-story] a');
    const t = await page.evaluate(() => new Promise((resolve) => {
      const start = performance.now();
      new MutationObserver((_, obs) => {
        const h1 = document.querySelector('main h1:not(.visually-hidden)');
        if (h1 && h1.textContent.includes('Russia')) { obs.disconnect(); resolve(performance.now() - start); }
      }).observe(document, { childList: true, subtree: true, characterData: true });
      document.querySelector('[data-testid=lead-story] a').click();
    }));
    times.push(t);
    await context.close();
  }
  return median(times);
}

async function apiLoad(url, path, total) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < total) {
      next++;
      const t = performance.now();
      const res = await fetch(url + path);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: API_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { rps: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const { url, child } = await startServer();
try {
  console.log(`# Budapest Post benchmark (${new Date().toISOString()}, ${RUNS} runs each, medians)\n`);
  console.log('## Bundle\n\n| file | raw | gzip -9 | brotli -11 |\n|---|---|---|---|');
  for (const r of bundleSizes()) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const home = await textVisible(browser, url, '/', RUNS);
  const article = await textVisible(browser, url, `/articles/${SEED_SLUG}`, RUNS);
  const nav = await clientNavigation(browser, url, RUNS);
  await browser.close();
  console.log('\n## Text visible (ms after navigation start, stamped in the page)\n');
  console.log('| page | headline visible | first body text visible |\n|---|---|---|');
  console.log(`| homepage, cold | ${home.headline.toFixed(0)} | ${home.body.toFixed(0)} |`);
  console.log(`| article, cold | ${article.headline.toFixed(0)} | ${article.body.toFixed(0)} |`);
  console.log(`\nClient-side navigation homepage → article (click to headline): ${nav.toFixed(1)} ms\n`);
  console.log(`## API under load (${API_REQUESTS} GETs, ${API_CONCURRENCY} at a time, loopback)\n`);
  console.log('| endpoint | requests/s | p50 ms | p99 ms |\n|---|---|---|---|');
  for (const path of [`/api/v1/articles/${SEED_SLUG}.json`, '/api/v1/articles/index.json']) {
    const r = await apiLoad(url, path, API_REQUESTS);
    console.log(`| ${path} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
  }
} finally {
  child.kill('SIGTERM');
}
