// What readers send: inaccuracy reports (stored in the database) and newsletter sign-ups.
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, SEED_SLUG, selectPassage, storedReports } from './support';

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
  expect(reference).toMatch(/^BP-[0-9A-HJKMNP-TV-Z]{8}$/);
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
  await expect(page.getByTestId('error-summary')).toBeFocused();
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

/** A page whose app wasm is held back until `releaseWasm()`: a page of its own, since the
 * suite's pages wait for the app on every load. */
async function pageWithWasmHeld(context: BrowserContext): Promise<{ reader: Page; releaseWasm: () => void }> {
  const reader = await context.newPage();
  let releaseWasm!: () => void;
  const wasmHeld = new Promise<void>((resolve) => (releaseWasm = resolve));
  await reader.route('**/*.wasm', async (route) => {
    await wasmHeld;
    await route.continue();
  });
  return { reader, releaseWasm };
}

test('what a reader types before the app has taken the form over stays, and is what is sent', async ({ context, server }) => {
  // A slow phone: the page and its form have arrived, the app's wasm has not.
  const { reader, releaseWasm } = await pageWithWasmHeld(context);
  await reader.goto(`contact?article=${SEED_SLUG}`);
  await reader.getByLabel('The passage that is wrong').fill('Typed before the app ran');
  await reader.getByLabel('What is wrong with it').fill('Typed while the app was loading');
  await reader.getByLabel('What it should say').fill('Kept once it ran');
  expect(await reader.locator('html[data-app]').count(), 'typed before the app took over').toBe(0);
  releaseWasm();
  await reader.waitForSelector('html[data-app]', { state: 'attached' });
  // The app keeps what it knows in the draft: once the typed text is there, it has it.
  await expect
    .poll(() => reader.evaluate((key) => window.localStorage.getItem(key) ?? '', `bp-report-draft:${SEED_SLUG}`))
    .toContain('Typed while the app was loading');
  await expect(reader.getByLabel('The passage that is wrong')).toHaveValue('Typed before the app ran');
  await expect(reader.getByLabel('What is wrong with it')).toHaveValue('Typed while the app was loading');
  await expect(reader.getByLabel('What it should say')).toHaveValue('Kept once it ran');
  await reader.getByRole('button', { name: 'Send report' }).click();
  await expect(reader.getByTestId('report-accepted')).toBeVisible();
  const reference = (await reader.getByTestId('report-id').textContent())!;
  expect(storedReports(server.database).find((r) => r.reference === reference)).toMatchObject({
    article_slug: SEED_SLUG,
    quoted_passage: 'Typed before the app ran',
    what_is_wrong: 'Typed while the app was loading',
    correction: 'Kept once it ran',
  });
  await reader.close();
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

test('newsletter sign-up says the same whether or not the address was on the list', async ({ page }) => {
  await page.goto('./');
  const form = page.getByTestId('newsletter');
  await form.getByLabel('Email address').fill('reader@example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  const thanks = 'Thank you: reader@example.hu is signed up for the newsletter.';
  await expect(form.getByRole('status')).toHaveText(thanks);
  await page.reload();
  await form.getByLabel('Email address').fill('reader@example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.getByRole('status')).toHaveText(thanks);
  await form.getByLabel('Email address').fill('nope');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.locator('.field-error')).toContainText('email address like');
});

test('an address typed into the newsletter sign-up before the app took it over is the one signed up', async ({ context }) => {
  // As the report form's test: the homepage has arrived, the app's wasm has not.
  const { reader, releaseWasm } = await pageWithWasmHeld(context);
  await reader.goto('./');
  const form = reader.getByTestId('newsletter');
  await form.getByLabel('Email address').fill('early.reader@example.hu');
  expect(await reader.locator('html[data-app]').count(), 'typed before the app took over').toBe(0);
  releaseWasm();
  await reader.waitForSelector('html[data-app]', { state: 'attached' });
  // The fields go back in a task of their own after the take-over; a frame later it has run.
  await reader.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await expect(form.getByLabel('Email address')).toHaveValue('early.reader@example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.getByRole('status')).toHaveText('Thank you: early.reader@example.hu is signed up for the newsletter.');
  await reader.close();
});

test('a report sent while offline waits, and is sent once when the network returns', async ({ page, context, server }) => {
  await page.goto(`contact?article=${SEED_SLUG}`);
  await page.getByLabel('The passage that is wrong').fill('Mr. Greene said Russia may now see an opening');
  await page.getByLabel('What is wrong with it').fill('Offline test');
  await page.getByLabel('What it should say').fill('Sent later');
  // Reports that reached the API (the attempt made offline never leaves the browser).
  let arrived = 0;
  page.on('requestfinished', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/reports')) arrived++;
  });
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-waiting')).toContainText('sent by itself as soon as you are back online');
  await expect(page.getByRole('button', { name: 'Waiting for the network…' })).toBeDisabled();
  await context.setOffline(false);
  await expect(page.getByTestId('report-accepted')).toBeVisible();
  expect(storedReports(server.database).filter((r) => r.what_is_wrong === 'Offline test')).toHaveLength(1);
  expect(arrived).toBe(1);
});

test('an edited draft is a new report, never refused for its old key', async ({ page, server }) => {
  await page.goto(`contact?article=${SEED_SLUG}`);
  await page.getByLabel('The passage that is wrong').fill('Mr. Greene said Russia may now see an opening');
  await page.getByLabel('What is wrong with it').fill('First version');
  await page.getByLabel('What it should say').fill('Something');
  // Stored, but the answer is lost: the draft stays, with the key it was sent with.
  await page.route('**/api/v1/reports', async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-refused')).toBeVisible();
  await page.unroute('**/api/v1/reports');
  await page.reload();
  await page.getByLabel('What is wrong with it').fill('Second version');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('report-accepted')).toBeVisible();
  const stored = storedReports(server.database).map((r) => r.what_is_wrong);
  expect(stored.filter((w) => w === 'First version')).toHaveLength(1);
  expect(stored.filter((w) => w === 'Second version')).toHaveLength(1);
});

test('a newsletter unsubscribe link opens a page whose button takes the address off the list', async ({ page, server, basePath }) => {
  await page.goto('./');
  const form = page.getByTestId('newsletter');
  await form.getByLabel('Email address').fill('leaving@example.hu');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(form.getByRole('status')).toContainText('Thank you');
  const editors = (...args: string[]) =>
    execFileSync(process.env.BP_SERVER_BIN!, ['--database', server.database, ...args], { stdio: 'pipe' }).toString().trim();
  const link = editors('newsletter', 'link', 'leaving@example.hu', '--site-url', `https://www.budapestpost.example${basePath}`);
  const token = new URL(link).searchParams.get('token')!;
  await page.goto(`newsletter/unsubscribe?token=${token}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unsubscribe from the newsletter');
  // Opening the link alone changes nothing (mail scanners open links).
  expect(editors('newsletter', 'link', 'leaving@example.hu', '--site-url', 'https://x.example')).toContain(token);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByTestId('unsubscribed')).toContainText('You are unsubscribed');
  expect(() => editors('newsletter', 'link', 'leaving@example.hu', '--site-url', 'https://x.example')).toThrow();
});
