import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { SHAPES } from '../test/support/fixture-bucket';
import { metadataFixture } from '../test/support/fixtures';
import { E2E_HALF_RATE } from './server';

const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const EXPERIMENT = SHAPES.maxwellNwb;
const UUID = EXPERIMENT.split('/')[1]!;

/** The <meta> tags of a page as an unfurler sees them: server HTML only, no JavaScript. */
function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<meta\s[^>]*>/g)) {
    const name = /(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    const content = /content="([^"]*)"/.exec(tag)?.[1];
    if (name && content !== undefined) tags[name] = content.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return tags;
}

test('an unfurler gets the title, description, canonical URL and a 1200×630 PNG card', async ({ request, baseURL }, testInfo) => {
  const page = await request.get(`/experiment/${EXPERIMENT}`, { headers: { 'User-Agent': SLACKBOT } });
  expect(page.status()).toBe(200);
  const tags = metaTags(await page.text());
  expect(tags['og:title']).toBe(UUID);
  expect(tags['og:site_name']).toBe('Braingeneers Search');
  expect(tags['og:url']).toBe(`${baseURL}/experiment/${EXPERIMENT}`);
  // Purpose, species, sample type, channels and date, from the lab's maxwell-nwb.json.
  expect(tags['og:description']).toMatch(/^GABA dose response sweep/);
  expect(tags['og:description']).toContain('organoid');
  // The most channels of any of its recordings.
  expect(tags['og:description']).toContain('971 channels');
  expect(tags['og:description']).toContain('2023-08-14');
  expect(tags['twitter:card']).toBe('summary_large_image');
  expect(tags['twitter:title']).toBe(UUID);
  expect(tags['og:image:width']).toBe('1200');
  expect(tags['og:image:height']).toBe('630');
  expect(tags['twitter:image']).toBe(tags['og:image']);

  const image = await request.get(tags['og:image']!, { headers: { 'User-Agent': SLACKBOT } });
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toBe('image/png');
  const png = await image.body();
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  // The IHDR chunk: width and height, big-endian, right after its type.
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
  // Kept in test-results/ for a person to look at.
  writeFileSync(testInfo.outputPath('card.png'), png);
});

test('the experiment page shows the summary, recordings, files by folder and the metadata', async ({ page }, testInfo) => {
  await page.goto(`/experiment/${EXPERIMENT}`);
  await expect(page.locator('h1')).toHaveText(UUID);
  await expect(page.locator('.facts')).toContainText('Species');
  await expect(page.locator('.facts')).toContainText('20 kHz');
  // 6,001,200 frames at 20 kHz.
  await expect(page.locator('.recordings')).toContainText('data_GABA_BL_20325');
  await expect(page.locator('.recordings')).toContainText('5 min 0 s');
  const nwb = page.locator('.file-tree .file', { hasText: 'data_GABA_BL_20325.nwb' });
  await expect(nwb.locator('a', { hasText: 'open' })).toHaveAttribute('href', /^\?file=[0-9a-f-]{36}#viewer$/);
  const download = await nwb.locator('a', { hasText: 'download' }).getAttribute('href');
  expect(download).toMatch(/^\/data\/[0-9a-f-]{36}\?download=1$/);
  await expect(page.locator('.file-tree summary', { hasText: 'shared/' })).toBeVisible();
  // The metadata tree folds without JavaScript; the raw JSON is one click away.
  await expect(page.locator('.json-tree').first()).toContainText('ephys_experiments');
  await page.locator('.raw-json summary').click();
  await expect(page.locator('.raw-json pre')).toContainText('"maxwell_chip_id"');
  await page.screenshot({ path: testInfo.outputPath('experiment-page.png'), fullPage: true });

  // The copy button fetches the metadata file as the crawler read it.
  const original = metadataFixture('maxwell-nwb.json');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'copy JSON' }).click();
  await expect(page.getByRole('button', { name: 'copied' })).toBeVisible();
  expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(JSON.parse(original));
  const raw = await page.request.get(`/experiment/${EXPERIMENT}/metadata`);
  expect(raw.headers()['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(await raw.text())).toEqual(JSON.parse(original));
});

test('the page says what each file holds, flags where the metadata and the files disagree, and unfurls with it', async ({
  page,
  request,
}, testInfo) => {
  await page.goto(`/experiment/${E2E_HALF_RATE}`);
  // Its NWB file and its raw Maxwell file; 16 channels for a second; the NWB units table's 8 units.
  const holds = '1 NWB file · 1 HDF5 file · 16 ch · 1 s · 8 units';
  await expect(page.locator('.experiment > .holds')).toHaveText(`Its files hold: ${holds}`);
  const nwb = page.locator('.file-tree .file', { hasText: '.nwb' });
  await expect(nwb.locator('.holds')).toHaveText('ElectricalSeries 16 ch × 1 s @ 10 kHz · 8 units');
  await expect(page.locator('.file-tree .file', { hasText: '.raw.h5' }).locator('.holds')).toContainText('not viewable in a browser');
  // metadata.json lists the recording at 20 kHz; the NWB file was written at 10 kHz.
  const row = page.locator('.recordings tbody tr').first();
  await expect(row.locator('.holds')).toHaveText('ElectricalSeries 16 ch × 1 s @ 10 kHz');
  await expect(row.locator('.mismatch').first()).toHaveText('⚠ metadata lists 20 kHz, the file records at 10 kHz');
  await page.screenshot({ path: testInfo.outputPath('holdings.png'), fullPage: true });

  const html = await (await request.get(`/experiment/${E2E_HALF_RATE}`, { headers: { 'User-Agent': SLACKBOT } })).text();
  expect(metaTags(html)['og:description']).toContain(holds);
});

test('broken metadata is shown as the error, with the file as it is', async ({ page }) => {
  await page.goto('/experiment/ephys/2020-01-01-e-broken_invalid_json');
  await expect(page.locator('p.error')).toContainText('could not be read: metadata.json: invalid JSON');
  await expect(page.locator('.raw-json')).toHaveAttribute('open', '');
});

test('/experiment/<uuid> redirects to the canonical URL; unknown experiments are a real 404', async ({ request }) => {
  const redirect = await request.get(`/experiment/${UUID}`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers().location).toBe(`/experiment/${EXPERIMENT}`);
  for (const path of ['/experiment/ephys/no-such-experiment', '/experiment/no-such-uuid', '/experiment/ephys/no-such/card']) {
    const missing = await request.get(path);
    expect(missing.status(), path).toBe(404);
  }
  expect(await (await request.get('/experiment/ephys/no-such-experiment')).text()).toContain('Nothing in the index has this address');
});
