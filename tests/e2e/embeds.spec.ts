// Partner embeds: a partner's page on another origin (another loopback port, with its own
// strict Content-Security-Policy) embeds our headlines and an article's card with the two
// lines the partner documentation gives, against the server and the export on nginx.
import type { Browser, BrowserContext, ConsoleMessage, Frame, Locator, Page } from '@playwright/test';
import { createServer, Server } from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import { test, expect, axeViolations, SEED_SLUG, SEED_HEADLINE } from './support';

const MESSAGE = 'budapest-post-embed:height';
const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';
const EMBED_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *";

interface Partner {
  origin: string;
  /** Serves `html` at `path` on the partner's origin, under the partner's own strict policy. */
  put(path: string, html: string): void;
}

/** A partner's web server: another origin, serving what a test puts on it. */
async function startPartner(site: string): Promise<{ partner: Partner; server: Server }> {
  const pages = new Map<string, string>();
  const siteOrigin = new URL(site).origin;
  const server = createServer((request, response) => {
    const html = pages.get(request.url ?? '');
    if (!html) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // What the documentation asks partners to allow, and nothing more.
      'content-security-policy': `default-src 'none'; script-src ${siteOrigin}; frame-src ${siteOrigin}`,
    });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    server,
    partner: { origin: `http://127.0.0.1:${port}`, put: (path, html) => pages.set(path, html) },
  };
}

const embedTest = test.extend<{ partner: Partner }>({
  partner: async ({ server }, use) => {
    const { partner, server: http } = await startPartner(server.url);
    await use(partner);
    await new Promise((resolve) => http.close(resolve));
  },
});

