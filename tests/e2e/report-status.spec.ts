// The reporter's side of the correction loop: the seed typo selected and reported in the
// browser, the receipt's private status link read as the report moves from received to
// corrected (and a wrong token told nothing), then the same through a static export made
// after the correction, served by nginx, whose status page asks the live API. The spec starts
// servers of its own, so the other specs keep the seed article's typo.
import { execFileSync } from 'node:child_process';
import { test, expect, SEED_SLUG, freePort, selectPassage, serveExport, startServer } from './support';

const NOTE = 'An earlier version of this article misspelled the Russian Foreign Ministry.';

function editors(database: string, args: string[]): string {
  return execFileSync(process.env.BP_SERVER_BIN!, ['--database', database, ...args]).toString();
}

test('the reporter follows the seed typo from received to corrected, on the server and on an export', async ({ page, target }) => {
  test.skip(target !== 'server', 'the spec starts its own server and export');
  test.setTimeout(90_000);
  const exportPort = await freePort();
  const server = await startServer({ args: ['--allowed-origins', `http://127.0.0.1:${exportPort}`] });
  let exported: Awaited<ReturnType<typeof serveExport>> | undefined;
  try {
    // Reported in the browser, from the selected passage.
    await page.goto(`${server.url}/articles/${SEED_SLUG}`);
    await selectPassage(page, 'The Russian fFreign Ministry');
    await page.getByTestId('report-selection').click();
    await page.getByLabel('What is wrong with it').fill('“fFreign” is a typo.');
    await page.getByLabel('What it should say').fill('The Russian Foreign Ministry');
    await page.getByLabel('Your email, if you would like an answer (optional)').fill('reader@example.com');
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect(page.getByTestId('report-accepted')).toBeVisible();
    const reference = (await page.getByTestId('report-id').textContent())!;
    const statusLink = page.getByTestId('report-status-link');
    const href = (await statusLink.getAttribute('href'))!;
    const fragment = href.split('#')[1];
    expect(fragment).toMatch(new RegExp(`^reference=${reference}&token=[0-9A-Z]{32}$`));
    const token = new URLSearchParams(fragment).get('token')!;

    // The receipt's link opens the status page: received.
    await statusLink.click();
    await expect(page).toHaveURL(new RegExp(`/reports/status#reference=${reference}&token=`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your report');
    await expect(page.getByTestId('report-status-state')).toHaveText('Received');
    await expect(page.getByTestId('report-status-said')).toContainText(`Your report ${reference} on “Russia Lays Out Demands`);
    await expect(page.getByTestId('report-status-said')).toContainText('has reached our editors, who have not decided on it yet.');
    await expect(page.locator('meta[name="referrer"]')).toHaveAttribute('content', 'no-referrer');
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');
    const loaded = await page.request.get(`${server.url}/reports/status`);
    expect(loaded.headers()['referrer-policy']).toBe('no-referrer');
    expect(await loaded.text()).not.toContain(token);

    // The editors see who asked to hear back.
    expect(editors(server.database, ['reports', 'list'])).toContain('asked to hear back: reader@example.com');

    // A wrong token and an unknown reference: one and the same not-found.
    await page.goto(`${server.url}/reports/status#reference=${reference}&token=${'A'.repeat(32)}`);
    await expect(page.getByTestId('report-status-said')).toHaveText('We have no report for this link. Open the whole link from your receipt.');
    await expect(page.getByTestId('report-status-correction')).toBeHidden();
    const ask = (body: object) =>
      fetch(`${server.url}/api/v1/reports/status`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wrong = await ask({ reference, token: 'A'.repeat(32) });
    const unknown = await ask({ reference: 'BP-ZZZZZZZZ', token });
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect(await wrong.text()).toBe(await unknown.text());

    // Accepted and corrected with the editors' commands, as the README documents them.
    expect(editors(server.database, ['reports', 'accept', reference])).toContain('Accepted');
    await page.goto(`${server.url}${href}`);
    await expect(page.getByTestId('report-status-state')).toHaveText('Accepted');
    const published = editors(server.database, [
      'corrections', 'publish', '--article', SEED_SLUG,
      '--passage', 'The Russian fFreign Ministry', '--replacement', 'The Russian Foreign Ministry',
      '--note', NOTE, '--reports', reference,
    ]);
    expect(published).toContain('reader@example.com');
    // The reporter comes back to the same link (the address has not changed): a reload asks again.
    await page.reload();
    await expect(page.getByTestId('report-status-state')).toHaveText('Corrected');
    await expect(page.getByTestId('report-status-said')).toContainText(NOTE);
    const toCorrection = page.getByTestId('report-status-correction');
    await expect(toCorrection).toHaveAttribute('href', `/articles/${SEED_SLUG}#corrections`);
    // A fresh load: this tab's app still holds the article as it read it before the correction.
    // The correction came from another process (the editors' command), so the server's cached
    // page is replaced within its refresh period, as its JSON is; until then the page may be
    // the one it kept. (Going to the same address and fragment again would not load it again.)
    await page.goto(`${server.url}/articles/${SEED_SLUG}#corrections`);
    await expect(async () => {
      await page.reload();
      await expect(page.locator('.article-body')).toContainText('The Russian Foreign Ministry had earlier', { timeout: 500 });
    }).toPass({ timeout: 5_000 });
    await expect(page.getByTestId('corrections')).toContainText(NOTE);

    // An export made after the correction, under a base path, served by nginx: the page, the
    // list and the structured data carry it, and the status page asks the live API.
    exported = await serveExport({ basePath: '/news', port: exportPort, api: server, database: server.database });
    await page.goto(`${exported.url}/articles/${SEED_SLUG}`);
    await expect(page.locator('.article-body')).toContainText('The Russian Foreign Ministry had earlier');
    await expect(page.locator('.article-body')).not.toContainText('fFreign');
    await expect(page.getByTestId('corrected')).toHaveText('Corrected');
    await expect(page.getByTestId('corrections')).toContainText(NOTE);
    const jsonLd = await page.locator('script[type="application/ld+json"]').first().textContent();
    expect(JSON.parse(jsonLd!).correction[0]).toMatchObject({ '@type': 'CorrectionComment', text: NOTE });
    await page.goto(`${exported.url}/corrections`);
    await expect(page.getByTestId('corrections-list')).toContainText(NOTE);

    const exportedStatus = await page.request.get(`${exported.url}/reports/status`);
    expect(exportedStatus.status()).toBe(200);
    expect(await exportedStatus.text()).not.toContain(reference);
    await page.goto(`${exported.url}/reports/status#${fragment}`);
    await expect(page.locator('meta[name="referrer"]')).toHaveAttribute('content', 'no-referrer');
    await expect(page.getByTestId('report-status-state')).toHaveText('Corrected');
    await expect(page.getByTestId('report-status-said')).toContainText(NOTE);
    await page.getByTestId('report-status-correction').click();
    await expect(page).toHaveURL(new RegExp(`^${exported.url}/articles/${SEED_SLUG}#corrections$`));
    await page.goto(`${exported.url}/reports/status#reference=${reference}&token=${'A'.repeat(32)}`);
    await expect(page.getByTestId('report-status-said')).toContainText('We have no report for this link.');
  } finally {
    await exported?.stop();
    await server.stop();
  }
});
