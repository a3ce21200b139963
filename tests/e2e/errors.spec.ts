// A misbehaving or missing API never leaves a blank page: a plain message and a retry.
import { test, expect, startServer, SEED_HEADLINE, SEED_SLUG } from './support';

const TECH_HEADLINE = 'Technology Giants Activate Lobbying Campaigns Against Strict EU Regulations';
// The article page, as the app fetches it when a reader follows a link to it.
const ARTICLE_PAGE = `**/articles/${SEED_SLUG}`;

// Pages arrive rendered: these failures are met when the app fetches the next page, on the way
// from one page to another.

/** Opens the homepage, then the seed article by its headline, as the app. */
async function openSeedFromHome(page: import('@playwright/test').Page) {
  await page.goto('./');
  await page.getByTestId('lead-story').getByRole('link', { name: SEED_HEADLINE }).click();
}

test('a 5xx answer shows a message and the retry loads the article', async ({ page }) => {
  let failing = true;
  await page.route(ARTICLE_PAGE, (route) =>
    failing ? route.fulfill({ status: 503, body: 'upstream down' }) : route.continue(),
  );
  await openSeedFromHome(page);
  await expect(page.getByTestId('load-error')).toContainText('Something went wrong on our side');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
});

test('a broken page shows a message, not a panic', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(ARTICLE_PAGE, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Half a page from a broken proxy' }),
  );
  await openSeedFromHome(page);
  await expect(page.getByTestId('load-error')).toContainText('Something went wrong on our side');
  expect(errors).toEqual([]);
});

test('a slow API shows the page shape, then the article in the same place', async ({ page }) => {
  await page.route(ARTICLE_PAGE, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto('./');
  // Not hovered first: hovering would start loading the article before the click.
  await page.getByTestId('lead-story').getByRole('link', { name: SEED_HEADLINE }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.skeleton')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_HEADLINE);
  await expect(page.locator('.skeleton')).toHaveCount(0);
});

test('a stopped server: the reader is told, and the retry works once it is back', async ({ page }) => {
  const own = await startServer();
  await page.goto(own.url + '/');
  await expect(page.getByTestId('lead-story')).toBeVisible();
  const database = own.database;
  const port = new URL(own.url).port;
  await own.stop();
  await page.getByRole('link', { name: TECH_HEADLINE }).click();
  await expect(page.getByTestId('load-error')).toContainText('could not reach the Budapest Post');
  const again = await startServer({ database, args: ['--addr', `127.0.0.1:${port}`] }).catch(() => null);
  test.skip(again === null, 'the port was taken by another process meanwhile');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TECH_HEADLINE);
  await again!.stop();
});

// The API reads the app makes itself ("More articles"): the faults a proxy or a network adds.
const SECOND_PAGE = '**/api/v1/articles/page/2.json';

test('an API answer of the wrong type is said plainly, and the retry loads the list', async ({ page }) => {
  let broken = true;
  await page.route(SECOND_PAGE, (route) =>
    broken ? route.fulfill({ status: 200, contentType: 'text/html', body: '<html>A captive portal</html>' }) : route.continue(),
  );
  await page.goto('./');
  await page.getByTestId('more-articles').click();
  await expect(page.getByTestId('load-error')).toContainText('Something went wrong on our side');
  broken = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('.latest .article-list__item')).toHaveCount(40);
});

test('an API that never answers is a timeout in plain words, with a retry', async ({ page }) => {
  let silent = true;
  await page.route(SECOND_PAGE, (route) => (silent ? new Promise<void>(() => {}) : route.continue()));
  await page.goto('./');
  await page.getByTestId('more-articles').click();
  // The app gives up after its 10 s limit.
  await expect(page.getByTestId('load-error')).toContainText('taking too long', { timeout: 15_000 });
  silent = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('.latest .article-list__item')).toHaveCount(40);
});