/** The partner page of the documentation: two embeds, one script tag. */
function partnerPage(site: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Partner news</title></head>
<body><main><h1>Partner news</h1>
<div id="headlines" data-budapest-post-embed="headlines" data-limit="3" data-section="europe">
  <a href="${site}/">Latest news from the Budapest Post</a>
</div>
<p>Between the embeds.</p>
<div id="card" data-budapest-post-embed="article" data-slug="${SEED_SLUG}" data-theme="dark">
  <a href="${site}/articles/${SEED_SLUG}">${SEED_HEADLINE} — Budapest Post</a>
</div>
<script async src="${site}/embed.js"></script>
</main></body></html>`;
}

/** A page of its own (not the suite's, which waits for our app), with its policy breaches. */
async function openPage(context: BrowserContext): Promise<{ page: Page; violations: string[] }> {
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

/** The frame the iframe `frame` shows. */
async function contentOf(frame: Locator): Promise<Frame> {
  const handle = await frame.elementHandle();
  const content = await handle!.contentFrame();
  expect(content).toBeTruthy();
  return content!;
}

/** Waits until the iframe's height is its content's height, and answers it. */
async function heightsAgree(frame: Locator): Promise<number> {
  let content = 0;
  await expect
    .poll(async () => {
      const inner = await contentOf(frame);
      content = await inner.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      const outer = await frame.evaluate((el) => (el as HTMLElement).getBoundingClientRect().height);
      return Math.abs(outer - content) <= 1 && content > 50;
    })
    .toBe(true);
  return content;
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 } });
}

embedTest('two embeds on a partner page size themselves, open our articles and leave nothing behind', async ({ browser, server, partner }) => {
  partner.put('/', partnerPage(server.url));
  const context = await newContext(browser);
  const { page, violations } = await openPage(context);
  await page.goto(`${partner.origin}/`);

  const headlines = page.locator('#headlines iframe');
  const card = page.locator('#card iframe');
  await expect(headlines).toHaveCount(1);
  await expect(card).toHaveCount(1);
  for (const frame of [headlines, card]) {
    await expect(frame).toHaveAttribute('title', /Budapest Post/);
    await expect(frame).toHaveAttribute('loading', 'lazy');
    await expect(frame).toHaveAttribute('sandbox', SANDBOX);
    await expect(frame).toHaveAttribute('referrerpolicy', 'strict-origin');
    expect(new URL((await frame.getAttribute('src'))!).origin).toBe(new URL(server.url).origin);
  }

  const list = page.frameLocator('#headlines iframe');
  await expect(list.locator('.embed__item')).toHaveCount(3);
  await expect(list.locator('.dateline__section')).toHaveText(['Europe', 'Europe', 'Europe']);
  const cardFrame = page.frameLocator('#card iframe');
  await expect(cardFrame.locator('h1')).toHaveText(SEED_HEADLINE);
  await expect(cardFrame.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(cardFrame.locator('body')).toHaveCSS('background-color', 'rgb(18, 18, 18)');

  // Each frame is as tall as its content, on a wide screen and on a phone.
  const wide = await heightsAgree(headlines);
  await heightsAgree(card);
  await page.setViewportSize({ width: 360, height: 800 });
  const narrow = await heightsAgree(headlines);
  expect(narrow, 'the headlines wrap on a phone').toBeGreaterThan(wide);
  await heightsAgree(card);
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await heightsAgree(headlines)).toBe(wide);
  // And when its content grows: the reader's text size doubled inside the card.
  const cardHeight = await heightsAgree(card);
  await (await contentOf(card)).evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
  expect(await heightsAgree(card)).toBeGreaterThan(cardHeight);

  // The no-JavaScript link stays in the page, hidden once the embed shows itself.
  await expect(page.locator('#headlines > a')).toHaveAttribute('href', `${server.url}/`);
  await expect(page.locator('#headlines > a')).toBeHidden();

  // Every link opens our site in a new tab, without a way back to the partner's page.
  for (const frameLocator of [list, cardFrame]) {
    const links = frameLocator.locator('a');
    expect(await links.count()).toBeGreaterThan(0);
    for (const link of await links.all()) {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', /\bnoopener\b/);
      const href = await link.evaluate((a) => (a as HTMLAnchorElement).href);
      expect(href.startsWith(`${server.url}/`), href).toBe(true);
    }
  }
  const [opened] = await Promise.all([context.waitForEvent('page'), cardFrame.locator('h1 a').click()]);
  await opened.waitForLoadState('domcontentloaded');
  expect(opened.url()).toBe(`${server.url}/articles/${SEED_SLUG}`);
  await expect(opened.locator('h1')).toHaveText(SEED_HEADLINE);
  expect(await opened.evaluate(() => window.opener)).toBeNull();
  await opened.close();

  // An element added later becomes an embed too.
  await page.evaluate((slug) => {
    const later = document.createElement('div');
    later.id = 'later';
    later.setAttribute('data-budapest-post-embed', 'article');
    later.setAttribute('data-slug', slug);
    document.querySelector('main')!.append(later);
  }, SEED_SLUG);
  await expect(page.locator('#later iframe')).toHaveCount(1);
  await heightsAgree(page.locator('#later iframe'));

  // No cookies, nothing stored, on either origin.
  expect(await context.cookies()).toEqual([]);
  for (const frame of [headlines, card]) {
    const inner = await contentOf(frame);
    expect(await inner.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  }
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
  await context.close();
});

embedTest('height messages from another origin or another frame are ignored', async ({ browser, server, partner }) => {
  partner.put('/', partnerPage(server.url));
  const context = await newContext(browser);
  const { page } = await openPage(context);
  await page.goto(`${partner.origin}/`);
  const headlines = page.locator('#headlines iframe');
  const card = page.locator('#card iframe');
  const listHeight = await heightsAgree(headlines);
  const cardHeight = await heightsAgree(card);
  const heightOf = (frame: Locator) => frame.evaluate((el) => Math.round(el.getBoundingClientRect().height));

  // The partner's own origin (or anything on its page) cannot resize our frames.
  await page.evaluate((type) => window.postMessage({ type, height: 3333 }, '*'), MESSAGE);
  await page.waitForTimeout(200);
  expect(Math.abs((await heightOf(headlines)) - listHeight)).toBeLessThanOrEqual(1);
  expect(Math.abs((await heightOf(card)) - cardHeight)).toBeLessThanOrEqual(1);
  // Our headlines embed can only size its own frame, never the card's.
  const list = await contentOf(headlines);
  await list.evaluate((type) => parent.postMessage({ type, height: 777 }, '*'), MESSAGE);
  await expect.poll(() => heightOf(headlines)).toBe(777);
  expect(Math.abs((await heightOf(card)) - cardHeight)).toBeLessThanOrEqual(1);
  // A message of another type is not a height.
  await list.evaluate(() => parent.postMessage({ type: 'other', height: 5 }, '*'));
  await page.waitForTimeout(200);
  expect(await heightOf(headlines)).toBe(777);
  expect(listHeight).not.toBe(777);
  await context.close();
});

embedTest('an embed the partner\'s page takes away is let go, and one it moves is sized again', async ({ browser, server, partner }) => {
  partner.put('/', partnerPage(server.url));
  const context = await newContext(browser);
  const { page } = await openPage(context);
  await page.goto(`${partner.origin}/`);
  // Each embed has shown itself (its first height message hides the no-JavaScript link); no
  // handle of the test's own holds a frame.
  for (const id of ['headlines', 'card']) await expect(page.locator(`#${id} > a`)).toBeHidden();

  // The partner's page (a single-page app, say) drops the card and moves the headlines.
  await page.evaluate(() => {
    document.getElementById('card')!.remove();
    const headlines = document.getElementById('headlines')!;
    // Its height forgotten, so that only a new message from the reloaded frame can set it.
    headlines.querySelector('iframe')!.style.removeProperty('height');
    document.querySelector('main')!.append(headlines);
  });
  await heightsAgree(page.locator('#headlines iframe'));

  // After a full garbage collection, the page holds one iframe element: the card's is gone.
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const liveFrames = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const objectGroup = 'live-frames';
    const { result: prototype } = await cdp.send('Runtime.evaluate', { expression: 'HTMLIFrameElement.prototype', objectGroup });
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId!, objectGroup });
    const { result: count } = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId!,
      functionDeclaration: 'function () { return this.length; }',
      returnByValue: true,
    });
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
    return count.value as number;
  };
  await expect.poll(liveFrames).toBe(1);
  await context.close();
});

