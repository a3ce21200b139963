// The headers every response carries, from the server and from the export on the README's
// nginx configuration alike: the same policies, on pages and hashed assets.
import { test, expect } from './support';

const SHARED = ['x-content-type-options', 'referrer-policy', 'permissions-policy'];

test('pages and hashed assets carry the security headers the API server sends', async ({ request, server }) => {
  const api = await request.get(`${server.apiUrl}/api/v1/site.json`);
  expect(api.status()).toBe(200);
  const page = await request.get(`${server.url}/`);
  expect(page.status()).toBe(200);
  const html = await page.text();
  // Quoted or not (the release build minifies the page shell); Trunk's hash has no leading zeros.
  const asset = html.match(/href="?([^"\s>]+-[0-9a-f]{12,64}\.css)/)?.[1];
  expect(asset, 'the page links its hashed stylesheet').toBeTruthy();
  const hashed = await request.get(new URL(asset!, `${server.url}/`).toString());
  expect(hashed.status()).toBe(200);
  expect(hashed.headers()['cache-control']).toContain('immutable');
  for (const response of [page, hashed]) {
    for (const name of SHARED) {
      expect(response.headers()[name], `${name} of ${response.url()}`).toBe(api.headers()[name]);
    }
    const policy = response.headers()['content-security-policy'] ?? '';
    expect(policy, `the policy of ${response.url()}`).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[^']+')+;/);
    expect(policy).toContain(`connect-src 'self'${server.apiUrl === server.url ? '' : ` ${server.apiUrl}`}`);
  }
  expect(page.headers()['cache-control']).toContain('no-cache');
});

test('the feed and the manifest the head names, the sitemap and robots.txt are served', async ({ page, request, server }) => {
  await page.goto('./');
  const feed = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
  const fetched = async (href: string) => {
    const response = await request.get(new URL(href, page.url()).toString());
    expect(response.status(), href).toBe(200);
    return response;
  };
  const atom = await fetched(feed!);
  expect(atom.headers()['content-type']).toContain('atom+xml');
  expect(await atom.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  const icons = JSON.parse(await (await fetched(manifest!)).text()).icons as Array<{ src: string }>;
  for (const icon of icons) await fetched(icon.src);
  expect(await (await fetched(`${server.url}/sitemap.xml`)).text()).toContain('/articles/');
  expect(await (await fetched(`${server.url}/robots.txt`)).text()).toContain('User-agent: *');
});
