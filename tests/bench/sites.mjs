// The three sites the benchmark compares, each on its own free loopback port: the release
// server, the static export on nginx, and the export stripped of every script (plain HTML and
// CSS on nginx, the physical limit of what the pages could cost).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable `name`, which `cargo xtask bench` sets. */
export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmark with \`cargo xtask bench\``);
  return value;
}

/** A fresh folder under the system's temporary folder, readable by nginx's workers. */
export function scratchFolder(prefix) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o755);
  return folder;
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when `child` has exited, after sending it `signal` if it still runs. */
function stopped(child, signal) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** The resident memory of process `pid` in KiB (VmRSS), or null if it cannot be read. */
export function residentKib(pid) {
  try {
    const found = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return found ? Number(found[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the release server on a free port: with a fresh SQLite file and the sample content,
 * or, given `database` (a SQLite file or a `postgres://` URL), serving it as it is
 * (`--skip-content`) unless `skipContent` is false.
 */
export async function startServer({ database: given, skipContent = given !== undefined, extraArgs = [] } = {}) {
  const folder = scratchFolder('bp-bench-db-');
  const database = given ?? join(folder, 'bench.sqlite3');
  const child = spawn(required('BP_SERVER_BIN'), [
    '--addr', '127.0.0.1:0', '--database', database,
    ...(skipContent ? ['--skip-content'] : ['--content', required('BP_CONTENT')]), '--dist', required('BP_DIST'),
    // The load generator is one client: lift the rate limits so it measures the server.
    '--read-rate-per-minute', '100000000', '--write-rate-per-minute', '1000000',
    ...extraArgs,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = stdout.match(/running at (http:\/\/[^\s]+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
  });
  return {
    name: 'server',
    url,
    pid: child.pid,
    stop: async () => {
      await stopped(child, 'SIGTERM');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A minimal nginx configuration serving `root` on `port` as the README's block does for the
 * static export: the export's own 404 page, gzip for text and wasm, and
 * hashed assets cached for good; one worker a core, as Debian's default configuration.
 */
function nginxConfig(root, port, scratch) {
  return nginxHttp(scratch, `
  include /etc/nginx/mime.types;
  types { application/manifest+json webmanifest; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {
      try_files $uri $uri/index.html =404;
      error_page 404 /404.html;
    }
    location ~* "-[0-9a-f]{12,64}(_bg)?\\.(js|wasm|css)$" {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
    gzip on;
    gzip_types application/json application/wasm application/javascript text/css;
  }`);
}

/** An nginx configuration in the foreground, one worker a core (as Debian's default), its
 * log, pid and temporary files in `scratch`, no access log, and `http` as the rest of its
 * `http` block. */
export function nginxHttp(scratch, http) {
  return `
daemon off;
worker_processes auto;
error_log ${scratch}/error.log warn;
pid ${scratch}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${scratch}/body;
  proxy_temp_path ${scratch}/proxy;
  fastcgi_temp_path ${scratch}/fastcgi;
  uwsgi_temp_path ${scratch}/uwsgi;
  scgi_temp_path ${scratch}/scgi;
${http}
}`;
}

/** Serves the folder `root` with Debian's nginx on `port` (a free one if not given); `name`
 * labels it. */
export async function startNginx(name, root, port = undefined) {
  const listen = port ?? (await freePort());
  return startNginxWith(name, listen, (scratch) => nginxConfig(root, listen, scratch));
}

/** Debian's nginx with the configuration `config(scratch)` (its temporary folder, for logs,
 * pid and buffers), answering on `port`; `name` labels it. */
export async function startNginxWith(name, port, config) {
  const scratch = scratchFolder('bp-bench-nginx-');
  const configFile = join(scratch, 'nginx.conf');
  writeFileSync(configFile, config(scratch));
  const child = spawn('/usr/sbin/nginx', ['-c', configFile, '-p', scratch], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(url + '/');
      break;
    } catch {
      if (attempt > 100 || child.exitCode !== null) throw new Error(`nginx did not start:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    name,
    url,
    pid: child.pid,
    stop: async () => {
      await stopped(child, 'SIGQUIT');
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Exports the sample content into `out` with the release exporter, for the root of the host
 * `siteUrl` (its canonical links, sharing tags and sitemap name it, as a real deployment's do). */
export function exportSite(out, siteUrl) {
  const run = spawnSync(required('BP_EXPORT_BIN'), [
    '--out', out, '--force', '--dist', required('BP_DIST'), '--content', required('BP_CONTENT'), '--site-url', siteUrl,
  ], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the exporter failed:\n${run.stderr}`);
}

/** `html` without any script, nor any preload or modulepreload of one: what the page is to a
 * browser without JavaScript, and costs no script download. */
export function withoutScripts(html) {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<link\b[^>]*\brel=["']?(?:modulepreload|preload)\b[^>]*>/gi, '');
}

/** The export of the sample content for the host `siteUrl` in `to`, every HTML file stripped
 * by [`withoutScripts`]. */
export function plainCopy(to, siteUrl) {
  exportSite(to, siteUrl);
  const strip = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) strip(path);
      else if (entry.name.endsWith('.html')) writeFileSync(path, withoutScripts(readFileSync(path, 'utf8')));
    }
  };
  strip(to);
}
