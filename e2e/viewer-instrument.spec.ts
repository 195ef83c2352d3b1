import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { objectUuid } from '../lib/db/crawl-store';
import { HUGE_SERIES } from '../test/support/huge-series';
import { TWO_SHANKS } from '../test/support/two-shank';
import { E2E_EVENTS, E2E_HALF_RATE, E2E_HUGE_KEY, E2E_TWO_SHANK_KEY } from './server';

/**
 * The viewer as an instrument, on the demo's NWB recordings (32 channels at 20 kHz for 4 s, electrodes at
 * their positions in two columns, units with channels; E2E_EVENTS's units carry waveform_mean, E2E_HALF_RATE's
 * do not).
 */

function nwbOf(experiment: string): { uuid: string; key: string } {
  const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
  try {
    return db.prepare(`SELECT uuid, key FROM objects WHERE key LIKE ? || '/%' AND key LIKE '%.nwb' ORDER BY key LIMIT 1`).get(experiment) as {
      uuid: string;
      key: string;
    };
  } finally {
    db.close();
  }
}

const viewParam = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

async function openTrace(page: Page, experiment: string, query = '') {
  const file = nwbOf(experiment);
  await page.goto(`/files/${file.uuid}${query}`);
  await expect(page.getByTestId('trace')).not.toHaveAttribute('data-values', '', { timeout: 30_000 });
  return file;
}

test('the trace has a time axis that follows zoom and pan, a scale bar in µV, and channels named from the electrodes table', async ({
  page,
}, testInfo) => {
  await openTrace(page, E2E_EVENTS, '?t=0&d=1&ch=0&n=8');
  const ticks = page.getByTestId('time-tick');
  await expect(page.getByTestId('time-axis-title')).toHaveText('time (ms)');
  expect(await ticks.allTextContents()).toEqual(['0', '200', '400', '600', '800', '1000']);
  await expect(page.getByTestId('scale-bar')).toHaveText(/^\d[\d,.]* µV$/);
  const labels = page.getByTestId('channel-label');
  await expect(labels).toHaveCount(8);
  // The demo writes channel_name A-000… and the electrode's position: the label and its hover text say so.
  await expect(labels.first().locator('tspan')).toHaveText('A-000');
  await expect(labels.first().locator('title')).toContainText(/at \(\d/);

  // Keys: + halves the window around its middle, → moves a quarter of it.
  const plot = page.locator('.trace-plot');
  await plot.focus();
  await page.keyboard.press('+');
  await expect.poll(() => viewParam(page, 'd')).toBe('0.5');
  expect(viewParam(page, 't')).toBe('0.25');
  await expect(ticks.first()).toHaveText('300');
  await expect(ticks.last()).toHaveText('700');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => viewParam(page, 't')).toBe('0.375');

  // Dragging left by half the plot moves later by half the window.
  const box = (await plot.boundingBox())!;
  const plotWidth = box.width * (820 / 1000);
  await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6 - plotWidth / 2, box.y + 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => Number(viewParam(page, 't'))).toBeCloseTo(0.625, 2);

  // The wheel zooms out around the pointer.
  await page.mouse.move(box.x + box.width / 2, box.y + 40);
  await page.mouse.wheel(0, 100);
  await expect.poll(() => Number(viewParam(page, 'd'))).toBeCloseTo(0.625, 3);
  await page.screenshot({ path: testInfo.outputPath('trace-axes.png'), fullPage: true });
});

