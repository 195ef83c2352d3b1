import { expect, test } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { experimentApiHref, experimentHref } from '../contracts/experiment-href';
import { hostileBucket, type HostileBucket } from '../test/support/hostile-bucket';

/**
 * The production server over an index that holds the hostile bucket (e2e/global-setup.ts): every page,
 * card and API answer of every hostile experiment is served, of bounded size, and requests no route can
 * answer are the client's errors, never a 500.
 */

/** The status of a GET of `path` sent as written: every URL parser (fetch's too) resolves dot segments first. */
function statusOf(baseURL: string, path: string): Promise<number> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.on('error', reject);
    request.end();
  });
}

let hostile: HostileBucket;
const nameOf = (path: string) => ({ prefix: path.split('/')[0]!, uuid: path.slice(path.indexOf('/') + 1) });
// The largest page a hostile experiment may make: its metadata is shown as a bounded outline.
const MAX_PAGE_BYTES = 1.5 * 1024 * 1024;

test.beforeAll(async () => {
  hostile = await hostileBucket({ seed: 12 });
});

test('every hostile experiment has its page, card and API answer', async ({ request }) => {
  test.setTimeout(180_000);
  for (const c of hostile.cases) {
    const name = nameOf(c.path);
    const page = await request.get(experimentHref(name));
    expect(page.status(), c.what).toBe(200);
    const html = await page.text();
    expect(html.length, c.what).toBeLessThan(MAX_PAGE_BYTES);
    // The uuid as the page's heading, escaped as HTML.
    const heading = /<h1 class="uuid">([^<]*)<\/h1>/.exec(html)?.[1];
    expect(
      heading?.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&amp;', '&'),
      c.what,
    ).toBe(name.uuid);
    if (c.broken) expect(html, c.what).toContain('Metadata could not be read');
    if (c.truncation) expect(html, c.what).toContain('Search does not see all of this metadata');

    const card = await request.get(experimentHref(name, '/card'));
    expect([card.status(), card.headers()['content-type']], c.what).toEqual([200, 'image/png']);

    const api = await request.get(experimentApiHref(name));
    expect(api.status(), c.what).toBe(200);
    const answer = (await api.json()) as { path: string; metadata: unknown; metadataError: string | null };
    expect(answer.path, c.what).toBe(c.path);
    expect(answer.metadata === null, c.what).toBe(Boolean(c.broken));
  }
});

test('an experiment whose metadata nests 200,000 deep is shown down to a depth, with the raw file linked', async ({ page }) => {
  await page.goto(experimentHref(nameOf('ephys/2023-01-05-e-deep_array_200000')));
  await expect(page.getByText('The tree shows 12 levels')).toBeVisible();
  // Inside folded levels: present, though not shown until unfolded.
  await expect(page.locator('a', { hasText: 'deeper levels in the raw file' }).first()).toHaveAttribute('href', /\/metadata$/);
});

test('an experiment with 150,000 recordings lists the first 100 of them', async ({ page }) => {
  await page.goto(experimentHref(nameOf('ephys/2023-01-06-e-150000_recordings')));
  await expect(page.getByRole('heading', { name: 'Recordings (150,000)' })).toBeVisible();
  await expect(page.locator('.recordings tbody tr')).toHaveCount(100);
});

test('search results link to experiments whose folder names need escaping, and the links open them', async ({ page }) => {
  await page.goto('/?q=folder+named');
  const links = page.locator('.experiments a.uuid');
  await expect(links.first()).toBeVisible();
  const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.length).toBeGreaterThan(5);
  for (const href of hrefs) {
    const response = await page.request.get(href);
    expect(response.status(), href).toBe(200);
  }
});

test('requests no route can answer are the client errors they are', async ({ request, baseURL }) => {
  for (const [path, status] of [
    ['/data/..', 400],
    ['/data/%2e', 400],
    ['/api/files/..', 400],
    ['/api/experiments/ephys/..', 400],
    ['/experiment/ephys/%ff', 400],
    ['/experiment/ephys/no-such-experiment', 404],
    ['/api/experiments/ephys/no-such-experiment', 404],
  ] as const) {
    expect(await statusOf(baseURL!, path), path).toBe(status);
  }
  for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const response = await request.fetch('/', { method });
    expect(response.status(), method).toBe(405);
    expect(response.headers().allow).toBe('GET, HEAD');
  }
});

test('an X-Forwarded-Host sent by a client does not move the canonical link or the card', async ({ request, baseURL }) => {
  const html = await (
    await request.get(experimentHref(nameOf(hostile.cases[0]!.path)), {
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
    })
  ).text();
  expect(html).not.toContain('evil.example');
  expect(html).toContain(`<link rel="canonical" href="${baseURL}/experiment/`);
});
