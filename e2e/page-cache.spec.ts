import { expect, test, type APIResponse } from '@playwright/test';
import { loggedLines, startAppServer } from '../bench/support/app-server';
import { openDatabase } from '../lib/db/index';
import { expectNoncedScripts } from './nonce';
import { E2E_ALT_BASE_URL, E2E_ALT_PORT, E2E_HALF_RATE } from './server';

/**
 * Experiment pages are kept by the front process while what they are rendered from is unchanged
 * (server/page-cache.ts): a kept page is the page a render gives, with a nonce of its own per answer.
 */

const PATH = `/experiment/${E2E_HALF_RATE}`;

/** The page, asked until an answer comes from the kept copy. */
async function keptAnswer(get: () => Promise<APIResponse>): Promise<APIResponse> {
  for (let i = 0; i < 20; i++) {
    const answer = await get();
    if (answer.headers()['x-page-cache'] === 'hit') return answer;
  }
  throw new Error('no answer came from a kept page');
}

test('a kept experiment page is answered with a new nonce, in its policy and on every script', async ({ request }) => {
  const first = await request.get(PATH);
  expect(first.status()).toBe(200);
  const kept = await keptAnswer(() => request.get(PATH));
  const [a, b] = [await expectNoncedScripts(first), await expectNoncedScripts(kept)];
  expect(b).not.toBe(a);
  const html = await kept.text();
  expect(html).not.toContain(a);
  // The same page otherwise: the render's text, byte for byte but for the nonce.
  expect(html.replaceAll(b, 'NONCE')).toBe((await first.text()).replaceAll(a, 'NONCE'));
  expect(kept.headers()['content-encoding']).toBe('gzip');
});

test('a kept page runs in Chromium: its inline scripts pass the policy and the page hydrates', async ({ page, request }) => {
  await keptAnswer(() => request.get(PATH));
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  let served: string | undefined;
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === PATH) served = response.headers()['x-page-cache'];
  });
  for (let i = 0; i < 10 && served !== 'hit'; i++) await page.goto(PATH);
  expect(served).toBe('hit');
  // Next.js's inline scripts define its flight data: blocked by the policy, it would be missing.
  expect(await page.evaluate(() => Array.isArray((window as unknown as { __next_f?: unknown[] }).__next_f))).toBe(true);
  await expect(page.getByRole('button', { name: /copy JSON/i })).toBeEnabled();
  expect(violations).toEqual([]);
});

test('a page is rendered again when what it shows changes, and not when only the crawl time does', async ({ request }) => {
  const db = openDatabase(process.env.DATABASE_PATH!);
  const path = E2E_HALF_RATE;
  const before = db.$client.prepare('SELECT purpose, last_crawled_at FROM experiments WHERE path = ?').get(path) as {
    purpose: string;
    last_crawled_at: number;
  };
  try {
    await keptAnswer(() => request.get(PATH));
    db.$client.prepare('UPDATE experiments SET last_crawled_at = last_crawled_at + 1000 WHERE path = ?').run(path);
    expect((await request.get(PATH)).headers()['x-page-cache']).toBe('hit');

    db.$client.prepare('UPDATE experiments SET purpose = ? WHERE path = ?').run('purpose changed by the page cache test', path);
    const changed = await request.get(PATH);
    expect(changed.headers()['x-page-cache']).toBe('miss');
    expect(await changed.text()).toContain('purpose changed by the page cache test');
    // No answer after the change has the old purpose.
    for (let i = 0; i < 6; i++) expect(await (await request.get(PATH)).text()).toContain('purpose changed by the page cache test');
  } finally {
    db.$client.prepare('UPDATE experiments SET purpose = ?, last_crawled_at = ? WHERE path = ?').run(before.purpose, before.last_crawled_at, path);
    db.$client.close();
  }
});

test('client navigations and unknown experiments are not kept', async ({ request }) => {
  const rsc = await request.get(PATH, { headers: { RSC: '1' } });
  expect(rsc.headers()['x-page-cache']).toBeUndefined();
  const missing = await request.get('/experiment/ephys/no-such-experiment');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['x-page-cache']).toBeUndefined();
});

test('with SITE_URL, a starting server renders the newest pages before it listens: their first views are kept copies, whatever the host', async ({
  request,
}) => {
  let log = '';
  const app = await startAppServer(E2E_ALT_PORT, { SITE_URL: E2E_ALT_BASE_URL }, (text) => (log += text));
  try {
    const db = openDatabase(process.env.DATABASE_PATH!);
    const experiments = db.$client.prepare('SELECT count(*) FROM experiments').pluck().get() as number;
    db.$client.close();
    const ahead = loggedLines<{ pages: number }>(log, 'experiment pages rendered ahead');
    // The bucket holds fewer experiments than are rendered ahead (1,000): every one of them.
    expect(ahead).toEqual([expect.objectContaining({ pages: experiments })]);

    for (const host of [new URL(E2E_ALT_BASE_URL).host, `localhost:${E2E_ALT_PORT}`]) {
      const page = await request.get(`${E2E_ALT_BASE_URL}${PATH}`, { headers: { host } });
      expect(page.status()).toBe(200);
      expect(page.headers()['x-page-cache']).toBe('hit');
      await expectNoncedScripts(page);
      // The links are SITE_URL's, not the host's the request named.
      expect(await page.text()).toContain(`<link rel="canonical" href="${E2E_ALT_BASE_URL}${PATH}"/>`);
    }
  } finally {
    await app.stop();
  }
});
