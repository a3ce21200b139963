// axe-core on every route, one h1 a page, and the keyboard path through the page.
import { test, expect, axeViolations, SEED_SLUG } from './support';

const routes = ['./', `articles/${SEED_SLUG}`, `articles/${SEED_SLUG}/related`, `contact?article=${SEED_SLUG}`, 'nowhere'];

for (const path of routes) {
  test(`axe finds no violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('.skeleton')).toHaveCount(0);
    await expect(page.getByTestId('masthead-name')).toHaveText('Budapest Post');
    expect(await axeViolations(page)).toEqual([]);
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
