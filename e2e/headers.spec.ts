import { expect, test } from '@playwright/test';
import { expectNoncedScripts } from './nonce';

test('pages carry a nonce-based Content-Security-Policy, nosniff and a referrer policy', async ({ request }) => {
  const page = await request.get('/');
  const headers = page.headers();
  const policy = headers['content-security-policy']!;
  const nonce = await expectNoncedScripts(page);
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("worker-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // A fresh nonce per request.
  expect((await request.get('/')).headers()['content-security-policy']).not.toContain(nonce!);
  // Only the pages that host H5Web (whose array code compiles with new Function) allow eval.
  expect(policy).not.toContain('unsafe-eval');
  expect((await request.get(`/files/${process.env.E2E_NWB_UUID}`)).headers()['content-security-policy']).toContain("'unsafe-eval'");
});

test('robots.txt keeps crawlers out of the APIs and file bytes', async ({ request }) => {
  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toContain('Disallow: /api/');
  expect(robots).toContain('Disallow: /data/');
});

test('the 404 page is rendered per request, so its scripts carry the nonce too', async ({ request }) => {
  const missing = await request.get('/no/such/page');
  expect(missing.status()).toBe(404);
  await expectNoncedScripts(missing);
});

test('API answers and file bytes carry nosniff as well', async ({ request }) => {
  for (const path of ['/api/search?q=x', '/api/health', `/data/${process.env.E2E_NWB_UUID}`, '/api/files/not-a-uuid']) {
    expect((await request.head(path, { maxRedirects: 0 })).headers()['x-content-type-options'], path).toBe('nosniff');
  }
});
