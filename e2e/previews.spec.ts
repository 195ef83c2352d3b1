import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { PREVIEW_COLORS } from '../crawler/preview-image';
import { SHAPES } from '../test/support/fixture-bucket';
import { pngPixels } from '../test/support/png-pixels';
import { E2E_HALF_RATE } from './server';

/**
 * Recording previews in the browser: beside a search result, on the experiment page, in the unfurl card
 * and its labels. Screenshots are kept in test-results/ for a person to look at.
 */

const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const UUID = E2E_HALF_RATE.split('/')[1]!;
// What the crawler draws of its NWB file: 16 channels for a second, and the units table's 8 units.
const ALT =
  /^Preview: the first 1 s of ElectricalSeries \/acquisition\/ElectricalSeries, 6 of 16 channels \(the most active\); the spikes of its 8 units/;

const loaded = (image: import('@playwright/test').Locator) => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);

test('a search result with a recording shows its preview, lazily, with alt text saying what it shows', async ({ page }, testInfo) => {
  await page.goto(`/?q=${encodeURIComponent(UUID)}`);
  const result = page.getByTestId('result').filter({ hasText: UUID });
  const preview = result.getByTestId('result-preview');
  await expect(preview).toHaveAttribute('alt', ALT);
  await expect(preview).toHaveAttribute('loading', 'lazy');
  await expect.poll(() => loaded(preview)).toBe(800);
  // It opens the recording in the viewer.
  await expect(result.locator('a.preview-thumb')).toHaveAttribute('href', new RegExp(`^/experiment/${E2E_HALF_RATE}\\?file=[0-9a-f-]{36}#viewer$`));
  await page.screenshot({ path: testInfo.outputPath('search-result-preview.png') });
  // A result without a recording has none.
  await page.goto(`/?q=${encodeURIComponent(SHAPES.maxwellNwb.split('/')[1]!)}`);
  await expect(page.getByTestId('result').first()).toBeVisible();
  await expect(page.getByTestId('result-preview')).toHaveCount(0);
});

test('the experiment page shows the preview beside its recording, once', async ({ page }, testInfo) => {
  await page.goto(`/experiment/${E2E_HALF_RATE}`);
  const preview = page.locator('.recordings').getByTestId('recording-preview');
  await expect(preview).toHaveAttribute('alt', ALT);
  await expect.poll(() => loaded(preview)).toBe(800);
  await expect(page.getByTestId('recording-preview')).toHaveCount(1);
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('experiment-preview.png'), fullPage: true });
  await preview.click();
  await expect(page).toHaveURL(/\?file=[0-9a-f-]{36}#viewer$/);
});

test('the unfurl carries Slack labels, and its card shows the recording; a card without one still works', async ({ request }, testInfo) => {
  const html = await (await request.get(`/experiment/${E2E_HALF_RATE}`, { headers: { 'User-Agent': SLACKBOT } })).text();
  const tag = (name: string) => new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(html)?.[1];
  expect([tag('twitter:label1'), tag('twitter:data1'), tag('twitter:label2'), tag('twitter:data2')]).toEqual([
    'Recording',
    '16 ch · 1 s',
    'Spikes',
    '8 units',
  ]);

  const card = async (experiment: string) => {
    const response = await request.get(`/experiment/${experiment}/card`, { headers: { 'User-Agent': SLACKBOT } });
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('image/png');
    return response.body();
  };
  const withPreview = await card(E2E_HALF_RATE);
  const without = await card(SHAPES.maxwellNwb);
  writeFileSync(testInfo.outputPath('card-with-preview.png'), withPreview);
  writeFileSync(testInfo.outputPath('card-without-preview.png'), without);
  // In sixths of the card's height: the traces in the middle, where the preview is; none on a card without one.
  const traced = await pngPixels(withPreview, PREVIEW_COLORS.trace, 6);
  expect(traced).toMatchObject({ width: 1200, height: 630 });
  expect(traced.near[3]).toBeGreaterThan(2000);
  const plain = await pngPixels(without, PREVIEW_COLORS.trace, 6);
  expect(plain).toMatchObject({ width: 1200, height: 630 });
  expect(plain.near.slice(2, 5)).toEqual([0, 0, 0]);
});

test('the preview route answers 304 for the version a client holds, and 404 with a reason for a file with none', async ({ request }) => {
  const api = await (await request.get(`/api/experiments/${E2E_HALF_RATE}`)).json();
  const nwb = api.files.find((f: { key: string }) => f.key.endsWith('.nwb'));
  const raw = api.files.find((f: { key: string }) => f.key.endsWith('.raw.h5'));
  // The API names each file's preview, and a file without one has none.
  expect(nwb.preview).toEqual({ url: `/files/${nwb.uuid}/preview.png`, alt: expect.stringMatching(ALT) });
  expect(raw.preview).toBeUndefined();
  const first = await request.get(nwb.preview.url);
  expect(first.status()).toBe(200);
  expect(first.headers()['x-content-type-options']).toBe('nosniff');
  const again = await request.get(`/files/${nwb.uuid}/preview.png`, { headers: { 'If-None-Match': first.headers().etag! } });
  expect(again.status()).toBe(304);
  const none = await request.get(`/files/${raw.uuid}/preview.png`);
  expect(none.status()).toBe(404);
  expect((await none.json()).error.message).toMatch(/^this file has no preview: /);
});
