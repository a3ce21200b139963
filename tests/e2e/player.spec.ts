// The player with a real recording: a spoken WAV file made here with espeak-ng, served by the
// server beside the app, played in Chromium and driven by the keyboard.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, axeViolations, startServerWithContent, RunningServer } from './support';

const SLUG = 'a-recorded-article';
const SPOKEN =
  'This is the Budapest Post. The recording of this article was made by the test suite, ' +
  'so that the player has something real to play. It goes on for a while, long enough to ' +
  'seek in, to pause, and to close. Thank you for listening to the Budapest Post.';

/** Seconds of `m:ss`. */
const seconds = (clock: string) => {
  const [m, s] = clock.split(':').map(Number);
  return m * 60 + s;
};

test.describe('a recorded article', () => {
  test.skip(({ target }) => target !== 'server', 'the recording is served beside the app by its own server');

  let site: RunningServer;
  let duration: number;
  test.beforeAll(async ({ target }) => {
    if (target !== 'server') return;
    const scratch = mkdtempSync(join(tmpdir(), 'bp-player-'));
    // The app as built, with the recording beside it (same origin, as the CSP's media-src asks).
    const dist = join(scratch, 'dist');
    cpSync(process.env.BP_DIST!, dist, { recursive: true });
    execFileSync('espeak-ng', ['-v', 'en-gb', '-s', '140', '-w', join(dist, 'reading.wav'), SPOKEN]);
    duration = Number(execFileSync('soxi', ['-D', join(dist, 'reading.wav')]).toString());
    expect(duration).toBeGreaterThan(8);
    const content = join(scratch, 'content');
    mkdirSync(join(content, 'articles'), { recursive: true });
    cpSync(join(__dirname, '..', '..', 'content', 'site.toml'), join(content, 'site.toml'));
    writeFileSync(
      join(content, 'articles', `${SLUG}.toml`),
      [
        `slug = "${SLUG}"`,
        'headline = "A Recorded Article"',
        'section = "Budapest"',
        'published_at = "2025-02-17T09:00:00Z"',
        // The API's length is rounded; the player takes the file's own once it has loaded.
        `audio = { url = "/reading.wav", duration_seconds = ${Math.round(duration)} }`,
        '',
        '[[body]]',
        'type = "paragraph"',
        `text = "${SPOKEN}"`,
      ].join('\n'),
    );
    site = await startServerWithContent(content, { dist });
  });
  test.afterAll(async () => {
    await site?.stop();
  });

  test('plays, the time advances, seeks by keyboard, pauses and closes', async ({ page }) => {
    // A long walk, key by key, on a shared machine.
    test.setTimeout(120_000);
    await page.goto(`${site.url}/articles/${SLUG}`);
    const open = page.getByRole('button', { name: /Listen to this article/ });
    await open.focus();
    await page.keyboard.press('Enter');
    const player = page.getByRole('region', { name: 'Listen to this article' });
    const elapsed = player.getByTestId('player-elapsed');
    const total = player.getByTestId('player-total');
    await expect(total).toHaveText(`0:${String(Math.floor(duration)).padStart(2, '0')}`);
    // The ticking time is no live region: nothing announces every second.
    await expect(page.locator('[aria-live], [role="status"], [role="timer"]').filter({ has: elapsed })).toHaveCount(0);

    const play = player.getByRole('button', { name: 'Play' });
    await play.focus();
    await page.keyboard.press('Enter');
    await expect(player.getByRole('button', { name: 'Pause' })).toBeFocused();
    await expect(elapsed).not.toHaveText('0:00');
    const audio = page.locator('audio');
    expect(await audio.evaluate((a: HTMLAudioElement) => !a.paused && a.currentTime > 0)).toBe(true);
    // Playing, the page passes axe in both themes.
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page), `playing, ${colorScheme} theme`).toEqual([]);
    }
    expect(await audio.evaluate((a: HTMLAudioElement) => !a.paused)).toBe(true);

    // Seeking by keyboard: End goes to the last second, Home back to the start, arrows by one.
    const seek = player.getByRole('slider', { name: 'Seek' });
    await seek.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime)).toBeLessThan(1.5);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThanOrEqual(4);
    await expect.poll(async () => seconds(await elapsed.innerText())).toBeGreaterThanOrEqual(4);
    // The time is told to assistive technology on the slider, in words a screen reader reads.
    await expect(seek).toHaveAttribute('aria-valuetext', new RegExp(`^\\d:\\d\\d of ${await total.innerText()}$`));

    // Pause: the time stops.
    await player.getByRole('button', { name: 'Pause' }).focus();
    await page.keyboard.press('Enter');
    await expect(player.getByRole('button', { name: 'Play' })).toBeFocused();
    expect(await audio.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    const stopped = await elapsed.innerText();
    await page.waitForTimeout(1500);
    await expect(elapsed).toHaveText(stopped);
    expect(await axeViolations(page)).toEqual([]);

    // Play on from there, then End: the recording ends and the player says Play again.
    await page.keyboard.press('Enter');
    await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
    await seek.focus();
    await page.keyboard.press('End');
    await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();

    // Close, playing or not, silences it and gives the open button back.
    await player.getByRole('button', { name: 'Play' }).click();
    await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
    await player.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /Listen to this article/ })).toBeVisible();
    expect(await audio.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
  });
});
