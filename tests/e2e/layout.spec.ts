// Layouts that survive any text: no sideways scroll and nothing cut off at 320 px and at 200 %
// text size, on every route and in the states that change the page's shape; long unbroken
// words in every text field the API has; type made for long reading; no layout shift.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  doubleTextSize,
  sidewaysOverflow,
  startServerWithContent,
  RunningServer,
  routesOf,
  SEED_HEADLINE,
  SEED_SLUG,
} from './support';


/** The two ways a reader makes text big for a narrow column: a 320 px phone, 200 % text. */
const SIZES = [
  { name: 'at 320 px', width: 320, height: 640, doubled: false },
  { name: 'at 1280 px with 200 % text', width: 1280, height: 800, doubled: true },
];

async function open(page: Page, url: string, ready: string, size: (typeof SIZES)[number]) {
  await page.setViewportSize({ width: size.width, height: size.height });
  await page.goto(url);
  await expect(page.locator(ready).first()).toBeVisible();
  await expect(page.locator('.skeleton')).toHaveCount(0);
  if (size.doubled) await doubleTextSize(page);
}

for (const size of SIZES) {
  for (const route of routesOf(SEED_SLUG)) {
    test(`${route.name}: nothing scrolls sideways or is cut off ${size.name}`, async ({ page }) => {
      await open(page, route.path, route.ready, size);
      expect(await sidewaysOverflow(page)).toEqual([]);
    });
  }

  test(`the open player and the form's errors fit ${size.name}`, async ({ page }) => {
    await open(page, `articles/${SEED_SLUG}`, '.article-body', size);
    await page.getByRole('button', { name: /Listen to this article/ }).click();
    await expect(page.getByRole('region', { name: 'Listen to this article' })).toBeVisible();
    expect(await sidewaysOverflow(page)).toEqual([]);

    await open(page, `contact?article=${SEED_SLUG}`, '[data-testid="reported-article"]', size);
    await page.getByTestId('report-form').getByRole('button', { name: /send|submit/i }).click();
    await expect(page.locator('.field-error').first()).toBeVisible();
    expect(await sidewaysOverflow(page)).toEqual([]);
  });
}

test('the overflow check finds a word that is too wide', async ({ page }) => {
  // The check itself must be able to fail: a page made to overflow is reported.
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`articles/${SEED_SLUG}`);
  await page.evaluate(() => {
    const p = document.querySelector('.article-body p')!;
    (p as HTMLElement).style.setProperty('overflow-wrap', 'normal');
    (p as HTMLElement).style.setProperty('white-space', 'nowrap');
  });
  const problems = await sidewaysOverflow(page);
  expect(problems.some((p) => p.startsWith('the document is'))).toBe(true);
  expect(problems.some((p) => p.startsWith('text of p'))).toBe(true);
});

