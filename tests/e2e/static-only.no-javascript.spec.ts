// Exported pages are readable with JavaScript off: the text is in the first response.
import { test, expect, SEED_HEADLINE, SEED_SLUG } from './support';

test.use({ javaScriptEnabled: false });

test('an article reads in full without JavaScript', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await expect(page.getByText('The proposal, coming as Moscow masses troops').first()).toBeVisible();
  await expect(page.getByText('The Russian fFreign Ministry had earlier demanded')).toBeVisible();
  await expect(page.locator('aside.explainer li strong').first()).toHaveText('Ominous warnings.');
  await expect(page.getByText('Andrew E. Kramer reported from Kyiv')).toBeVisible();
  await expect(page.getByTestId('related').locator('.article-list__item')).toHaveCount(6);
  await expect(page).toHaveTitle(SEED_HEADLINE);
});

test('the homepage, the related list and links work without JavaScript', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('masthead-name')).toHaveText('Budapest Post');
  await expect(page.locator('.latest .article-list__item')).toHaveCount(20);
  await page.getByRole('link', { name: SEED_HEADLINE }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await page.getByRole('link', { name: 'All 50 related articles' }).click();
  await expect(page.locator('.article-list__item')).toHaveCount(50);
});

test('unknown addresses get the not-found page', async ({ page }) => {
  const response = await page.goto('no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