embedTest('the site refuses to be framed by the partner; the embeds are the exception', async ({ browser, request, server, partner }) => {
  partner.put(
    '/framed',
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Framing</title></head><body>
<iframe id="article" title="article" src="${server.url}/articles/${SEED_SLUG}"></iframe>
<iframe id="embed" title="embed" src="${server.url}/embed/articles/${SEED_SLUG}"></iframe></body></html>`,
  );
  const context = await newContext(browser);
  const { page, violations } = await openPage(context);
  await page.goto(`${partner.origin}/framed`);
  await expect(page.frameLocator('#embed').locator('h1')).toHaveText(SEED_HEADLINE);
  await expect.poll(() => violations.join('\n')).toMatch(/frame-ancestors 'self'/);
  await context.close();

  const embed = await request.get(`${server.url}/embed/headlines/europe`);
  expect(embed.status()).toBe(200);
  expect(embed.headers()['content-security-policy']).toBe(EMBED_POLICY);
  expect(embed.headers()['set-cookie']).toBeUndefined();
  expect(embed.headers()['x-content-type-options']).toBe('nosniff');
  const site = await request.get(`${server.url}/articles/${SEED_SLUG}`);
  expect(site.headers()['content-security-policy']).toContain("frame-ancestors 'self'");
  expect((await request.get(`${server.url}/embed/articles/no-such-article`)).status()).toBe(404);
});

embedTest('an oEmbed consumer embeds an article from its address alone', async ({ browser, request, server, partner }) => {
  const articleUrl = `${server.url}/articles/${SEED_SLUG}`;
  const html = await (await request.get(articleUrl)).text();
  const discovery = html.match(/<link rel="alternate" href="([^"]+)" type="application\/json\+oembed"/)?.[1];
  expect(discovery, 'the article page names its oEmbed answer').toBeTruthy();
  const answer = await request.get(discovery!);
  expect(answer.status()).toBe(200);
  const oembed = await answer.json();
  expect(oembed).toMatchObject({ type: 'rich', version: '1.0', title: SEED_HEADLINE, provider_name: 'Budapest Post' });
  expect(oembed.width).toBeGreaterThan(0);
  expect(oembed.html).toContain(`src="${server.url}/embed/articles/${SEED_SLUG}"`);

  partner.put('/cms', `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CMS</title></head><body>${oembed.html}</body></html>`);
  const context = await newContext(browser);
  const { page, violations } = await openPage(context);
  await page.goto(`${partner.origin}/cms`);
  await expect(page.frameLocator('iframe').locator('h1')).toHaveText(SEED_HEADLINE);
  expect(violations).toEqual([]);
  await context.close();

  if (server.apiUrl !== server.url) return; // the ?url= endpoint is the server's
  const ask = (query: string) => request.get(`${server.url}/api/v1/oembed?${query}`);
  const sized = await ask(`url=${encodeURIComponent(articleUrl)}&format=json&maxwidth=300&maxheight=120`);
  expect(sized.status()).toBe(200);
  expect(await sized.json()).toMatchObject({ width: 300, height: 120 });
  const home = await (await ask(`url=${encodeURIComponent(`${server.url}/`)}`)).json();
  expect(home.html).toContain('/embed/headlines');
  const unknown = await ask(`url=${encodeURIComponent('https://elsewhere.example/articles/x')}`);
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe('not_found');
  const bad = await ask(`url=${encodeURIComponent(articleUrl)}&maxwidth=wide`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: 'invalid_parameter', field: 'maxwidth' });
  expect((await ask(`url=${encodeURIComponent(articleUrl)}&format=xml`)).status()).toBe(501);
});

embedTest('an embed adds at most 15 KB brotli to a partner page, and axe finds nothing in it', async ({ browser, request, server }) => {
  const files = [
    `${server.url}/embed.js`,
    `${server.url}/embed/frame.js`,
    `${server.url}/embed/frame.css`,
    `${server.url}/embed/headlines`,
  ];
  let total = 0;
  for (const file of files) {
    const response = await request.get(file);
    expect(response.status(), file).toBe(200);
    total += brotliCompressSync(await response.body(), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  console.log(`embed (host script, frame script, stylesheet, headlines page): ${total} bytes brotli`);
  expect(total).toBeLessThanOrEqual(15 * 1024);

  const context = await newContext(browser);
  for (const path of ['embed/headlines/europe', `embed/articles/${SEED_SLUG}`]) {
    for (const theme of ['light', 'dark']) {
      const { page, violations } = await openPage(context);
      await page.goto(`${server.url}/${path}#theme=${theme}`);
      await expect(page.locator('h1')).toHaveCount(1);
      expect(await axeViolations(page), `${path} ${theme}`).toEqual([]);
      expect(violations).toEqual([]);
      await page.close();
    }
  }
  await context.close();
});

test('"Embed this" shows the article\'s code and copies it by keyboard, saying so', async ({ page, context, server }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await page.goto(`articles/${SEED_SLUG}`);
  const box = page.getByTestId('embed-this');
  await box.locator('summary').focus();
  await page.keyboard.press('Enter');
  const code = box.getByLabel('Embed code for this article');
  await expect(code).toBeVisible();
  const snippet = await code.inputValue();
  expect(snippet).toContain(`data-budapest-post-embed="article" data-slug="${SEED_SLUG}"`);
  expect(snippet).toContain(`<script async src="${server.url}/embed.js"></script>`);
  const copy = box.getByRole('button', { name: 'Copy the embed code' });
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect(box.getByRole('status')).toHaveText('Copied the embed code.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
});
