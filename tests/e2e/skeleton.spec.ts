// The walking skeleton: homepage → article without a reload, and a reloaded deep link.
import { test, expect, SEED_HEADLINE, SEED_SLUG } from './support';

test('the homepage shows the masthead and the articles from the API', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('masthead-name')).toHaveText('Budapest Post');
  await expect(page.getByText('Cum Deo pro Patria et Libertate')).toBeVisible();
  await expect(page.getByText('Budapest, Europe and world news', { exact: true })).toBeVisible();
  await expect(page.getByTestId('lead-story').getByRole('link', { name: SEED_HEADLINE })).toBeVisible();
  await expect(page.locator('.latest .article-list__item')).toHaveCount(20);
});

test('clicking a headline opens the article without a full page reload', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => ((window as any).__stillTheSamePage = true));
  await page.getByRole('link', { name: SEED_HEADLINE }).click();
  await expect(page).toHaveURL(new RegExp(`/articles/${SEED_SLUG}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await expect(page.getByText('The proposal, coming as Moscow masses troops')).toBeVisible();
  await expect(page.getByText('The Russian fFreign Ministry had earlier demanded')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__stillTheSamePage)).toBe(true);
});

test('reloading an article address shows the same article', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await expect(page).toHaveTitle(SEED_HEADLINE);
});
