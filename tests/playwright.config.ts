// End-to-end tests: Playwright drives Debian's Chromium against the real server, which each
// worker starts on a free loopback port with a fresh SQLite file (see e2e/support.ts).
import { defineConfig } from '@playwright/test';
import type { Target } from './e2e/support';

export default defineConfig<{ target: Target; basePath: string }>({
  testDir: './e2e',
  outputDir: './.artifacts/results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  projects: [
    // The live server: every spec.
    { name: 'server', use: { target: 'server' }, testIgnore: /static-only/ },
    // The static export on nginx, at the root and under a sub-path. The error-state specs need
    // the API's reads to fail, which exported pages do not do: their data is in the page. The
    // layout and theme specs check the CSS on markup the server and the exporter render with
    // the same renderer, so they run once, against the server, to keep the suite short.
    { name: 'static', use: { target: 'static', basePath: '' }, testIgnore: /errors\.spec|layout\.spec|themes\.spec/ },
    { name: 'static-news', use: { target: 'static', basePath: '/news' }, testIgnore: /errors\.spec|layout\.spec|themes\.spec/ },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
