// The API on each store, in one run: the release server on SQLite (one node: SQLite is one
// machine's file) and on PostgreSQL, with one node and with three nodes behind nginx as a load
// balancer, each loaded by wrk with article reads (read cache on, and off so that every read
// reaches the database) and with report writes (a new idempotency key per request).
// PostgreSQL is the throwaway cluster `cargo xtask bench` starts (`BP_BENCH_POSTGRES_URL`, a
// superuser's URL); each setup gets a fresh database of its own, dropped at the end.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { CONNECTIONS, load, loadGenerator, loadScripted } from './load.mjs';
import { freePort, nginxHttp, required, scratchFolder, startNginxWith, startServer } from './sites.mjs';
import { median, ratio } from './stats.mjs';

/** The environment variable naming the PostgreSQL cluster the part uses. */
export const POSTGRES_URL_VAR = 'BP_BENCH_POSTGRES_URL';
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const REPORTS = '/api/v1/reports';

/** The setups, SQLite first: the ratios are to it. One PostgreSQL node behind the balancer
 * tells the balancer's own cost apart from that of more nodes. */
const SETUPS = [
  { store: 'SQLite', nodes: 1, balancer: false },
  { store: 'PostgreSQL', nodes: 1, balancer: false },
  { store: 'PostgreSQL', nodes: 1, balancer: true },
  { store: 'PostgreSQL', nodes: 3, balancer: true },
];

/** The loads, each a row per setup. */
const LOADS = {
  cached: 'article JSON, read cache on (compressed)',
  uncached: 'article JSON, read cache off (identity)',
  writes: 'report POST, a new key each',
};

/** Every node's options: writes from the one load generator are not limited per client
 * (startServer lifts that) nor for the whole server. */
const NODE_ARGS = ['--global-write-rate-per-minute', '100000000'];

/** The superuser URL of the cluster, or an error saying how to get one. */
export function postgresAdminUrl() {
  const url = process.env[POSTGRES_URL_VAR];
  if (!url) {
    throw new Error(`${POSTGRES_URL_VAR} is not set: the stores part needs a PostgreSQL cluster (\`cargo xtask bench\` starts one; ` +
      'or set it to a superuser URL such as postgres://postgres@127.0.0.1:PORT/postgres), or leave the part out with BENCH_ONLY');
  }
  return url;
}

/** Runs `sql` as the cluster's superuser; its output, unaligned. */
function psql(adminUrl, sql) {
  const run = spawnSync(PSQL, ['--no-psqlrc', '--quiet', '--tuples-only', '--no-align', '-v', 'ON_ERROR_STOP=1', '--dbname', adminUrl, '--command', sql], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql failed on \`${sql}\`: ${run.stderr || run.error}`);
  return run.stdout.trim();
}

