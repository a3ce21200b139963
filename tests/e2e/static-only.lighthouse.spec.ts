// Lighthouse on an exported article: SEO and best practices, and no layout shift when the app
// takes the page over. Scores and CLS are not timings, so they may be asserted here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SEED_SLUG } from './support';

test('an exported article scores fully on SEO and best practices, with CLS under 0.01', async ({ server, basePath }) => {
  test.skip(basePath !== '', 'once is enough: the sub-path export is the same pages');
  test.setTimeout(120_000);
  const scratch = mkdtempSync(join(tmpdir(), 'bp-lighthouse-'));
  const report = join(scratch, 'report.json');
  execFileSync(
    'npx',
    [
      'lighthouse', `${server.url}/articles/${SEED_SLUG}`,
      '--output=json', `--output-path=${report}`, '--quiet',
      '--only-categories=seo,best-practices,performance',
      `--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=${join(scratch, 'profile')}`,
    ],
    { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, stdio: 'ignore', timeout: 110_000 },
  );
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const failing = (category: string) =>
    result.categories[category].auditRefs
      .map((ref: { id: string }) => result.audits[ref.id])
      .filter((a: any) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode))
      .map((a: any) => a.id);
  expect(result.categories.seo.score, `SEO audits failing: ${failing('seo')}`).toBe(1);
  // Source maps are not shipped on purpose: the release wasm is stripped.
  expect(failing('best-practices').filter((id: string) => id !== 'valid-source-maps')).toEqual([]);
  expect(result.audits['cumulative-layout-shift'].numericValue).toBeLessThan(0.01);
});
