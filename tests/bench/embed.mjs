// A partner's page with one embed of our headlines: what it downloads from us, and when the
// first headline shows inside the embed, measured in the partner's page from its navigation
// start (a new browser context each time: nothing cached).
import { createServer } from 'node:http';
import { compressed } from './sizes.mjs';

/** The partner page of the documentation, with one embed of five Europe headlines. */
function partnerPage(site) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>
<h1>Partner news</h1>
<div data-budapest-post-embed="headlines" data-limit="5" data-section="europe"><a href="${site}/">Budapest Post</a></div>
<script async src="${site}/embed.js"></script></body></html>`;
}

/** A partner's web server on another loopback port, serving the partner page for `site`. */
export async function startPartner(site) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(partnerPage(site));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, stop: () => new Promise((r) => server.close(r)) };
}

/** The bytes an embed adds to a partner page: the host script, the frame's script and
 * stylesheet, and the headlines page, as `site` serves them; raw, gzip -9 and brotli -11. */
export async function embedBytes(site) {
  const parts = ['/embed.js', '/embed/frame.js', '/embed/frame.css', '/embed/headlines/europe'];
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const part of parts) {
    const response = await fetch(site + part);
    if (response.status !== 200) throw new Error(`${site}${part} answered ${response.status}`);
    const sizes = compressed(Buffer.from(await response.arrayBuffer()));
    for (const key of Object.keys(total)) total[key] += sizes[key];
  }
  return total;
}

/** One cold visit to the partner page: ms from its navigation start to the first headline's
 * text in the embed, stamped by the embed's frame against the partner's clock. */
export async function embedVisit(browser, partnerUrl) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(partnerUrl, { waitUntil: 'load', timeout: 20_000 });
    const frame = page.frameLocator('iframe');
    await frame.locator('.embed__item h2').first().waitFor({ timeout: 20_000 });
    // Both clocks count from their own document's start; the frame's start is a moment in
    // the partner page's time, so the text's time in the partner page is their sum.
    const inner = await page.locator('iframe').elementHandle().then((h) => h.contentFrame());
    const frameText = await inner.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0];
      return { start: performance.timeOrigin, domContentLoaded: entry ? entry.domContentLoadedEventStart : performance.now() };
    });
    const partnerOrigin = await page.evaluate(() => performance.timeOrigin);
    return { text: frameText.start - partnerOrigin + frameText.domContentLoaded };
  } finally {
    await context.close();
  }
}