/** A new empty database on the cluster; its URL and how to drop it. */
function freshDatabase(adminUrl) {
  const name = `bp_bench_stores_${randomBytes(6).toString('hex')}`;
  psql(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The repository's load-balancer configuration (docs/deploying.md). */
const DEPLOYED_BALANCER = new URL('../../deploy/nginx/api-load-balancer.conf', import.meta.url);

/**
 * The repository's load balancer in front of `nodes`, as its own test runs it: listening on
 * `port` on 127.0.0.1, one `server` line (with the file's parameters) per node, and nothing
 * else changed but one line: the file sends each client to one node (`hash
 * $binary_remote_addr`), and the benchmark's one load generator is one client, so that line is
 * taken out and nginx spreads requests round robin. Inside a minimal `http` block of the
 * bench's own (temporary paths, no access log).
 */
function balancerConfig(nodes, port, scratch) {
  const deployed = readFileSync(DEPLOYED_BALANCER, 'utf8');
  const serverLine = /^([ \t]*)server 127\.0\.0\.1:\d+([^;\n]*);\n/m;
  const first = deployed.match(serverLine);
  const hash = /^[ \t]*hash \$binary_remote_addr[^;\n]*;\n/m;
  if (!first || !hash.test(deployed) || !/^\s*listen 8080;/m.test(deployed)) {
    throw new Error(`${DEPLOYED_BALANCER.pathname} no longer has the \`listen 8080;\`, \`hash $binary_remote_addr\` and \`server 127.0.0.1:…\` lines the bench rewrites`);
  }
  const [, indent, parameters] = first;
  const upstream = deployed
    .replace(hash, '')
    .replace(serverLine, '\0nodes\n')
    .replace(new RegExp(serverLine.source, 'gm'), '')
    .replace('\0nodes\n', nodes.map((n) => `${indent}server ${new URL(n.url).host}${parameters};\n`).join(''))
    .replace(/^(\s*)listen 8080;/m, `$1listen 127.0.0.1:${port};`);
  return nginxHttp(scratch, upstream);
}

/** A report's JSON with `%s` for its idempotency key, as a Lua string literal. */
function reportTemplate(slug) {
  const body = JSON.stringify({
    article_slug: slug,
    quoted_passage: 'A passage the benchmark quotes',
    what_is_wrong: 'Nothing: the benchmark measures how fast reports are stored.',
    correction: 'The same passage',
    idempotency_key: '%s',
  });
  // JSON's escapes of plain ASCII text (only `\"` here) are Lua's too, and `%s` is the only
  // format directive.
  if (!/^[\x20-\x7e]*$/.test(body) || body.split('%').length !== 2) throw new Error('the report template must be printable ASCII with one %s');
  return JSON.stringify(body);
}

/** A wrk script that POSTs the report, each request with a key of its own: the run's `tag`,
 * wrk's thread and the thread's count (16 to 64 of `A-Z a-z 0-9 -`, as the contract wants). */
function reportScript(slug) {
  return `
local body = ${reportTemplate(slug)}
local headers = { ["Content-Type"] = "application/json" }
local threads = 0
local sent = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end
function init(args) tag = args[1] end
function request()
  sent = sent + 1
  local key = string.format("%s-%d-%09d", tag, thread_number, sent)
  return wrk.format("POST", nil, headers, string.format(body, key))
end`;
}

/** `count` nodes on `database`, the first loading the content when `loadContent`, the others
 * started once it serves. */
async function startNodes(database, count, { loadContent, extraArgs }) {
  const first = await startServer({ database, skipContent: !loadContent, extraArgs: [...NODE_ARGS, ...extraArgs] });
  const nodes = [first];
  try {
    for (let i = 1; i < count; i++) nodes.push(await startServer({ database, skipContent: true, extraArgs: [...NODE_ARGS, ...extraArgs] }));
  } catch (error) {
    for (const node of nodes) await node.stop();
    throw error;
  }
  return nodes;
}

/** What answers the load: the node, or a balancer in front of the nodes. */
async function frontOf(nodes, balancer) {
  if (!balancer) return { url: nodes[0].url, stop: async () => {} };
  const port = await freePort();
  return startNginxWith('balancer', port, (scratch) => balancerConfig(nodes, port, scratch));
}

/** Fails unless `url` answers `status`. */
async function expectStatus(url, status, init = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== status) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}, not ${status}: ${text.slice(0, 300)}`);
}

/** The reports stored in `database`, counted by the editors' command once no node runs. */
function storedReports(database) {
  const run = spawnSync(required('BP_SERVER_BIN'), ['--database', database, 'reports', 'list', '--status', 'received', '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`the editors' reports list failed: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout).length;
}

/** The setup's nodes on its database, started again with the read cache `on` or off, and what
 * answers in front of them; the first start loads the content. */
async function startSetup(setup, cache, articleJson) {
  // Behind the balancer as deployed: the client is the one nginx saw.
  const extraArgs = [...(setup.balancer ? ['--trust-forwarded-for'] : []), ...(cache === 'on' ? [] : ['--read-cache-mib', '0'])];
  const nodes = await startNodes(setup.database, setup.nodes, { loadContent: cache === 'on', extraArgs });
  const stop = async (front) => {
    if (front) await front.stop();
    for (const node of nodes) await node.stop();
  };
  let front;
  try {
    front = await frontOf(nodes, setup.balancer);
    for (const node of [...nodes, front]) await expectStatus(node.url + articleJson, 200);
  } catch (error) {
    await stop(front);
    throw error;
  }
  return { url: front.url, stop: () => stop(front) };
}

