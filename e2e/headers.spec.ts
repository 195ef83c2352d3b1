import { expect, test } from '@playwright/test';

test('pages carry a nonce-based Content-Security-Policy, nosniff and a referrer policy', async ({ request }) => {
  const page = await request.get('/');
  const headers = page.headers();
  const policy = headers['content-security-policy']!;
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  // A base64 nonce of a random UUID: 48 characters.
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{46,}={0,2}$/);
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("worker-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // Next.js puts the request's nonce on every script it renders.
  const scripts = [...(await page.text()).matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
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
