// Light and dark, less motion, and paper: a focus ring that stands out in both themes, no
// animation for readers who asked for less motion, the article alone in print (with a PDF
// kept), and screenshots of every route kept as artifacts. (Axe, and so contrast, on every
// route and state in both themes is in accessibility.spec.ts.)
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { test, expect, contrastRatio, routesOf, sidewaysOverflow, SEED_HEADLINE, SEED_SLUG } from './support';

const ROUTES = routesOf(SEED_SLUG);

const THEMES = [
  { scheme: 'light' as const, paper: 'rgb(255, 255, 255)' },
  { scheme: 'dark' as const, paper: 'rgb(18, 18, 18)' },
];

const ARTIFACTS = join(__dirname, '..', '.artifacts');

/** A folder of the artifacts, one per Playwright project so that projects never overwrite. */
function artifactDir(kind: string, info: TestInfo): string {
  const dir = join(ARTIFACTS, kind, info.project.name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

for (const theme of THEMES) {
  test.describe(`${theme.scheme} theme`, () => {
    test.use({ colorScheme: theme.scheme });

    test('the focus ring is 3:1 or more against what is around it, at every keyboard stop', async ({ page }) => {
      await page.goto(`articles/${SEED_SLUG}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
      const seen = new Set<string>();
      for (let stop = 0; stop < 40; stop++) {
        await page.keyboard.press('Tab');
        const ring = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          // The ring sits outside the element (outline-offset), on its parent's background.
          let behind: Element | null = el.parentElement;
          let background = 'rgb(255, 255, 255)';
          while (behind) {
            const color = getComputedStyle(behind).backgroundColor;
            if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') {
              background = color;
              break;
            }
            behind = behind.parentElement;
          }
          return {
            what: `${el.tagName.toLowerCase()} ${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30)}`,
            focusVisible: el.matches(':focus-visible'),
            style: style.outlineStyle,
            width: parseFloat(style.outlineWidth),
            color: style.outlineColor,
            background,
          };
        });
        if (!ring) continue;
        seen.add(ring.what);
        expect(ring.focusVisible, ring.what).toBe(true);
        expect(ring.style, ring.what).toBe('solid');
        expect(ring.width, ring.what).toBeGreaterThanOrEqual(2);
        expect(contrastRatio(ring.color, ring.background), `${ring.what}: ${ring.color} on ${ring.background}`).toBeGreaterThanOrEqual(3);
      }
      // The walk went through the page: skip link, navigation, player, body links, forms.
      expect(seen.size).toBeGreaterThan(10);
    });
  });
}

test.describe('less motion', () => {
  /** Opens the article from the homepage with its page held back, so its skeleton shows. */
  async function showSkeleton(page: Page) {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/articles/${SEED_SLUG}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('./');
    await page.getByTestId('lead-story').getByRole('link', { name: SEED_HEADLINE }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.skeleton')).toBeVisible();
    return release;
  }

  /** Everything on the page that moves: running animations, transitions, smooth scrolling. */
  async function motion(page: Page) {
    return page.evaluate(() => {
      const moving: string[] = document.getAnimations().map((a) => `animation ${(a as CSSAnimation).animationName ?? a.id}`);
      for (const el of Array.from(document.querySelectorAll('*'))) {
        const style = getComputedStyle(el);
        if (style.animationName !== 'none') moving.push(`${el.className}: animation ${style.animationName}`);
        if (style.transitionDuration.split(',').some((d) => parseFloat(d) > 0)) moving.push(`${el.className}: transition`);
      }
      if (getComputedStyle(document.documentElement).scrollBehavior !== 'auto') moving.push('smooth scrolling');
      return moving;
    });
  }

  test('the loading skeleton pulses for readers who did not ask for less motion', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    const release = await showSkeleton(page);
    // The check below sees motion when there is some.
    expect(await motion(page)).toContainEqual(expect.stringContaining('animation pulse'));
    release();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  });

  test('nothing moves for readers who asked for less motion', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const release = await showSkeleton(page);
    expect(await motion(page)).toEqual([]);
    release();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
    await page.getByRole('button', { name: /Listen to this article/ }).click();
    expect(await motion(page)).toEqual([]);
  });
});

test.describe('print', () => {
  // A reader printing in the dark theme still gets black on white.
  test.use({ colorScheme: 'dark' });

  test('an article prints alone, black on white, with its links spelled out', async ({ page }, info) => {
    await page.goto(`articles/${SEED_SLUG}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
    await page.emulateMedia({ media: 'print' });
    const shown = ['.masthead__name', 'h1.article__headline', '.article__standfirst', '.article__meta', '.article-body', 'aside.explainer', '.article__credit', '[data-testid="ai-disclaimer"]'];
    for (const selector of shown) await expect(page.locator(selector).first(), selector).toBeVisible();
    const hidden = ['.skip-link', '.site-nav', '.masthead__motto', '.masthead__tagline', '[data-testid="player"]', '[data-testid="newsletter"]', 'form', '[data-testid="related"]', '.site-footer'];
    for (const selector of hidden) {
      const count = await page.locator(selector).count();
      expect(count, `${selector} is on the page to hide`).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) await expect(page.locator(selector).nth(i), selector).toBeHidden();
    }
    const colours = await page.evaluate(() => {
      const of = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        paper: getComputedStyle(document.body).backgroundColor,
        text: [of('h1').color, of('.article-body p').color, of('.explainer').color, of('.article__credit').color],
        link: getComputedStyle(document.querySelector('[data-testid="ai-disclaimer"] a')!, '::after').content,
        href: document.querySelector('[data-testid="ai-disclaimer"] a')!.getAttribute('href'),
      };
    });
    expect(colours.paper).toBe('rgb(255, 255, 255)');
    for (const text of colours.text) expect(text).toBe('rgb(0, 0, 0)');
    expect(colours.link).toBe(`" (${colours.href})"`);

    const pdf = join(artifactDir('print', info), 'article.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    // The article is a few pages; the furniture left out would add more.
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(8);
  });
});

test.describe('screenshots', () => {
  for (const theme of THEMES) {
    for (const width of [375, 1280]) {
      test.describe(`${theme.scheme} at ${width} px`, () => {
        test.use({ colorScheme: theme.scheme, viewport: { width, height: width < 600 ? 740 : 800 } });
        for (const route of ROUTES) {
          test(`${route.name}`, async ({ page }, info) => {
            await page.goto(route.path);
            await expect(page.locator(route.ready).first()).toBeVisible();
            await expect(page.locator('.skeleton')).toHaveCount(0);
            expect(await sidewaysOverflow(page)).toEqual([]);
            const file = join(artifactDir('screenshots', info), `${route.name}-${width}-${theme.scheme}.png`);
            await page.screenshot({ path: file, fullPage: true });
            expect(readFileSync(file).length).toBeGreaterThan(1000);
          });
        }
      });
    }
  }
});