/** One row of `key` against `url`. */
function loadRow(key, url, { articleJson, slug, seconds }) {
  if (key === 'cached') return load(url + articleJson, seconds, { compressed: true });
  if (key === 'uncached') return load(url + articleJson, seconds, { compressed: false });
  return loadScripted(url + REPORTS, seconds, reportScript(slug), [randomBytes(4).toString('hex')]);
}

/** The rounds of one row: medians of the rates and percentiles, the range of the rate, sums of
 * the counts (null when not measured). */
function summary(runs) {
  if (!runs.length || runs.some((r) => !r)) return null;
  const rates = runs.map((r) => r.rps);
  const socketErrors = runs.map((r) => r.socketErrors).filter(Boolean);
  return {
    rps: median(rates),
    rpsRange: [Math.min(...rates), Math.max(...rates)],
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    socketErrors: socketErrors.length ? socketErrors.join('; ') : null,
  };
}

const labelOf = (setup) => `${setup.store}, ${setup.nodes} node${setup.nodes > 1 ? 's' : ''}${setup.balancer ? ' behind nginx' : ''}`;

/**
 * Every setup under every load, `rounds` rounds of `seconds` a row: all the setups run side by
 * side (each on a database of its own), and each round loads them in turn, so that the
 * machine's other load falls on all alike. `articleJson` is the path of the seed article's
 * JSON, `slug` its slug. `log` reports progress.
 */
export async function measureStores({ articleJson, slug, seconds, rounds, log }) {
  const adminUrl = postgresAdminUrl();
  const postgresVersion = psql(adminUrl, 'SHOW server_version');
  // What makes its writes durable and its reads fast, which the cluster's start chose.
  const postgresSettings = ['fsync', 'synchronous_commit', 'shared_buffers', 'max_connections'].map((name) => `${name} ${psql(adminUrl, `SHOW ${name}`)}`).join(', ');
  const scratch = scratchFolder('bp-bench-stores-');
  const setups = [];
  const options = { articleJson, slug, seconds };
  try {
    for (const setup of SETUPS) {
      const postgres = setup.store === 'PostgreSQL' ? freshDatabase(adminUrl) : null;
      setups.push({ ...setup, label: labelOf(setup), database: postgres?.url ?? join(scratch, 'stores.sqlite3'), drop: postgres?.drop, runs: { cached: [], uncached: [], writes: [] } });
    }
    for (const cache of ['on', 'off']) {
      const running = [];
      try {
        for (const setup of setups) running.push(await startSetup(setup, cache, articleJson));
        if (cache === 'on') {
          for (const [i, setup] of setups.entries()) {
            await expectStatus(running[i].url + REPORTS, 201, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.parse(reportTemplate(slug)).replace('%s', `bench-check-${randomBytes(8).toString('hex')}`),
            });
            log(`stores: ${setup.label} answers`);
          }
        }
        for (let round = 0; round < rounds; round++) {
          for (const key of cache === 'on' ? ['cached', 'writes'] : ['uncached']) {
            for (const [i, setup] of setups.entries()) setup.runs[key].push(loadRow(key, running[i].url, options));
          }
          log(`stores: read cache ${cache}, round ${round + 1} of ${rounds}`);
        }
      } finally {
        for (const setup of running) await setup.stop();
      }
    }
    for (const setup of setups) {
      setup.results = Object.fromEntries(Object.entries(setup.runs).map(([key, runs]) => [key, summary(runs)]));
      const { writes } = setup.results;
      if (!writes) continue;
      // Every acknowledged report is stored; a few more may be (answered after wrk stopped
      // counting). The check report is not counted.
      writes.stored = storedReports(setup.database) - 1;
      const acknowledged = writes.requests - writes.errors;
      if (writes.stored < acknowledged) throw new Error(`${setup.label}: ${acknowledged} reports acknowledged but ${writes.stored} stored`);
    }
  } finally {
    for (const setup of setups) setup.drop?.();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { postgresVersion, postgresSettings, seconds, rounds, setups: setups.map(({ label, store, nodes, balancer, results }) => ({ label, store, nodes, balancer, results })) };
}

