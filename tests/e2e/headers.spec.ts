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
  const asset = html.match(/href="([^"]+-[0-9a-f]{16}\.css)"/)?.[1];
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
