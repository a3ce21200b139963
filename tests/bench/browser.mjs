// What a reader's browser sees: when the text shows, the largest paint, how much the layout
// shifts, and how long the app's own navigation takes. Everything is stamped inside the page
// with performance.now(), so the driver's own waiting does not count.
import { readFileSync } from 'node:fs';

import { chromium } from '@playwright/test';

/** Debian's Chromium, headless, with nothing of its own on the network. */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Installed before any of the page's own scripts (page.addInitScript): stamps when the page's
// headline and its first body text are in the DOM with text, when the app has taken the page
// over (html[data-app]), the largest contentful paint and the layout shifts.
const OBSERVERS = `
  window.__bench = { lcp: null, cls: 0 };
  const stamp = (key, element) => {
    if (element && element.textContent.trim() && window.__bench[key] === undefined) {
      window.__bench[key] = performance.now();
    }
  };
  const look = () => {
    stamp('headline', document.querySelector('main h1:not(.visually-hidden), [data-testid=lead-story] h2'));
    stamp('body', document.querySelector('.article-body p, .lead-story__standfirst, .article-list__item'));
    if (document.documentElement && document.documentElement.hasAttribute('data-app') && window.__bench.app === undefined) {
      window.__bench.app = performance.now();
    }
  };
  new MutationObserver(look).observe(document, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-app'],
  });
  document.addEventListener('DOMContentLoaded', look);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__bench.cls += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
`;

/** A mobile-like device: the CPU 4× slower, and Lighthouse's slow-4G network (150 ms round
 * trip, 1.6 Mbit/s down, 750 kbit/s up), both applied by Chromium itself (DevTools protocol). */
export const MOBILE = { cpuSlowdown: 4, latencyMs: 150, downKbit: 1600, upKbit: 750 };

async function throttle(context, page, device) {
  const session = await context.newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate: device.cpuSlowdown });
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: device.latencyMs,
    downloadThroughput: (device.downKbit * 1000) / 8,
    uploadThroughput: (device.upKbit * 1000) / 8,
  });
}

/**
 * One cold visit (a new browser context: empty cache, no service worker) to `url`: the stamps
 * in ms after navigation start, and the page's responses. `app` says whether to wait for the
 * app to take the page over; `device`, if given, throttles the visit.
 */
export async function coldVisit(browser, url, { app, device }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses = [];
    page.on('response', (response) => responses.push({ url: response.url(), type: response.request().resourceType() }));
    if (device) await throttle(context, page, device);
    await page.addInitScript(OBSERVERS);
    const timeout = device ? 60_000 : 20_000;
    await page.goto(url, { waitUntil: 'load', timeout });
    await page.waitForFunction(() => window.__bench.headline !== undefined && window.__bench.body !== undefined, null, { timeout });
    if (app) await page.waitForSelector('html[data-app]', { state: 'attached', timeout });
    // Shifts caused by the app's taking over come within a few frames of it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.waitForTimeout(250);
    const stamps = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { ...window.__bench, fcp: paint ? paint.startTime : null };
    });
    return { ...stamps, text: Math.max(stamps.headline, stamps.body), responses };
  } finally {
    await context.close();
  }
}

/**
 * The app's own navigation from the homepage at `url` to the lead story: ms from the click to
 * the article's headline in the DOM. `warm`: the reader first points at the link, which makes
 * the app fetch the page ahead, and clicks once that fetch has finished; otherwise the click
 * comes without pointing (a keyboard or script click) and the page is fetched on click.
 * `refetched` says whether the page was fetched again after the click.
 */
export async function clientNavigation(browser, url, { warm }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url + '/', { waitUntil: 'load' });
    await page.waitForSelector('html[data-app]', { state: 'attached', timeout: 20_000 });
    const link = '[data-testid=lead-story] a';
    const target = new URL(await page.getAttribute(link, 'href'), url + '/').pathname;
    const isTarget = (response) => new URL(response.url()).pathname === target;
    if (warm) {
      const fetched = page.waitForResponse(isTarget, { timeout: 20_000 });
      await page.hover(link);
      await (await fetched).finished();
      // The app reads the body after the response ends; give it a moment to keep the page.
      await page.waitForTimeout(100);
    }
    let refetched = false;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === target) refetched = true;
    });
    const ms = await page.evaluate((selector) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no article headline 10 s after the click')), 10_000);
      const start = performance.now();
      const arrived = () => {
        const headline = document.querySelector('main h1.article__headline');
        return headline && headline.textContent.trim();
      };
      const observer = new MutationObserver(() => finish());
      const finish = () => {
        if (!arrived()) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - start);
      };
      observer.observe(document, { childList: true, subtree: true, characterData: true });
      document.querySelector(selector).click();
      finish();
    }), link);
    return { ms, refetched: warm && refetched };
  } finally {
    await context.close();
  }
}

/** The resident memory of Chromium's renderer processes (`/proc/<pid>/status`), in bytes:
 * everything a tab holds, the wasm's linear memory included. */
async function renderersResident(browserSession) {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  let bytes = 0;
  for (const process of processInfo.filter((p) => p.type === 'renderer')) {
    const status = readFileSync(`/proc/${process.id}/status`, 'utf8');
    const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    bytes += kib * 1024;
  }
  return bytes;
}

/** The tab's memory after a full garbage collection: the JS heap, the renderer's resident
 * memory, and the DOM's nodes and listeners. */
async function tabMemory(session, browserSession) {
  await session.send('HeapProfiler.collectGarbage');
  const heap = await session.send('Runtime.getHeapUsage');
  const dom = await session.send('Memory.getDOMCounters');
  return {
    heapBytes: heap.usedSize,
    residentBytes: await renderersResident(browserSession),
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
  };
}

/**
 * One reading session on the site at `url`: `visits` articles of `slugs` in turn, each by
 * the app's own navigation (a click on a link to it), and the tab's memory measured after
 * every `every` visits, starting with the homepage.
 */
export async function sessionMemory(browser, url, slugs, { visits, every }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    const browserSession = await browser.newBrowserCDPSession();
    const measure = () => tabMemory(session, browserSession);
    await page.goto(url + '/', { waitUntil: 'load' });
    await page.waitForSelector('html[data-app]', { state: 'attached', timeout: 20_000 });
    const samples = [{ visits: 0, ...(await measure()) }];
    for (let visit = 1; visit <= visits; visit++) {
      const path = new URL(`articles/${slugs[(visit - 1) % slugs.length]}`, url + '/').pathname;
      await page.evaluate((href) => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${href} did not open in 10 s`)), 10_000);
        const before = document.querySelector('main h1');
        const link = Object.assign(document.createElement('a'), { href });
        document.querySelector('main').append(link);
        const arrived = () => {
          const headline = document.querySelector('main h1');
          if (location.pathname === href && headline && headline !== before) {
            observer.disconnect();
            clearTimeout(timer);
            resolve();
          }
        };
        const observer = new MutationObserver(arrived);
        observer.observe(document, { childList: true, subtree: true });
        link.click();
        arrived();
      }), path);
      if (visit % every === 0) samples.push({ visits: visit, ...(await measure()) });
    }
    return samples;
  } finally {
    await context.close();
  }
}
