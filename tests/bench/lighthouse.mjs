// Lighthouse (the npm package, as the e2e suite runs it) on Debian's Chromium: the four
// category scores and LCP, CLS and TBT, for the mobile and the desktop form factor, with the
// ids of the audits that cost points.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { scratchFolder } from './sites.mjs';

/** The categories the budgets speak of, by Lighthouse's id. */
export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
/** The form factors: Lighthouse's default (a throttled phone) and its desktop preset. */
export const FORM_FACTORS = ['mobile', 'desktop'];

const CHROME_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TIMEOUT_MS = 150_000;

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`lighthouse ended with ${code ?? signal}:\n${stderr}`));
    });
  });
}

/** Audits of `category` in `result` that scored below full marks, by id. */
function failing(result, category) {
  return result.categories[category].auditRefs
    .map((ref) => result.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < 1 &&
      ['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode))
    .map((audit) => audit.id);
}

/**
 * One Lighthouse run of `url` as `formFactor` (`mobile` or `desktop`), in a fresh Chromium
 * profile: scores (0–100) by category, LCP and TBT in ms, CLS, and the failing audits' ids by
 * category.
 */
export async function lighthouse(url, formFactor) {
  const scratch = scratchFolder('bp-bench-lighthouse-');
  try {
    const report = join(scratch, 'report.json');
    await run(join('node_modules', '.bin', 'lighthouse'), [
      url, '--output=json', `--output-path=${report}`, '--quiet',
      `--only-categories=${CATEGORIES.join(',')}`,
      ...(formFactor === 'desktop' ? ['--preset=desktop'] : []),
      `--chrome-flags=${[...CHROME_FLAGS, `--user-data-dir=${join(scratch, 'profile')}`].join(' ')}`,
    ], { ...process.env, CHROME_PATH: '/usr/bin/chromium' });
    const result = JSON.parse(readFileSync(report, 'utf8'));
    if (result.runtimeError) throw new Error(`lighthouse on ${url}: ${result.runtimeError.message}`);
    const score = (category) => Math.round((result.categories[category].score ?? NaN) * 100);
    return {
      scores: Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])),
      lcp: result.audits['largest-contentful-paint'].numericValue,
      cls: result.audits['cumulative-layout-shift'].numericValue,
      tbt: result.audits['total-blocking-time'].numericValue,
      failing: Object.fromEntries(CATEGORIES.map((c) => [c, failing(result, c)])),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
