// The report flow by keyboard alone: from the article to the form, errors summarised at the top
// and linked to their fields, the fix, and the confirmation, with visible focus at each stop.
import type { Locator, Page } from '@playwright/test';
import { test, expect, axeViolations, storedReports, SEED_HEADLINE, SEED_SLUG } from './support';

/** Presses Tab (Shift+Tab when `back`) until `target` has focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, { limit = 150, back = false } = {}) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${target} not reached in ${limit} presses of Tab`);
}

/** Whether the focused element shows a focus ring. */
async function focusRingShown(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}

test('a reader reports an inaccuracy with the keyboard alone, from the article to the confirmation', async ({ page, server }) => {
  // A long walk, key by key, on a shared machine.
  test.setTimeout(120_000);
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  // The article's own link to the form, reached by Tab.
  const report = page.getByRole('link', { name: 'Report an inaccuracy in this article' });
  await tabTo(page, report);
  expect(await focusRingShown(page)).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/contact\\?article=${SEED_SLUG}$`));
  await expect(page.getByTestId('reported-article')).toContainText('Russia Lays Out Demands');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  const passage = page.getByLabel('The passage that is wrong');
  await tabTo(page, passage);
  expect(await focusRingShown(page)).toBe(true);
  await page.keyboard.type('The Russian fFreign Ministry');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('What is wrong with it')).toBeFocused();
  await page.keyboard.type('Keyboard walk: “fFreign” is a typo.');
  // "What it should say" is left empty, and the email is not an address.
  const email = page.getByLabel('Your email, if you would like an answer (optional)');
  await tabTo(page, email);
  await page.keyboard.type('not-an-address');
  await page.keyboard.press('Enter');

  // The summary at the top has focus, says what is wrong and links each problem to its field.
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  expect(await focusRingShown(page)).toBe(true);
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  // Read out as the focus lands on it: its heading first.
  expect(await page.evaluate(() => document.activeElement!.textContent)).toMatch(/^There is a problem/);
  const links = summary.getByRole('link');
  await expect(links).toHaveCount(2);
  await expect(links.nth(0)).toHaveAttribute('href', '#correction');
  await expect(links.nth(1)).toHaveAttribute('href', '#email');
  await expect(links.nth(1)).toContainText('email address');
  expect(await axeViolations(page)).toEqual([]);

  // Following the first link puts the reader in that field, to type the fix.
  await page.keyboard.press('Tab');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('What it should say')).toBeFocused();
  await page.keyboard.type('The Russian Foreign Ministry');
  // Back to the summary and on to the email's link.
  await tabTo(page, links.nth(1), { back: true });
  await page.keyboard.press('Enter');
  await expect(email).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('keyboard.reader@example.hu');
  await page.keyboard.press('Enter');

  // The thanks replaces the form; it is a status message and takes focus, so it is read out.
  const accepted = page.getByTestId('report-accepted');
  await expect(accepted).toBeFocused();
  await expect(accepted).toHaveAttribute('role', 'status');
  await expect(accepted).toContainText('Your report has reached our editors');
  const reference = (await page.getByTestId('report-id').textContent())!;
  const stored = storedReports(server.database).find((r) => r.reference === reference)!;
  expect(stored).toMatchObject({
    article_slug: SEED_SLUG,
    quoted_passage: 'The Russian fFreign Ministry',
    correction: 'The Russian Foreign Ministry',
  });
});

test('the API refusing a report is summarised at the top and focused', async ({ page }) => {
  await page.goto('contact?article=no-such-article');
  await page.getByLabel('The passage that is wrong').fill('passage');
  await page.getByLabel('What is wrong with it').fill('wrong');
  await page.getByLabel('What it should say').fill('right');
  await page.getByLabel('What it should say').press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Send report' })).toBeFocused();
  await page.keyboard.press('Enter');
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#article_slug');
  await summary.getByRole('link').press('Enter');
  await expect(page.getByLabel('Article (its link or name in the address)')).toBeFocused();
});

test('the newsletter sign-up summarises its error and focuses the summary', async ({ page }) => {
  await page.goto('./');
  const form = page.getByTestId('newsletter');
  await form.getByLabel('Email address').focus();
  await page.keyboard.type('nope');
  await page.keyboard.press('Enter');
  const summary = form.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#home-newsletter-email');
  await summary.getByRole('link').press('Enter');
  await expect(form.getByLabel('Email address')).toBeFocused();
});
