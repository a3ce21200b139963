// The newsletter prompt: a real modal dialog, offered once at the end of an article.
import type { Page } from '@playwright/test';
import { test, expect, axeViolations, PROMPT_CLOSED_KEY, SEED_SLUG } from './support';

// A reader who has never closed the prompt.
test.use({ promptClosed: false });

/** Opens the article with the focus on the player's button, and scrolls to its end by keyboard. */
async function readToTheEnd(page: Page) {
  await page.goto(`articles/${SEED_SLUG}`);
  const listen = page.getByRole('button', { name: /Listen to this article/ });
  await listen.focus();
  await page.keyboard.press('End');
  return listen;
}

/** Whether the focused element is inside the open dialog. */
const focusInDialog = (page: Page) => page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null);

test('not shown before the reader reaches the end of the article', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(300);
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('opens at the end of the article, labelled, with focus inside and kept there; Escape closes it and focus returns', async ({ page }) => {
  const listen = await readToTheEnd(page);
  const dialog = page.getByRole('dialog', { name: 'Newsletter' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveJSProperty('open', true);
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(close).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);
  // The page behind is inert: Tab never leaves the dialog for the page.
  const outside: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el.closest('dialog[open]')) return null;
      return el.outerHTML.slice(0, 80);
    });
    if (where) outside.push(where);
  }
  expect(outside).toEqual([]);
  // The page behind cannot take focus at all.
  const behind = await page.evaluate(() => {
    const link = document.querySelector<HTMLElement>('[data-testid="report-article"]')!;
    link.focus();
    return document.activeElement === link;
  });
  expect(behind).toBe(false);
  await dialog.getByLabel('Email address').focus();
  expect(await focusInDialog(page)).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(listen).toBeFocused();
  // Kept on the dialog's `close` event, which the browser fires in a task after hiding it.
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), PROMPT_CLOSED_KEY)).toBe('1');
  // Never again: not after a reload, not on the next article's end.
  await page.reload();
  await page.getByRole('button', { name: /Listen to this article/ }).focus();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  await expect(page.locator('dialog[open]')).toHaveCount(0);
});

test('× closes it by keyboard and focus returns to where it was', async ({ page }) => {
  const listen = await readToTheEnd(page);
  const dialog = page.getByRole('dialog', { name: 'Newsletter' });
  await expect(dialog).toBeVisible();
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(close).toBeFocused();
  await expect(close).toHaveText('×');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(listen).toBeFocused();
  await page.reload();
  await page.getByRole('button', { name: /Listen to this article/ }).focus();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  await expect(page.locator('dialog[open]')).toHaveCount(0);
});

test('the sign-up in the dialog works, and the dialog passes axe in the dark theme too', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await readToTheEnd(page);
  const dialog = page.getByRole('dialog', { name: 'Newsletter' });
  await expect(dialog).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Email address')).toBeFocused();
  await page.keyboard.type('prompted@example.hu');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toHaveText('Thank you: prompted@example.hu is signed up for the newsletter.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
