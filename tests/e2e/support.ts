// Starts the real server binary with its own SQLite file, and reads what it stored.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect } from '@playwright/test';
import { spawn, execFileSync, ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SEED_SLUG = 'russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato';
/** Set in the browser's storage once a reader has closed the newsletter prompt. */
export const PROMPT_CLOSED_KEY = 'bp-newsletter-prompt-closed';
export const SEED_HEADLINE = 'Russia Lays Out Demands for a Sweeping New Security Deal With NATO';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`cargo xtask test e2e\``);
  return value;
}

export interface RunningServer {
  url: string;
  database: string;
  /** Where reports and sign-ups go: the server itself, or the export's API server. */
  apiUrl: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the server on a free port; `database` defaults to a new file in a new folder. */
export async function startServer(options: { database?: string; args?: string[] } = {}): Promise<RunningServer> {
  const database = options.database ?? join(mkdtempSync(join(tmpdir(), 'bp-e2e-')), 'site.sqlite3');
  const child = spawn(
    required('BP_SERVER_BIN'),
    [
      // A caller's own --addr (to come back on the same port) replaces the free-port default.
      ...(options.args?.includes('--addr') ? [] : ['--addr', '127.0.0.1:0']),
      '--database', database,
      '--content', required('BP_CONTENT'),
      '--dist', required('BP_DIST'),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const found = stdout.match(/running at (http:\/\/[^\s]+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    database,
    apiUrl: url,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** The reports stored in `database`, read through the editors' command. */
export function storedReports(database: string): Array<Record<string, string | null>> {
  const out = execFileSync(required('BP_SERVER_BIN'), ['--database', database, 'reports', 'list', '--json']);
  return JSON.parse(out.toString());
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The nginx block the README gives operators, exactly as written there. */
export function readmeNginxBlock(): string {
  const readme = readFileSync(join(dirname(__dirname), '..', 'README.md'), 'utf8');
  const block = readme.match(/```nginx\n([\s\S]*?)```/);
  if (!block) throw new Error('README.md has no nginx block');
  return block[1];
}

/**
 * The README's nginx block with this deployment's folder, port, base path, API address and
 * inline-script hashes put in, inside the `http` block Debian's nginx.conf would wrap it in.
 */
export function nginxConfig(
  root: string, port: number, basePath: string, scratch: string, apiOrigin: string, scriptHashes: string,
): string {
  let block = readmeNginxBlock();
  const put = (written: string, actual: string) => {
    if (!block.includes(written)) throw new Error(`the README's nginx block no longer has ${written}`);
    block = block.split(written).join(actual);
  };
  put('listen 80;', `listen 127.0.0.1:${port};`);
  put('root /srv/budapest-post;', `root ${root};`);
  put('/news/', `${basePath}/`);
  put('https://api.budapestpost.example', apiOrigin);
  put("'sha256-…'", scriptHashes);
  return `
daemon off;
worker_processes 1;
error_log ${scratch}/error.log warn;
pid ${scratch}/nginx.pid;
events { worker_connections 256; }
http {
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${scratch}/body;
  proxy_temp_path ${scratch}/proxy;
  fastcgi_temp_path ${scratch}/fastcgi;
  uwsgi_temp_path ${scratch}/uwsgi;
  scgi_temp_path ${scratch}/scgi;
${block}
}`;
}

/**
 * Exports the site into a fresh folder and serves it with nginx (no project code serving it);
 * reports and sign-ups go to a real API server at another origin, which allows the export's.
 */
export async function startStaticSite(basePath: string): Promise<RunningServer> {
  const port = await freePort();
  const api = await startServer({ args: ['--allowed-origins', `http://127.0.0.1:${port}`] });
  const site = await serveExport({ basePath, port, api });
  return {
    ...site,
    stop: async () => {
      await site.stop();
      await api.stop();
    },
  };
}

/**
 * Exports the site (from `database`, e.g. a running server's, when given; else from the
 * content folder) and serves it with nginx on `port` under `basePath`; its forms and status
 * page go to `api`, which must allow the export's origin. `stop` stops nginx only.
 */
export async function serveExport(
  options: { basePath: string; port: number; api: RunningServer; database?: string },
): Promise<RunningServer> {
  const { basePath, port, api } = options;
  const scratch = mkdtempSync(join(tmpdir(), 'bp-static-'));
  chmodSync(scratch, 0o755);
  const root = join(scratch, 'www');
  const out = join(root, basePath);
  mkdirSync(out, { recursive: true });
  const source = options.database ? ['--database', options.database] : ['--content', required('BP_CONTENT')];
  const exported = execFileSync(required('BP_EXPORT_BIN'), [
    '--out', out, '--force', '--dist', required('BP_DIST'), ...source,
    '--base-path', basePath || '/', '--api-write-base', api.url, '--site-url', `http://127.0.0.1:${port}`,
  ]).toString();
  // The exporter prints the hashes the host's Content-Security-Policy must allow.
  const hashes = (exported.match(/'sha256-[^']+'/g) ?? []).join(' ');
  const config = join(scratch, 'nginx.conf');
  writeFileSync(config, nginxConfig(root, port, basePath, scratch, api.url, hashes));
  const nginx = spawn('/usr/sbin/nginx', ['-c', config, '-p', scratch], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr!.on('data', (c) => (stderr += c));
  const url = `http://127.0.0.1:${port}${basePath}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url + '/');
      break;
    } catch {
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    database: api.database,
    apiUrl: api.url,
    process: nginx,
    stop: () =>
      new Promise<void>((resolve) => {
        if (nginx.exitCode !== null) return resolve();
        nginx.once('exit', () => resolve());
        nginx.kill('SIGQUIT');
      }),
  };
}

/** Where the suite runs: against the server, or against a static export under a base path. */
export type Target = 'server' | 'static';

/** Each worker gets one site with its own database. */
export const test = base.extend<{ promptClosed: boolean }, { target: Target; basePath: string; server: RunningServer }>({
  // The newsletter prompt opens once a reader scrolls to an article's end, as many tests do
  // (a click scrolls its target into view); they act as a reader who closed it before.
  // `test.use({ promptClosed: false })` for a reader who has not.
  promptClosed: [true, { option: true }],
  target: ['server', { scope: 'worker', option: true }],
  basePath: ['', { scope: 'worker', option: true }],
  server: [
    async ({ target, basePath }, use) => {
      const server = target === 'static' ? await startStaticSite(basePath) : await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url + '/'),
  // Pages arrive rendered; the app then takes them over. A test acts once it has, as a reader
  // clicking a second later would: before, links and forms are the browser's own.
  page: async ({ page, javaScriptEnabled, promptClosed }, use) => {
    if (promptClosed) {
      await page.addInitScript((key) => window.localStorage.setItem(key, '1'), PROMPT_CLOSED_KEY);
    }
    // Whatever a test does, no page may break its Content-Security-Policy.
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    if (javaScriptEnabled !== false) {
      const goto = page.goto.bind(page);
      const reload = page.reload.bind(page);
      const takenOver = () => page.waitForSelector('html[data-app]', { state: 'attached' });
      page.goto = async (...args: Parameters<typeof goto>) => {
        const response = await goto(...args);
        await takenOver();
        return response;
      };
      page.reload = async (...args: Parameters<typeof reload>) => {
        const response = await reload(...args);
        await takenOver();
        return response;
      };
    }
    await use(page);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});

export { expect };

/**
 * Starts the server on the content folder `content` instead of the suite's (and on the app
 * folder `options.dist` instead of `BP_DIST`, when given): `startServer` reads `BP_CONTENT`
 * and `BP_DIST` when it spawns the process, which happens before its first `await`, so
 * the folder is swapped in for that call only.
 */
export function startServerWithContent(
  content: string,
  options: { database?: string; args?: string[]; dist?: string } = {},
): Promise<RunningServer> {
  const suites = { content: process.env.BP_CONTENT, dist: process.env.BP_DIST };
  process.env.BP_CONTENT = content;
  if (options.dist) process.env.BP_DIST = options.dist;
  try {
    return startServer(options);
  } finally {
    process.env.BP_CONTENT = suites.content;
    process.env.BP_DIST = suites.dist;
  }
}

/** The containers whose content must fit inside them at any width and text size. */
export const KEY_CONTAINERS = [
  'main', '.masthead', '.site-nav', '.site-footer', '.lead-story', '.latest', '.article-list',
  '.article', '.article__header', '.article-body', '.explainer', '.figure', '.pull-quote',
  '.article__footer', '.related', '.related-page', '.newsletter', '.contact', '.report-form',
  '.not-found', '.player',
];

/**
 * What is wider than the window or cut off on the current page: the document's own sideways
 * scroll, text whose right edge is past the window (or left edge before it), key containers
 * whose content is wider than they are, and clipping boxes that hide part of their content.
 * Each entry names the element and a bit of its text; an empty list means all fits.
 */
export async function sidewaysOverflow(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate((keyContainers) => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) {
      problems.push(`the document is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
    }
    const viewport = root.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
    const snippet = (text: string | null) => JSON.stringify((text ?? '').trim().slice(0, 40));
    // Hidden on purpose: visually hidden text, the honeypot fields, what is not rendered.
    const hiddenOnPurpose = (el: Element) =>
      el.closest('.visually-hidden, .honeypot, [aria-hidden="true"]') !== null ||
      !el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });

    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !node.textContent?.trim() || hiddenOnPurpose(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of Array.from(range.getClientRects())) {
        if (rect.width === 0) continue;
        if (rect.right > viewport + 0.5 || rect.left < -0.5) {
          problems.push(`text of ${name(parent)} ${snippet(node.textContent)} spans ${Math.round(rect.left)}–${Math.round(rect.right)} px in a ${viewport} px viewport`);
          break;
        }
      }
    }

    for (const el of Array.from(document.querySelectorAll(keyContainers.join(',')))) {
      if (hiddenOnPurpose(el)) continue;
      const box = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} holds content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      }
      if (box.right > viewport + 0.5 || box.left < -0.5) {
        problems.push(`${name(el)} spans ${Math.round(box.left)}–${Math.round(box.right)} px in a ${viewport} px viewport`);
      }
    }

    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.matches('input, textarea, select, audio, video') || hiddenOnPurpose(el)) continue;
      const style = getComputedStyle(el);
      const clipsX = style.overflowX !== 'visible';
      const clipsY = style.overflowY !== 'visible';
      if (clipsX && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} cuts off ${el.scrollWidth - el.clientWidth} px of ${snippet(el.textContent)} sideways`);
      }
      if (clipsY && el.scrollHeight > el.clientHeight + 1) {
        problems.push(`${name(el)} cuts off ${el.scrollHeight - el.clientHeight} px of ${snippet(el.textContent)} below`);
      }
    }
    return problems;
  }, KEY_CONTAINERS);
}

/**
 * Doubles the root font size, as a reader's 200 % text size does (every size on the site is
 * in rem). Through the CSSOM, which the Content-Security-Policy allows, unlike a style tag.
 */
export async function doubleTextSize(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
}

/** The WCAG contrast ratio of two CSS colours `rgb(r, g, b)` (alpha ignored). */
export function contrastRatio(first: string, second: string): number {
  const luminance = (color: string) => {
    const channels = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const linear = channels.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/** Every route of the site for the article `slug`, with what shows the page has arrived. */
export function routesOf(slug: string) {
  return [
    { name: 'home', path: './', ready: '.latest .article-list__item' },
    { name: 'article', path: `articles/${slug}`, ready: '.article-body' },
    { name: 'related', path: `articles/${slug}/related`, ready: '.related-page .article-list__item' },
    { name: 'contact', path: `contact?article=${slug}`, ready: '[data-testid="reported-article"]' },
    { name: 'not-found', path: 'no/such/page', ready: '[data-testid="not-found"]' },
  ];
}

/**
 * What axe-core finds on the page as it is now, one line each: WCAG 2.0, 2.1 and 2.2 at levels
 * A and AA, and axe's best practices.
 */
export async function axeViolations(page: import('@playwright/test').Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'])
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
}

/** Selects `words` in the article's body, as a reader's mouse would, so that the app offers to
 * report them. */
export async function selectPassage(page: import('@playwright/test').Page, words: string) {
  await expect(page.locator('.article-body p', { hasText: words })).toBeVisible();
  await page.evaluate((words) => {
    const paragraph = [...document.querySelectorAll('.article-body p')].find((p) => p.textContent!.includes(words))!;
    const text = paragraph.firstChild!;
    const start = text.textContent!.indexOf(words);
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + words.length);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    paragraph.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  }, words);
}
