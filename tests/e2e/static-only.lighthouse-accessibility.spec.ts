// Lighthouse's accessibility score on every route of the exported site, in its own Chromium:
// 100, with the failing audits named otherwise. A score is not a timing, so it may be asserted.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect, routesOf, SEED_SLUG } from './support';

const ROUTES = [
  ...routesOf(SEED_SLUG).map(({ name, path }) => ({ name, path })),
  { name: 'corrections', path: 'corrections' },
  { name: 'unsubscribe', path: 'newsletter/unsubscribe?token=abc123' },
  { name: 'not-found article', path: 'articles/no-such-article' },
  { name: 'embed headlines', path: 'embed/headlines' },
  { name: 'embed article', path: `embed/articles/${SEED_SLUG}` },
];

/** Lighthouse's own bound on one run; the test's is a little longer. */
const RUN_LIMIT_MS = 90_000;

for (const route of ROUTES) {
  test(`Lighthouse accessibility is 100 on ${route.name}`, async ({ server, basePath }) => {
    test.skip(basePath !== '', 'once is enough: the sub-path export is the same pages');
    test.setTimeout(RUN_LIMIT_MS + 10_000);
    const scratch = mkdtempSync(join(tmpdir(), 'bp-lighthouse-a11y-'));
    const report = join(scratch, 'report.json');
    try {
      await promisify(execFile)(
        'npx',
        [
          'lighthouse', `${server.url}/${route.path.replace(/^\.\//, '')}`,
          '--output=json', `--output-path=${report}`, '--quiet',
          '--only-categories=accessibility',
          // The not-found pages answer 404 on purpose; they are still pages to score.
          '--ignore-status-code',
          `--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=${join(scratch, 'profile')}`,
        ],
        { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL' },
      );
      const result = JSON.parse(readFileSync(report, 'utf8'));
      expect(result.runtimeError, 'Lighthouse could not run').toBeUndefined();
      const failing = result.categories.accessibility.auditRefs
        .map((ref: { id: string }) => result.audits[ref.id])
        .filter((audit: any) => audit.score !== null && audit.score < 1)
        .map((audit: any) => `${audit.id}: ${audit.title} (${(audit.details?.items ?? []).map((i: any) => i.node?.selector).join(', ')})`);
      expect(failing, 'failing audits').toEqual([]);
      expect(result.categories.accessibility.score).toBe(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}
