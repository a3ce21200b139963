// The read API under a bounded load: wrk (Debian's package) when it is installed, else a load
// generator in this process. Each run lasts a few seconds, on loopback only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { median } from './stats.mjs';

const WRK = '/usr/bin/wrk';
/** Open connections during a run. */
export const CONNECTIONS = 64;
/** What browsers send. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The load generator this run uses. */
export const loadGenerator = existsSync(WRK) ? 'wrk' : 'node';

/** A wrk duration (`812.00us`, `1.20ms`, `2.00s`) in ms. */
function wrkMs(text) {
  const found = text.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!found) return null;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[found[2]];
  return Number(found[1]) * scale;
}

/** wrk's report: requests a second, latency percentiles, and the failed requests. */
export function parseWrk(output) {
  const value = (pattern) => output.match(pattern)?.[1];
  const requests = Number(value(/(\d+) requests in/));
  const errors = Number(value(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0);
  const socket = value(/Socket errors: ([^\n]+)/);
  return {
    rps: Number(value(/Requests\/sec:\s+([\d.]+)/)),
    p50: wrkMs(value(/^\s+50%\s+(\S+)/m) ?? ''),
    p99: wrkMs(value(/^\s+99%\s+(\S+)/m) ?? ''),
    requests,
    errors,
    socketErrors: socket ?? null,
  };
}

function runWrk(url, seconds, compressed, script) {
  const run = spawnSync(WRK, [
    '--threads', '2', '--connections', String(CONNECTIONS), '--duration', `${seconds}s`, '--timeout', '2s', '--latency',
    ...(compressed ? ['--header', `Accept-Encoding: ${ACCEPT_ENCODING}`] : []),
    ...(script ? ['--script', script.file, url, '--', ...script.args] : [url]),
  ], { encoding: 'utf8', timeout: (seconds + 10) * 1000 });
  if (run.status !== 0) throw new Error(`wrk failed on ${url}:\n${run.stderr}`);
  return parseWrk(run.stdout);
}

async function runNode(url, seconds, compressed) {
  const latencies = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < until) {
      const sent = performance.now();
      const response = await fetch(url, { headers: { 'accept-encoding': compressed ? ACCEPT_ENCODING : 'identity' } });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  const elapsed = (performance.now() - started) / 1000;
  return { rps: sorted.length / elapsed, p50: at(50), p99: at(99), requests: sorted.length, errors, socketErrors: null };
}

/** The machine's busy and total CPU time so far, in clock ticks (`/proc/stat`). */
function cpuTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Waits until the machine's CPUs are at most `busiest` busy over half a second (up to
 * `seconds`), so that a load does not meet the kernel still freeing what the step before it
 * left (the 100,000-article export writes and removes some 600,000 files). Answers whether it
 * got quiet; without `/proc/stat`, waits a second. */
export async function quiet({ busiest = 0.15, seconds = 30 } = {}) {
  if (!existsSync('/proc/stat')) return new Promise((resolve) => setTimeout(() => resolve(false), 1000));
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const before = cpuTicks();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = cpuTicks();
    if ((after.busy - before.busy) <= busiest * (after.total - before.total)) return true;
  }
  return false;
}

/** One GET of `url` with the very headers the load will send (`compressed`: browsers'
 * `Accept-Encoding`, else none), which must answer 200: the load then meets a warm read cache
 * from its first request, as "on cache hits" says. */
export function warm(url, { compressed }) {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: compressed ? { 'accept-encoding': ACCEPT_ENCODING } : {} }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${response.statusCode}`))));
    });
    request.on('error', reject);
  });
}

/** `seconds` of GETs of `url` from [`CONNECTIONS`] connections; `compressed`: accepting
 * compressed answers as browsers do. */
export function load(url, seconds, { compressed }) {
  return loadGenerator === 'wrk' ? runWrk(url, seconds, compressed) : runNode(url, seconds, compressed);
}

/** `seconds` of wrk against `url` driven by the Lua script `lua` (given `args` after `--`),
 * compressed as browsers ask; wrk only (null without it). */
export function loadScripted(url, seconds, lua, args = []) {
  if (loadGenerator !== 'wrk') return null;
  const scratch = mkdtempSync(join(tmpdir(), 'bp-bench-wrk-'));
  try {
    const file = join(scratch, 'script.lua');
    writeFileSync(file, lua);
    return runWrk(url, seconds, true, { file, args });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `seconds` of GETs, each of a generated article picked at random among `count`
 * (`articleJson(i)` is its path), so that the server's read cache misses as a large site's
 * would; wrk only (null without it). */
export function loadAnyArticle(origin, count, seconds, articleJson) {
  const [before, after] = articleJson('%06d').split('%06d');
  return loadScripted(origin + '/', seconds, `
local count = 1
function init(args) count = tonumber(args[1]) end
function request()
  return wrk.format(nil, string.format(${JSON.stringify(`${before}%06d${after}`)}, math.random(0, count - 1)))
end`, [String(count)]);
}

/** One figure for several rounds of the same load: the median requests/s, p50 and p99, the
 * requests and failures added up, and every round kept (`rounds`) for ratios taken round by
 * round against a load run beside it. */
export function medianLoad(rounds) {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    socketErrors: rounds.map((r) => r.socketErrors).filter(Boolean).join('; ') || null,
    rounds,
  };
}

/** The median, over rounds run side by side, of `a`'s requests/s over `b`'s. */
export function pairedRatio(a, b) {
  const n = Math.min(a.rounds?.length ?? 0, b.rounds?.length ?? 0);
  if (!n) return a.rps / b.rps;
  return median(Array.from({ length: n }, (_, i) => a.rounds[i].rps / b.rounds[i].rps));
}