test.describe('long unbroken words in every text field', () => {
  test.skip(({ target }) => target !== 'server', 'the fixture content needs its own server; the export of the same pages is the same markup');

  const FIXTURE = join(__dirname, '..', 'fixtures', 'long-words');
  const LEAD = 'long-words-lead';
  let site: RunningServer;
  test.beforeAll(async ({ target }) => {
    if (target === 'server') site = await startServerWithContent(FIXTURE);
  });
  test.afterAll(async () => {
    await site?.stop();
  });

  for (const size of SIZES) {
    for (const route of routesOf(LEAD)) {
      test(`${route.name} ${size.name}`, async ({ page }) => {
        await open(page, `${site.url}/${route.path}`, route.ready, size);
        // The words are there, so the test measures what it means to.
        await expect(page.getByTestId('masthead-name')).toContainText('WWWWWWWWWWWWWWWWWWWW');
        expect(await sidewaysOverflow(page)).toEqual([]);
      });
    }
  }

  test('every field of the fixture is on the article page at 320 px', async ({ page }) => {
    await open(page, `${site.url}/articles/${LEAD}`, '.article-body', SIZES[0]);
    const long = /[^\s]{40,}/;
    const fields = [
      '.masthead__name', '.masthead__motto', '.masthead__tagline', '.article__headline',
      '.article__standfirst', '.article__section', '.article-body > p', '.article-body em',
      '.article-body strong', '.explainer__title', '.explainer li', '.figure figcaption',
      '.figure__credit', '.pull-quote p', '.pull-quote footer', '.article__credit',
      '[data-testid="ai-disclaimer"]', '.related .article-list__headline', '.related .dateline__section',
      '.site-footer__name',
    ];
    for (const field of fields) {
      await expect(page.locator(field).first(), field).toHaveText(long);
    }
    const image = page.locator('.figure img');
    const box = (await image.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(await sidewaysOverflow(page)).toEqual([]);
  });
});

test.describe('reading comfort', () => {
  /** Sizes of the article's first long paragraph and its headline, and its characters a line. */
  async function measure(page: Page) {
    return page.evaluate(() => {
      const paragraphs = Array.from(document.querySelectorAll<HTMLElement>('.article-body > p'));
      const p = paragraphs.reduce((a, b) => ((b.textContent ?? '').length > (a.textContent ?? '').length ? b : a));
      const style = getComputedStyle(p);
      const text = p.firstChild as Text;
      const lines = new Map<number, number>();
      const range = document.createRange();
      for (let i = 0; i < text.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        const top = Math.round(rect.top);
        lines.set(top, (lines.get(top) ?? 0) + 1);
      }
      // Every line but the last, which is as short as the paragraph makes it.
      const full = Array.from(lines.entries()).sort((a, b) => a[0] - b[0]).slice(0, -1).map(([, n]) => n).sort((a, b) => a - b);
      return {
        fontSize: parseFloat(style.fontSize),
        lineHeight: parseFloat(style.lineHeight),
        paragraphGap: parseFloat(style.marginBottom),
        charactersPerLine: full[Math.floor(full.length / 2)],
        headline: parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
      };
    });
  }

  test('body text is 18–21 px, about 60–75 characters a line on a desktop, with room between lines', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`articles/${SEED_SLUG}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
    const desktop = await measure(page);
    expect(desktop.fontSize).toBeGreaterThanOrEqual(18);
    expect(desktop.fontSize).toBeLessThanOrEqual(21);
    expect(desktop.charactersPerLine).toBeGreaterThanOrEqual(58);
    expect(desktop.charactersPerLine).toBeLessThanOrEqual(76);
    expect(desktop.lineHeight / desktop.fontSize).toBeGreaterThanOrEqual(1.45);
    expect(desktop.lineHeight / desktop.fontSize).toBeLessThanOrEqual(1.75);
    expect(desktop.paragraphGap / desktop.fontSize).toBeGreaterThanOrEqual(0.75);
    expect(desktop.headline).toBeGreaterThanOrEqual(desktop.fontSize * 2);

    await page.setViewportSize({ width: 375, height: 740 });
    const phone = await measure(page);
    expect(phone.fontSize).toBeGreaterThanOrEqual(18);
    expect(phone.fontSize).toBeLessThanOrEqual(21);
    expect(phone.lineHeight / phone.fontSize).toBeGreaterThanOrEqual(1.45);
    // The headline scales down with the screen but stays a headline.
    expect(phone.headline).toBeLessThan(desktop.headline);
    expect(phone.headline).toBeGreaterThanOrEqual(phone.fontSize * 1.5);

    // 200 % text doubles the reading text; its lines get no longer (the window may make them
    // shorter).
    await page.setViewportSize({ width: 1280, height: 800 });
    await doubleTextSize(page);
    const doubled = await measure(page);
    expect(doubled.fontSize).toBeCloseTo(desktop.fontSize * 2, 0);
    expect(doubled.charactersPerLine).toBeLessThanOrEqual(desktop.charactersPerLine + 2);
    expect(doubled.headline).toBeGreaterThanOrEqual(desktop.headline * 1.5);
  });
});

test.describe('no layout shift when the app takes the page over', () => {
  for (const width of [375, 1280]) {
    for (const route of routesOf(SEED_SLUG).slice(0, 4)) {
      test(`${route.name} at ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(route.path);
        await expect(page.locator(route.ready).first()).toBeVisible();
        const shift = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              let total = 0;
              new PerformanceObserver((entries) => {
                for (const entry of entries.getEntries() as any[]) if (!entry.hadRecentInput) total += entry.value;
              }).observe({ type: 'layout-shift', buffered: true });
              // Buffered entries arrive in the observer's first callback, before two frames pass.
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
            }),
        );
        expect(shift).toBe(0);
      });
    }
  }
});