test('while a window loads, the bytes read of those planned are shown', async ({ page }) => {
  const s3 = new URL(process.env.S3_ENDPOINT!).origin;
  // The lab's Ceph answers in about 0.3 s: so does S3 here. The whole 4 s recording is several chunks,
  // fetched one after another: the page shows what has arrived of what the window needs.
  await page.route(`${s3}/**`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  await page.goto(`/files/${nwbOf(E2E_EVENTS).uuid}?t=0&d=4&ch=0&n=4`);
  const progress = page.getByTestId('trace-progress');
  await expect(progress).toContainText(/read [\d.]+ MB of about [\d.]+ MB from S3/, { timeout: 20_000 });
  await expect(page.getByTestId('trace')).not.toHaveAttribute('data-values', '', { timeout: 60_000 });
  await expect(progress).toBeHidden();
});

test('channels by electrode group: choosing a shank shows its channels, named as the table names them', async ({ page }) => {
  await page.goto(`/files/${objectUuid(process.env.S3_BUCKET!, E2E_TWO_SHANK_KEY)}?t=0&d=0.05&ch=0&n=2`);
  await expect(page.getByTestId('trace')).not.toHaveAttribute('data-values', '', { timeout: 30_000 });
  const group = page.getByLabel('group');
  await expect(group.locator('option')).toHaveText(['channels by number', `shank0 (${TWO_SHANKS.perShank})`, `shank1 (${TWO_SHANKS.perShank})`]);
  await group.selectOption('shank1');
  await expect.poll(() => viewParam(page, 'c')).toBe('4-7');
  await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', String(TWO_SHANKS.perShank));
  await expect(page.getByTestId('channel-label').locator('tspan')).toHaveText(['S1-0', 'S1-1', 'S1-2', 'S1-3']);
  await expect(page.getByTestId('channel-label').first().locator('title')).toHaveText('channel 4: S1-0 · electrode 104 · group shank1 · at (200, 0)');
  await expect(group).toHaveValue('shank1');
});

test('channels by clicking or boxing electrodes on the map', async ({ page }, testInfo) => {
  await openTrace(page, E2E_EVENTS, '?t=0&d=0.1&ch=0&n=4');
  const map = page.getByTestId('electrode-map');
  await expect(map).toHaveAttribute('data-placed', '32');
  await expect(page.getByTestId('map-legend')).toContainText(/spikes of the units on each channel|RMS over the window/);
  // Click electrode 10: the trace shows that channel alone.
  await map.locator('circle[data-channel="10"]').click();
  await expect.poll(() => viewParam(page, 'c')).toBe('10');
  await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', '1');
  await expect(page.getByTestId('channel-label')).toHaveCount(1);
  await expect(map.locator('circle.shown')).toHaveCount(1);

  // A box around the first few electrodes shows those.
  const first = (await map.locator('circle[data-channel="0"]').boundingBox())!;
  const third = (await map.locator('circle[data-channel="2"]').boundingBox())!;
  await page.mouse.move(first.x - 2, first.y - 2);
  await page.mouse.down();
  await page.mouse.move(third.x + third.width + 2, third.y + third.height + 2, { steps: 4 });
  await page.mouse.up();
  // Electrodes 0 and 2 are one above the other, 1 is in the next column.
  await expect.poll(() => viewParam(page, 'c')).toBe('0,2');
  await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', '2');

  // RMS colours the electrodes with a value each.
  await page.getByTestId('map-colour').selectOption('rms');
  await expect(page.getByTestId('map-legend')).toContainText('RMS over the window (µV)');
  const values = await map.locator('circle').evaluateAll((circles) => circles.map((c) => Number(c.getAttribute('data-value'))));
  expect(values.filter((v) => v > 0)).toHaveLength(32);
  await page.screenshot({ path: testInfo.outputPath('electrode-map.png'), fullPage: true });
});

test('the raster has a time axis and the trace window shaded; a click moves the trace and opens that unit', async ({ page }, testInfo) => {
  await openTrace(page, E2E_EVENTS, '?t=2&d=1&ch=0&n=4');
  const raster = page.getByTestId('raster');
  await expect(raster).toHaveAttribute('data-units', /^[1-9]/);
  await expect(page.getByTestId('raster-tick').first()).toHaveText(/^0(\.0)?$/);
  const shaded = page.getByTestId('raster-window');
  await expect(shaded).toHaveAttribute('data-start', '2');
  await expect(shaded).toHaveAttribute('data-end', '3');

  // Sorting by firing rate puts the unit with the most spikes first.
  const byId = await raster.getAttribute('data-order');
  await page.getByTestId('unit-order').selectOption('rate');
  await expect(raster).not.toHaveAttribute('data-order', byId!);

  // A click in the middle of the raster: the trace is centred there, and the first row's unit is chosen.
  await raster.scrollIntoViewIfNeeded();
  const box = (await raster.boundingBox())!;
  await page.mouse.click(box.x + (box.width * (96 + 820 / 2)) / 1000, box.y + 4);
  // The recording is 4 s long: its middle is 2 s, and the 1 s window starts half a second before.
  await expect.poll(() => Number(viewParam(page, 't'))).toBeCloseTo(1.5, 1);
  const detail = page.getByTestId('unit-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('unit-rate')).toHaveAttribute('data-points', '100');
  await expect(page.getByTestId('unit-isi')).toHaveAttribute('data-points', '100');
  await expect(page.getByTestId('unit-waveform').locator('figcaption')).toHaveText('waveform_mean, from the file', { timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath('spikes.png'), fullPage: true });
});

test('without waveform_mean, a unit’s waveform is the mean of trace snippets around its spikes', async ({ page }) => {
  await openTrace(page, E2E_HALF_RATE, '?t=0&d=1&ch=0&n=4');
  await expect(page.getByTestId('raster')).toHaveAttribute('data-units', /^[1-9]/);
  await page.getByTestId('unit-choice').selectOption({ index: 1 });
  await expect(page.getByTestId('unit-waveform').locator('figcaption').or(page.getByTestId('unit-waveform-missing'))).toHaveText(
    /mean of \d+ snippets of channel \d+ around its spikes|no spike of this unit lies far enough/,
    { timeout: 30_000 },
  );
});

test('H5Web opens a dataset too large to read whole in a view it can read, with its shape written for people', async ({ page }, testInfo) => {
  const uuid = objectUuid(process.env.S3_BUCKET!, E2E_HUGE_KEY);
  await page.goto(`/files/${uuid}?t=0&d=0.01&ch=0&n=2`);
  const h5web = page.getByTestId('h5web');
  await h5web.getByRole('treeitem', { name: 'acquisition' }).click();
  await h5web.getByRole('treeitem', { name: 'ElectricalSeries' }).click();
  await h5web.getByRole('treeitem', { name: 'data' }).click();
  await expect(h5web.getByRole('tab', { name: 'Line' })).toHaveAttribute('aria-selected', 'true', { timeout: 20_000 });
  await expect(h5web.locator('canvas').first()).toBeVisible({ timeout: 30_000 });
  await expect(h5web).not.toContainText('over the 64 MB');
  // The sizes beside the dimension sliders.
  await expect(h5web.locator('[class*=dims]').first()).toHaveText(`n ${HUGE_SERIES.frames.toLocaleString('en-US')} × ${HUGE_SERIES.channels}`);
  await page.screenshot({ path: testInfo.outputPath('h5web-large.png'), fullPage: true });
  await h5web.getByRole('tab', { name: 'Inspect' }).click();
  const [frames, channels] = [HUGE_SERIES.frames, HUGE_SERIES.channels];
  await expect(h5web).toContainText(`${frames.toLocaleString('en-US')} × ${channels} (${(frames * channels).toLocaleString('en-US')} values)`);
});

test('a MaxWell raw file says why it has no trace view', async ({ page }) => {
  const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
  const raw = db.prepare(`SELECT uuid FROM objects WHERE key LIKE ? || '/%' AND key LIKE '%.raw.h5'`).get(E2E_EVENTS) as { uuid: string };
  db.close();
  await page.goto(`/files/${raw.uuid}`);
  const why = page.getByTestId('no-trace');
  await expect(why).toContainText('This is a MaxWell raw recording, not an NWB file', { timeout: 20_000 });
  await expect(why).toContainText(/compressed with filter \d+/);
  await expect(why).toContainText('which a browser cannot decode');
  await expect(page.getByTestId('trace')).toHaveCount(0);
});

test('the overview shows a whole recording, every sample when it fits; a click there moves the trace', async ({ page }, testInfo) => {
  await openTrace(page, E2E_EVENTS, '?t=0&d=0.5&ch=0&n=4');
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-sampled', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('overview-status')).toHaveText('lowest and highest of every sample, per pixel');
  // The demo's recording is 4 s long: the axis runs to its end.
  await expect(page.getByTestId('overview-tick').last()).toHaveText(/^4(\.0)?$/);
  await overview.scrollIntoViewIfNeeded();
  const box = (await overview.boundingBox())!;
  await page.mouse.click(box.x + box.width * ((96 + 820 * 0.75) / 1000), box.y + 10);
  // Three quarters of 4 s is 3 s: the half-second window is centred there.
  await expect.poll(() => Number(viewParam(page, 't'))).toBeCloseTo(2.75, 1);
  await expect(page.getByTestId('overview-window')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
});

test('the overview of a recording too long to read whole is sampled, says so, and spans all of it', async ({ page }) => {
  const uuid = objectUuid(process.env.S3_BUCKET!, E2E_HUGE_KEY);
  await page.goto(`/files/${uuid}?t=0&d=0.01&ch=0&n=2`);
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-sampled', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('overview-status')).toHaveText(/^sampled: \d+ evenly spaced windows of [\d.]+ s, not every sample$/);
  const seconds = HUGE_SERIES.frames / HUGE_SERIES.rate;
  await expect(page.getByTestId('overview-tick').last()).toHaveText(String(seconds));
});
