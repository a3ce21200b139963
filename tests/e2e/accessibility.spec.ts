// Every route and every state a reader can meet, in the light and the dark theme: axe (WCAG 2.x
// A and AA, and best practices) finds nothing, the page keeps one h1, its landmarks and its skip
// link, and every keyboard stop shows its focus. States that follow one another on one page
// (loading → failed, errors → sent) share a page load, each a step of its own.
import type { Page } from '@playwright/test';
import { test, expect, axeViolations, routesOf, SEED_HEADLINE, SEED_SLUG } from './support';

const THEMES = [
  { scheme: 'light' as const, paper: 'rgb(255, 255, 255)' },
  { scheme: 'dark' as const, paper: 'rgb(18, 18, 18)' },
];

/** The site's pages: every route of `routesOf`, and the ones only this walk visits. */
const PAGES = [
  ...routesOf(SEED_SLUG),
  { name: 'corrections', path: 'corrections', ready: '[data-testid="corrections-page"]' },
  { name: 'unsubscribe', path: 'newsletter/unsubscribe?token=abc123', ready: '[data-testid="unsubscribe-form"]' },
  { name: 'not-found article', path: 'articles/no-such-article', ready: '[data-testid="not-found"]' },
];

/** The partner embeds: pages of their own, without the site's furniture or its app. */
const EMBEDS = [
  { name: 'embed headlines', path: 'embed/headlines', ready: '[data-testid="embed-headlines"]' },
  { name: 'embed article', path: `embed/articles/${SEED_SLUG}`, ready: '[data-testid="embed-article"]' },
];

/** What is missing from the page's structure: one h1, one main, the masthead, footer, nav and skip link. */
async function structureProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const count = (selector: string) => document.querySelectorAll(selector).length;
    if (count('h1') !== 1) problems.push(`${count('h1')} h1 elements`);
    if (count('main, [role="main"]') !== 1) problems.push(`${count('main, [role="main"]')} main landmarks`);
    for (const landmark of ['header.masthead', 'footer.site-footer', 'nav']) {
      if (count(landmark) === 0) problems.push(`no ${landmark}`);
    }
    const skip = document.querySelector<HTMLAnchorElement>('a.skip-link');
    const target = skip && document.getElementById(skip.hash.slice(1));
    if (!skip || target?.tagName !== 'MAIN') problems.push('no skip link to the main content');
    return problems;
  });
}

/**
 * Every keyboard stop of the page whose focus cannot be seen: no `:focus-visible`, or neither a
 * solid outline of 2 px or more nor a box shadow. The first stop is reached with Tab, so that
 * the browser is in keyboard mode; the others are focused in turn from there (a focus moved
 * after a keyboard one is shown as the keyboard's), in one pass rather than a key press each.
 */
async function unseenFocus(page: Page): Promise<{ stops: number; unseen: string[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.getSelection()?.removeAllRanges();
  });
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const candidates = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, summary, audio[controls], [tabindex]',
    );
    const unseen: string[] = [];
    let stops = 0;
    for (const el of Array.from(candidates)) {
      if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled || !el.checkVisibility({ checkVisibilityCSS: true })) continue;
      el.focus();
      // Inert (behind an open dialog) or otherwise refused: not a stop.
      if (document.activeElement !== el) continue;
      stops += 1;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
      if (!el.matches(':focus-visible') || !ring) {
        unseen.push(`${el.tagName.toLowerCase()} ${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}`);
      }
    }
    return { stops, unseen };
  });
}

/** Axe, the page's structure and (unless `focus` is false) a keyboard walk, on the page as it is. */
async function checkPage(page: Page, { focus = true } = {}) {
  expect(await axeViolations(page), 'axe violations').toEqual([]);
  expect(await structureProblems(page), 'page structure').toEqual([]);
  if (focus) {
    const walk = await unseenFocus(page);
    expect(walk.stops, 'keyboard stops').toBeGreaterThan(2);
    expect(walk.unseen, 'stops without a visible focus').toEqual([]);
  }
}

