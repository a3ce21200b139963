// The correction loop as a reader sees it: the seed typo reported in the browser, accepted and
// corrected with the editors' commands against the running server's database, then "Corrected"
// beside the date, the note at the foot, and the corrections page. The spec starts a server of
// its own, so the other specs keep the seed article's typo.
import { execFileSync } from 'node:child_process';
import { test, expect, SEED_SLUG, startServer } from './support';

const NOTE = 'An earlier version of this article misspelled the Russian Foreign Ministry.';

function editors(database: string, args: string[]): string {
  return execFileSync(process.env.BP_SERVER_BIN!, ['--database', database, ...args]).toString();
}

test('a reported typo is corrected in public, and readers can follow it to the note', async ({ page, target }) => {
  test.skip(target !== 'server', 'the correction is published on a live database');
  const server = await startServer();
  try {
    const report = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        article_slug: SEED_SLUG,
        quoted_passage: 'The Russian fFreign Ministry',
        what_is_wrong: '“fFreign” is a typo.',
        correction: 'The Russian Foreign Ministry',
        idempotency_key: 'e2e-corrections-0001',
      }),
    });
    expect(report.status).toBe(201);
    const { id } = await report.json();
    // The feed's entry for the article, if the feed holds it (the seed article is older than
    // the feed's newest): when it last changed, as feed readers see it.
    const feedUpdated = async () => {
      const feed = await (await fetch(`${server.url}/feed.xml`)).text();
      const entry = feed.split('<entry>').find((e) => e.includes(`/articles/${SEED_SLUG}<`)) ?? '';
      return /<updated>([^<]+)<\/updated>/.exec(entry)?.[1];
    };
    const feedBefore = await feedUpdated();
    expect(editors(server.database, ['reports', 'accept', id])).toContain('Accepted');
    editors(server.database, [
      'corrections', 'publish', '--article', SEED_SLUG,
      '--passage', 'The Russian fFreign Ministry', '--replacement', 'The Russian Foreign Ministry',
      '--note', NOTE, '--reports', id,
    ]);

    // The running server shows it within its refresh period, without a restart.
    await expect(async () => {
      const answer = await fetch(`${server.url}/api/v1/articles/${SEED_SLUG}.json`);
      expect((await answer.json()).corrections).toHaveLength(1);
    }).toPass({ timeout: 5_000 });
    // The corrected article is in the feed at the correction's time: feed readers see it again
    // (the feed is kept like the API's answers, so it too changes within the refresh period).
    const article = await (await fetch(`${server.url}/api/v1/articles/${SEED_SLUG}.json`)).json();
    const correctedAt = Date.parse(article.corrections[0].published_at);
    await expect.poll(async () => Date.parse((await feedUpdated()) ?? ''), { timeout: 5_000 }).toBe(correctedAt);
    expect(await feedUpdated()).not.toBe(feedBefore);

    await page.goto(`${server.url}/articles/${SEED_SLUG}`);
    await expect(page.locator('.article-body')).toContainText('The Russian Foreign Ministry had earlier');
    await expect(page.locator('.article-body')).not.toContainText('fFreign');
    const corrected = page.getByTestId('corrected');
    await expect(corrected).toHaveText('Corrected');
    await corrected.click();
    await expect(page).toHaveURL(/#corrections$/);
    await expect(page.getByTestId('corrections')).toContainText(NOTE);
    await expect(page.getByTestId('corrections')).toBeInViewport();
    const jsonLd = await page.locator('script[type="application/ld+json"]').first().textContent();
    expect(JSON.parse(jsonLd!).correction[0]).toMatchObject({ '@type': 'CorrectionComment', text: NOTE });

    await page.getByRole('link', { name: 'All corrections' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Corrections');
    await expect(page.getByTestId('corrections-list')).toContainText(NOTE);
    await page.getByTestId('corrections-list').getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/articles/${SEED_SLUG}#correction-\\d+$`));
  } finally {
    await server.stop();
  }
});
