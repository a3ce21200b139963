// Every route as a deep link that survives a reload and the back button, with its head tags.
import { test, expect, SEED_HEADLINE, SEED_SLUG } from './support';

test('an article shows every part of the seed page in order', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  const article = page.getByTestId('article');
  await expect(article.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await expect(article.locator('.article__standfirst')).toContainText('The proposal, coming as Moscow masses troops');
  await expect(article.locator('.article__section')).toHaveText('Europe');
  await expect(article.locator('.article__meta')).toContainText('Published 17 December 2021');
  await expect(article.locator('.article__meta')).toContainText('min read');
  await expect(article.locator('.article-body > p')).toHaveCount(35);
  const explainer = article.locator('aside.explainer');
  await expect(explainer.getByRole('heading', { level: 2 })).toHaveText('Understand the Escalating Tensions Over Ukraine');
  await expect(explainer.locator('li strong')).toHaveText(['Ominous warnings.', 'The Kremlin’s position.']);
  await expect(article.locator('.article__credit')).toHaveText(
    'Andrew E. Kramer reported from Kyiv, Ukraine, and Steven Erlanger reported from Brussels.',
  );
  await expect(page.getByTestId('ai-disclaimer')).toContainText('An advanced artificial intelligence (AI) system');
  await expect(page.getByRole('region', { name: 'Newsletter' })).toBeVisible();
  const related = page.getByTestId('related');
  await expect(related.getByRole('heading', { name: 'Related Articles' })).toBeVisible();
  await expect(related.locator('.article-list__item')).toHaveCount(6);
  await expect(related.getByRole('link', { name: 'All 50 related articles' })).toBeVisible();
  await expect(page.locator('h1')).toHaveCount(1);
});

test('the head carries title, description, canonical link and Open Graph tags', async ({ page, baseURL }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page).toHaveTitle(SEED_HEADLINE);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /^The proposal, coming as Moscow/);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${baseURL}articles/${SEED_SLUG}`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', SEED_HEADLINE);
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'article');
  await page.getByRole('link', { name: 'Contact Us' }).first().click();
  await expect(page).toHaveTitle('Contact Us — Budapest Post');
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${baseURL}contact`);
});

test('the related list, its deep link and the back button', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await page.getByRole('link', { name: 'All 50 related articles' }).click();
  await expect(page).toHaveURL(new RegExp(`/articles/${SEED_SLUG}/related$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Related articles');
  await expect(page.locator('.article-list__item')).toHaveCount(50);
  await expect(page.locator('.article-list__item').last()).toContainText('Honda and Nissan End Merger Talks');
  await page.reload();
  await expect(page.locator('.article-list__item')).toHaveCount(50);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/articles/${SEED_SLUG}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
});

test('a related headline opens its own page', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}/related`);
  await page.getByRole('link', { name: 'Honda and Nissan End Merger Talks' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Honda and Nissan End Merger Talks');
  await expect(page.locator('.article__section')).toHaveText('Business');
});

test('"More articles" loads the next page without losing the place', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('.latest .article-list__item')).toHaveCount(20);
  const more = page.getByTestId('more-articles');
  await more.scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  await more.click();
  await expect(page.locator('.latest .article-list__item')).toHaveCount(40);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(50);
  await page.getByTestId('more-articles').click();
  await expect(page.locator('.latest .article-list__item')).toHaveCount(50);
  await expect(page.getByTestId('more-articles')).toHaveCount(0);
});

test('unknown addresses get a not-found page with a way home', async ({ page }) => {
  for (const path of ['no/such/page', 'articles/no-such-article']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expect(page.getByRole('link', { name: 'Go to the homepage' })).toBeVisible();
  }
  await page.getByRole('link', { name: 'Go to the homepage' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('lead-story')).toBeVisible();
});

test('an article seen before opens from memory when the reader goes back', async ({ page }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('lead-story')).toBeVisible();
  const articleRequests: string[] = [];
  page.on('request', (r) => r.url().includes(`/articles/${SEED_SLUG}`) && articleRequests.push(r.url()));
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  expect(articleRequests).toEqual([]);
});

test('hovering a headline fetches its page ahead', async ({ page }) => {
  await page.goto('./');
  const link = page.getByRole('link', { name: 'Honda and Nissan End Merger Talks' });
  await expect(page.locator('.latest .article-list__item')).toHaveCount(20);
  await page.getByTestId('more-articles').click();
  await page.getByTestId('more-articles').click();
  const prefetched = page.waitForRequest((r) => r.url().endsWith('/articles/honda-and-nissan-end-merger-talks'));
  await link.hover();
  await prefetched;
});