/** Holds back requests to `url` until the answer is released with `answer(...)`. */
async function holdBack(page: Page, url: string) {
  let answer: (reply: 'continue' | 'fail' | 'abort') => void = () => {};
  const reply = new Promise<'continue' | 'fail' | 'abort'>((resolve) => (answer = resolve));
  await page.route(url, async (route) => {
    const how = await reply;
    if (how === 'continue') await route.continue();
    else if (how === 'fail') await route.fulfill({ status: 500, contentType: 'text/plain', body: 'broken' });
    else await route.abort('connectionreset');
  });
  return answer;
}

for (const theme of THEMES) {
  test.describe(`${theme.scheme} theme`, () => {
    test.use({ colorScheme: theme.scheme });

    /** Opens `path` once the app has it, in the theme under test. */
    async function open(page: Page, path: string, ready: string) {
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeVisible();
      await expect(page.locator('.skeleton')).toHaveCount(0);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(theme.paper);
    }

    for (const route of PAGES) {
      test(`${route.name}: axe, structure and visible focus`, async ({ page }) => {
        await open(page, route.path, route.ready);
        await checkPage(page);
      });
    }

    for (const embed of EMBEDS) {
      test(`${embed.name}: axe and one h1`, async ({ context }) => {
        // Embeds have no app: the suite's page, which waits for it, is not for them.
        const page = await context.newPage();
        await page.goto(embed.path);
        await expect(page.locator(embed.ready)).toBeVisible();
        expect(await axeViolations(page), 'axe violations').toEqual([]);
        await expect(page.locator('h1')).toHaveCount(1);
        await expect(page.locator('main')).toHaveCount(1);
        await page.close();
      });
    }

    test.describe('states', () => {
      // A state is the app's own, the same code on every site: the server and the export under
      // /news/ have their routes scanned above, and the states are scanned once, on the export
      // at the root (the suite's time is bounded).
      test.skip(({ target, basePath }) => target !== 'static' || basePath !== '', 'the states are scanned on the export at the root');

      test('home: more articles loading, then failed (500)', async ({ page }) => {
        await open(page, './', '.latest .article-list__item');
        const answer = await holdBack(page, '**/api/v1/articles/page/2.json');
        const more = page.getByTestId('more-articles');
        await more.click();
        await test.step('loading', async () => {
          await expect(more).toHaveText('Loading…');
          await checkPage(page, { focus: false });
        });
        await test.step('failed', async () => {
          answer('fail');
          await expect(page.getByTestId('load-error')).toBeVisible();
          await checkPage(page);
        });
      });

      test('home → article: the page loading (skeleton), then failed (connection lost)', async ({ page }) => {
        await open(page, './', '.latest .article-list__item');
        const answer = await holdBack(page, `**/articles/${SEED_SLUG}`);
        await page.getByTestId('lead-story').getByRole('link', { name: SEED_HEADLINE }).focus();
        await page.keyboard.press('Enter');
        await test.step('loading', async () => {
          await expect(page.locator('.skeleton').first()).toBeVisible();
          await checkPage(page, { focus: false });
        });
        await test.step('failed', async () => {
          answer('abort');
          await expect(page.getByTestId('load-error')).toBeVisible();
          await checkPage(page);
        });
      });

      test('contact: the report form sent empty (errors), then sent (confirmation)', async ({ page }) => {
        await open(page, `contact?article=${SEED_SLUG}`, '[data-testid="report-form"]');
        const form = page.getByTestId('report-form');
        await test.step('form errors', async () => {
          await form.getByRole('button', { name: 'Send report' }).click();
          await expect(page.getByTestId('error-summary')).toBeFocused();
          await checkPage(page);
        });
        await test.step('confirmation', async () => {
          await page.getByLabel('The passage that is wrong').fill('The Russian fFreign Ministry');
          await page.getByLabel('What is wrong with it').fill('“fFreign” is a typo.');
          await page.getByLabel('What it should say').fill('The Russian Foreign Ministry');
          await form.getByRole('button', { name: 'Send report' }).click();
          await expect(page.getByTestId('report-accepted')).toBeFocused();
          await checkPage(page);
        });
      });

      test('home: the newsletter sign-up sent empty (error), then signed up (confirmation)', async ({ page }) => {
        await open(page, './', '.latest .article-list__item');
        const form = page.getByTestId('newsletter');
        await test.step('form error', async () => {
          await form.getByRole('button', { name: 'Sign up' }).click();
          await expect(form.getByTestId('error-summary')).toBeFocused();
          await checkPage(page);
        });
        await test.step('confirmation', async () => {
          await form.getByLabel('Email address').fill(`a11y-${theme.scheme}@example.hu`);
          await form.getByRole('button', { name: 'Sign up' }).click();
          await expect(form.getByRole('status')).toContainText('Thank you');
          await checkPage(page);
        });
      });

      test('unsubscribe: confirmation', async ({ page }) => {
        await open(page, 'newsletter/unsubscribe?token=abc123', '[data-testid="unsubscribe-form"]');
        await page.getByRole('button', { name: 'Unsubscribe' }).click();
        await expect(page.getByTestId('unsubscribed')).toBeVisible();
        await checkPage(page);
      });

      // The player playing a real recording is scanned in both themes in player.spec.ts (speech
      // synthesis has no voice in headless Chromium, so the seed article's player cannot play).
      test('article: the selected-passage offer, then the player open', async ({ page }) => {
        await open(page, `articles/${SEED_SLUG}`, '.article-body');
        await test.step('selected-passage offer', async () => {
          await page.evaluate(() => {
            const paragraph = document.querySelector('.article-body p')!;
            const range = document.createRange();
            range.selectNodeContents(paragraph);
            window.getSelection()!.removeAllRanges();
            window.getSelection()!.addRange(range);
            paragraph.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
          });
          await expect(page.getByTestId('report-selection')).toBeVisible();
          await checkPage(page, { focus: false });
        });
        await test.step('player open', async () => {
          await page.getByRole('button', { name: /Listen to this article/ }).click();
          await expect(page.getByRole('region', { name: 'Listen to this article' }).getByRole('slider', { name: 'Seek' })).toBeVisible();
          await checkPage(page);
        });
      });

      test.describe('for a reader who has not closed the newsletter prompt', () => {
        test.use({ promptClosed: false });

        test('article: the newsletter dialog open', async ({ page }) => {
          await open(page, `articles/${SEED_SLUG}`, '.article-body');
          await page.getByRole('button', { name: /Listen to this article/ }).focus();
          await page.keyboard.press('End');
          const dialog = page.getByRole('dialog', { name: 'Newsletter' });
          await expect(dialog).toBeVisible();
          expect(await axeViolations(page), 'axe violations').toEqual([]);
          expect(await structureProblems(page), 'page structure').toEqual([]);
          // Only the dialog's controls take focus (the page behind is inert), and each shows it.
          const walk = await unseenFocus(page);
          expect(walk.stops).toBeGreaterThanOrEqual(2);
          expect(walk.unseen).toEqual([]);
        });
      });
    });
  });
}

test('the skip link is the first stop and moves focus to the content', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page.locator('h1')).toHaveCount(1);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});

test('the listen player opens, shows m:ss times and closes, by keyboard', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  const open = page.getByRole('button', { name: /Listen to this article/ });
  await open.focus();
  await page.keyboard.press('Enter');
  const player = page.getByRole('region', { name: 'Listen to this article' });
  await expect(player.getByTestId('player-elapsed')).toHaveText('0:00');
  await expect(player.getByTestId('player-total')).toHaveText(/^\d+:\d\d$/);
  await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
  const seek = player.getByRole('slider', { name: 'Seek' });
  await expect(seek).toBeVisible();
  // The seek bar's range is the whole reading, in seconds; moving it moves the clock.
  const [minutes, seconds] = (await player.getByTestId('player-total').innerText()).split(':');
  await expect(seek).toHaveJSProperty('max', String(Number(minutes) * 60 + Number(seconds)));
  await seek.focus();
  await page.keyboard.press('ArrowRight');
  await expect(player.getByTestId('player-elapsed')).toHaveText('0:01');
  await expect(seek).toHaveJSProperty('value', '1');
  await player.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: /Listen to this article/ })).toBeVisible();
});