const msCell = (l, field) => (l ? `${l[field].toFixed(2)} ms` : '–');

/** The report's section: a table by load, each setup's figures and their ratio to SQLite's. */
export function storesSection(out, m) {
  const { stores } = m;
  out('## API on PostgreSQL and SQLite');
  out();
  out(`The release server on SQLite (a fresh file) and on PostgreSQL ${stores.postgresVersion} (a fresh database a setup on the cluster ` +
    `\`${POSTGRES_URL_VAR}\` names, which \`cargo xtask bench\` starts: ${stores.postgresSettings}; the server's default pool of 16 connections a node), each with the sample content. ` +
    'Three nodes share one database behind Debian\'s nginx with the repository\'s `deploy/nginx/api-load-balancer.conf` (nodes with `--trust-forwarded-for`, as deployed), ' +
    'but for its `hash $binary_remote_addr` line: the one load generator is one client, which the hash would send to one node, so requests go round robin; ' +
    'one node behind the same nginx tells the balancer\'s cost apart from that of more nodes. ' +
    `wrk, 2 threads, ${CONNECTIONS} connections, ${stores.seconds} s a row; every setup runs side by side and each of ${stores.rounds} round(s) loads them in turn: ` +
    'requests/s, p50 and p99 are medians of the rounds (the range of requests/s beside), requests and failures their sums. ' +
    'Everything (nodes, nginx, PostgreSQL, wrk) shares the machine\'s cores. ' +
    'Reads: the seed article\'s JSON, with the read cache on as served (compressed, as browsers ask), and with every node started again with ' +
    '`--read-cache-mib 0` so that every request reads the database (uncompressed: without the cache the server compresses each answer anew, which would hide the database). ' +
    'Writes: a valid report POSTed with a new idempotency key per request (a wrk script), each `201` a stored report; ' +
    'the per-client and global write limits are lifted since all the load comes from one address. "÷ SQLite": against SQLite\'s row of the same load.');
  if (loadGenerator !== 'wrk') out('wrk is not installed: the reads fell back to Node\'s fetch and the writes were not measured.');
  out();
  out('| load | setup | requests/s | range | p50 | p99 | requests | failed | requests/s ÷ SQLite | p50 ÷ SQLite | p99 ÷ SQLite |');
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  const rate = (x) => Math.round(x).toLocaleString('en');
  for (const [key, what] of Object.entries(LOADS)) {
    const base = stores.setups[0].results[key];
    for (const s of stores.setups) {
      const l = s.results[key];
      const vs = (field) => (l && base && s !== stores.setups[0] ? ratio(l[field], base[field]) : '–');
      out(`| ${what} | ${s.label} | ${l ? rate(l.rps) : '–'} | ${l ? `${rate(l.rpsRange[0])}–${rate(l.rpsRange[1])}` : '–'} | ${msCell(l, 'p50')} | ${msCell(l, 'p99')} | ` +
        `${l ? l.requests.toLocaleString('en') : '–'} | ${l ? `${l.errors}${l.socketErrors ? ` (sockets: ${l.socketErrors})` : ''}` : '–'} | ${vs('rps')} | ${vs('p50')} | ${vs('p99')} |`);
    }
  }
  out();
  const written = stores.setups.filter((s) => s.results.writes);
  if (written.length) {
    out('Reports stored by the write rows (the editors\' `reports list --status received --json` once the nodes had stopped, the check report before the rounds left out) ' +
      'against those acknowledged with `201` (the bench fails if fewer are stored; up to a connection\'s worth a round more may be, answered after wrk stopped counting): ' +
      written.map((s) => `${s.label}: ${s.results.writes.stored.toLocaleString('en')} stored / ${(s.results.writes.requests - s.results.writes.errors).toLocaleString('en')} acknowledged`).join('; ') + '.');
    out();
  }
}
