import { expect, type APIResponse } from '@playwright/test';

/** The nonce of a page's policy, checked to be one and to be on every script tag the page has. */
export async function expectNoncedScripts(page: APIResponse): Promise<string> {
  const nonce = /'nonce-([^']+)'/.exec(page.headers()['content-security-policy'] ?? '')?.[1];
  // A base64 nonce of a random UUID: 48 characters.
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{46,}={0,2}$/);
  // Next.js puts the request's nonce on every script it renders.
  const scripts = [...(await page.text()).matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  return nonce!;
}
