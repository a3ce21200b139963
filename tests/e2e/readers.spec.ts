// What readers send: inaccuracy reports (stored in the database) and newsletter sign-ups.
import { test, expect, SEED_SLUG, storedReports } from './support';

async function selectPassage(page: import('@playwright/test').Page, words: string) {
  await expect(page.locator('.article-body p', { hasText: words })).toBeVisible();
  await page.evaluate((words) => {
    const paragraph = [...document.querySelectorAll('.article-body p')].find((p) => p.textContent!.includes(words))!;
    const text = paragraph.firstChild!;
    const start = text.textContent!.indexOf(words);
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + words.length);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    paragraph.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  }, words);
}

test('a reader reports the seed typo from a selected passage and it reaches the database', async ({ page, server }) => {
  await page.goto(`articles/${SEED_SLUG}`);
  await selectPassage(page, 'The Russian fFreign Ministry');
  await page.getByTestId('report-selection').click();
  await expect(page).toHaveURL(/\/contact\?article=/);
  await expect(page.getByTestId('reported-article')).toContainText('Russia Lays Out Demands');
  await expect(page.getByLabel('The passage that is wrong')).toHaveValue('The Russian fFreign Ministry');
  await page.getByLabel('What is wrong with it').fill('“fFreign” is a typo.');
  await page.getByLabel('What it should say').fill('The Russian Foreign Ministry');
  await page.getByLabel('A link to your source (optional)').fill('https://en.wikipedia.org/wiki/Ministry_of_Foreign_Affairs_(Russia)');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-accepted')).toBeVisible();
  const reference = (await page.getByTestId('report-id').textContent())!;
  expect(reference).toMatch(/^BP-\d{6}$/);
  const stored = storedReports(server.database).find((r) => r.reference === reference)!;
  expect(stored).toMatchObject({
    article_slug: SEED_SLUG,
    quoted_passage: 'The Russian fFreign Ministry',
    correction: 'The Russian Foreign Ministry',
    status: 'received',
  });
});

test('the form shows each problem next to its field before sending anything', async ({ page }) => {
  let posted = 0;
  page.on('request', (r) => r.method() === 'POST' && posted++);
  await page.goto(`contact?article=${SEED_SLUG}`);
  await page.getByLabel('Your email, if you would like an answer (optional)').fill('not-an-address');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.locator('#quoted_passage-error')).toHaveText('Tell us the passage.');
  await expect(page.locator('#email-error')).toContainText('email address');
  await expect(page.getByLabel('The passage that is wrong')).toBeFocused();
  await expect(page.getByLabel('The passage that is wrong')).toHaveAttribute('aria-invalid', 'true');
  expect(posted).toBe(0);
});

test('a failed submit keeps the draft, which survives a reload and is stored once when resent', async ({ page, server }) => {
  await page.goto(`contact?article=${SEED_SLUG}`);
  await page.getByLabel('The passage that is wrong').fill('Mr. Greene said Russia may now see an opening');
  await page.getByLabel('What is wrong with it').fill('Draft survival test');
  await page.getByLabel('What it should say').fill('Something else');
  await page.route('**/api/v1/reports', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-refused')).toContainText('could not reach');
  await expect(page.getByTestId('report-refused')).toContainText('draft is kept');
  await page.unroute('**/api/v1/reports');
  await page.reload();
  await expect(page.getByLabel('What is wrong with it')).toHaveValue('Draft survival test');
  // The API stored it but the answer was lost: the resend carries the same key.
  let firstAnswerLost = true;
  await page.route('**/api/v1/reports', async (route) => {
    const response = await route.fetch();
    if (firstAnswerLost) {
      firstAnswerLost = false;
      return route.abort('connectionreset');
    }
    return route.fulfill({ response });
  });
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-refused')).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-accepted')).toBeVisible();
  const matching = storedReports(server.database).filter((r) => r.what_is_wrong === 'Draft survival test');
  expect(matching).toHaveLength(1);
  await page.goto(`contact?article=${SEED_SLUG}`);
  await expect(page.getByLabel('What is wrong with it')).toHaveValue('');
});

test('the submit button cannot send twice', async ({ page, server }) => {
  await page.goto(`contact?article=${SEED_SLUG}`);
  await page.getByLabel('The passage that is wrong').fill('double click passage');
  await page.getByLabel('What is wrong with it').fill('Double click test');
  await page.getByLabel('What it should say').fill('Once');
  let posts = 0;
  await page.route('**/api/v1/reports', async (route) => {
    posts++;
    await new Promise((r) => setTimeout(r, 500));
    await route.continue();
  });
  await page.getByRole('button', { name: 'Send report' }).dblclick();
  await expect(page.getByTestId('report-accepted')).toBeVisible();
  expect(posts).toBe(1);
  expect(storedReports(server.database).filter((r) => r.what_is_wrong === 'Double click test')).toHaveLength(1);
});

test('the API refusing a report is said plainly and the fields stay', async ({ page }) => {
  await page.goto('contact?article=no-such-article');
  await page.getByLabel('The passage that is wrong').fill('passage');
  await page.getByLabel('What is wrong with it').fill('wrong');
  await page.getByLabel('What it should say').fill('right');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-refused')).toContainText('no article at that address');
  await expect(page.locator('#article_slug-error')).toBeVisible();
  await expect(page.getByLabel('What it should say')).toHaveValue('right');
});

test('newsletter sign-up says what happened, once per address', async ({ page }) => {
  await page.goto('./');
  const form = page.getByTestId('newsletter');
  await form.getByLabel('Email address').fill('reader@example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.getByRole('status')).toHaveText('Thank you: reader@example.hu is signed up for the newsletter.');
  await page.reload();
  await form.getByLabel('Email address').fill('Reader@Example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.getByRole('status')).toContainText('already signed up');
  await form.getByLabel('Email address').fill('nope');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.locator('.field-error')).toContainText('email address like');
});
