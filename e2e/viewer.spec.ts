import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bucketClient } from './bucket';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { objectUuid } from '../lib/db/crawl-store';
import { SHAPES } from '../test/support/fixture-bucket';
import { UNSUPPORTED_FILTER_ID, unsupportedFilterFile } from '../test/support/unsupported-filter';
import { E2E_DELETED_KEY, E2E_FILTER_KEY, E2E_REPLACED_KEY } from './server';
import { fixturePath } from '../test/support/fixtures';

const NWB_PATH = fixturePath('nwb', 'ecephys-kilosort-gzip.nwb');

/** The fixture's ElectricalSeries as Node reads it: [samples][channels] in µV (int16 × conversion 1e-6 V). */
async function fileTraces(): Promise<number[][]> {
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const file = new h5wasm.File(NWB_PATH, 'r');
  const data = file.get('/acquisition/ElectricalSeries/data') as InstanceType<typeof h5wasm.Dataset>;
  const [samples, channels] = data.shape as [number, number];
  const values = data.value as Int16Array;
  file.close();
  return Array.from({ length: samples }, (_, i) => Array.from(values.subarray(i * channels, (i + 1) * channels)));
}

async function drawnValues(page: Page): Promise<number[][]> {
  const trace = page.getByTestId('trace');
  await expect(trace).not.toHaveAttribute('data-values', '');
  return JSON.parse((await trace.getAttribute('data-values'))!) as number[][];
}

test('the trace view draws the NWB file’s channels, values as in the file; the raster shows its units', async ({ page }, testInfo) => {
  const expected = await fileTraces();
  await page.goto(`/files/${process.env.E2E_NWB_UUID}`);
  const trace = page.getByTestId('trace');
  await expect(trace).toHaveAttribute('data-channels', '10', { timeout: 20_000 });
  await expect(trace).toHaveAttribute('data-unit', 'µV');
  const drawn = await drawnValues(page);
  expect(drawn).toHaveLength(10);
  drawn.forEach((channel, c) => {
    channel.forEach((value, i) => {
      expect(value, `channel ${c} sample ${i}`).toBeCloseTo(expected[i]![c]!, 3);
    });
  });
  await expect(page.getByTestId('raster')).toHaveAttribute('data-units', '13');
  await expect(page.getByTestId('raster')).toHaveAttribute('data-spikes', '788');
  await page.screenshot({ path: testInfo.outputPath('viewer.png'), fullPage: true });
});

test('the crawler’s manifest serves the structure (and this small file’s first views): no S3 read until a check that the file is unchanged', async ({
  page,
}) => {
  const s3Origin = new URL(process.env.S3_ENDPOINT!).origin;
  const uuid = process.env.E2E_NWB_UUID!;
  const openAndCount = async () => {
    const s3: string[] = [];
    const onRequest = (r: { url(): string }) => void (new URL(r.url()).origin === s3Origin && s3.push(r.url()));
    page.on('request', onRequest);
    await page.goto(`/files/${uuid}`);
    await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', '10', { timeout: 20_000 });
    await expect(page.getByTestId('raster')).toHaveAttribute('data-units', '13');
    page.off('request', onRequest);
    return s3.length;
  };
  const withManifest = await openAndCount();
  expect(withManifest).toBe(0);
  // Nothing read reached S3, so the worker checks on its own that the bucket still holds the indexed version.
  await page.waitForRequest((r) => new URL(r.url()).origin === s3Origin, { timeout: 10_000 });

  const db = new Database(process.env.DATABASE_PATH!);
  const where = 'object_id = (SELECT id FROM objects WHERE uuid = ?)';
  const saved = db.prepare(`SELECT * FROM hdf5_manifests WHERE ${where}`).get(uuid) as Record<string, unknown>;
  expect(saved).toMatchObject({ status: 'built' });
  db.prepare(`DELETE FROM hdf5_manifests WHERE ${where}`).run(uuid);
  try {
    const without = await openAndCount();
    expect(without).toBeGreaterThan(0);
  } finally {
    // The row as it was, whatever its columns.
    const columns = Object.keys(saved);
    db.prepare(`INSERT INTO hdf5_manifests (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(saved);
    db.close();
  }
});

test('a deep link restores the same view: series, time window and channels', async ({ page }) => {
  const expected = await fileTraces();
  // 2,500 Hz: 0.01 s is sample 25, and 0.01 s long is 25 samples.
  await page.goto(`/files/${process.env.E2E_NWB_UUID}?path=/acquisition/ElectricalSeries&t=0.01&d=0.01&ch=2&n=3`);
  const trace = page.getByTestId('trace');
  await expect(trace).toHaveAttribute('data-channels', '3', { timeout: 20_000 });
  await expect(trace).toHaveAttribute('data-first-sample', '25');
  const drawn = await drawnValues(page);
  expect(drawn.map((c) => c.length)).toEqual([25, 25, 25]);
  drawn.forEach((channel, c) => {
    channel.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[25 + i]![2 + c]!, 3);
    });
  });
  // Moving on keeps the URL in step.
  await page.getByRole('button', { name: 'later' }).click();
  await expect(page).toHaveURL(/t=0\.02&d=0\.01&ch=2&n=3/);
  await expect(trace).toHaveAttribute('data-first-sample', '50');
});

test('a file that is not HDF5 gets a message, not a blank panel', async ({ page }) => {
  const csv = objectUuid(process.env.S3_BUCKET!, `${SHAPES.maxwellOld}/original/log/data_GABA_BL_20325.csv`);
  await page.goto(`/files/${csv}`);
  const error = page.getByTestId('viewer-error');
  await expect(error).toHaveAttribute('data-kind', 'not-hdf5', { timeout: 20_000 });
  await expect(error).toContainText('is not an HDF5 file');
});

test('data compressed with a filter the browser lacks gets a message naming the filter', async ({ page }) => {
  await page.goto(`/files/${objectUuid(process.env.S3_BUCKET!, E2E_FILTER_KEY)}`);
  const error = page.getByTestId('trace-error');
  await expect(error).toContainText(`filter ${UNSUPPORTED_FILTER_ID}`, { timeout: 20_000 });
  await expect(error).toContainText('cannot decode');
});

test('a file replaced in the bucket since the crawl is reported as changed, not misread', async ({ page }) => {
  // Another version of the file.
  const s3 = bucketClient();
  await s3.send(new PutObjectCommand({ Bucket: process.env.S3_BUCKET!, Key: E2E_REPLACED_KEY, Body: await unsupportedFilterFile() }));
  s3.destroy();
  await page.goto(`/files/${objectUuid(process.env.S3_BUCKET!, E2E_REPLACED_KEY)}`);
  const error = page.getByTestId('viewer-error');
  await expect(error).toHaveAttribute('data-kind', 'changed', { timeout: 20_000 });
  await expect(error).toContainText('changed in the bucket since it was indexed');
});

test('a file deleted from the bucket since the crawl: S3 refuses it, and the page says so', async ({ page }) => {
  const s3 = bucketClient();
  await s3.send(new DeleteObjectCommand({ Bucket: process.env.S3_BUCKET!, Key: E2E_DELETED_KEY }));
  s3.destroy();
  await page.goto(`/files/${objectUuid(process.env.S3_BUCKET!, E2E_DELETED_KEY)}`);
  const error = page.getByTestId('viewer-error');
  await expect(error).toHaveAttribute('data-kind', 'not-found', { timeout: 20_000 });
  await expect(error).toContainText('no longer in the bucket');
});

test('an unknown file is a 404 page', async ({ request }) => {
  expect((await request.get('/files/00000000-0000-5000-8000-000000000000')).status()).toBe(404);
  expect((await request.get('/files/not-a-uuid')).status()).toBe(404);
});

test('search → experiment → open the NWB file in the page → H5Web shows its tree and plots a dataset', async ({ page }, testInfo) => {
  // Everything the viewer does must fit the pages' Content-Security-Policy.
  const refused: string[] = [];
  page.on('console', (message) => message.text().includes('Content Security Policy') && refused.push(message.text()));
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search experiments' }).fill('nwb_fixture');
  await page.getByTestId('results').getByRole('link', { name: '2023-05-05-e-nwb_fixture' }).click();
  await expect(page.locator('h1')).toHaveText('2023-05-05-e-nwb_fixture');
  await page.locator('.file-tree .file', { hasText: 'ecephys-kilosort-gzip.nwb' }).getByRole('link', { name: 'open' }).click();
  await expect(page).toHaveURL(new RegExp(`/experiment/ephys/2023-05-05-e-nwb_fixture\\?file=${process.env.E2E_NWB_UUID}#viewer$`));
  await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', '10', { timeout: 20_000 });
  // Moving the window keeps the file in the URL.
  await page.getByRole('button', { name: 'next channels' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?file=${process.env.E2E_NWB_UUID}&path=%2Facquisition%2FElectricalSeries&t=0&d=1&ch=9&n=16#viewer$`));

  const h5web = page.getByTestId('h5web');
  await h5web.getByRole('treeitem', { name: 'acquisition' }).click();
  await h5web.getByRole('treeitem', { name: 'ElectricalSeries' }).click();
  await h5web.getByRole('treeitem', { name: 'data' }).click();
  await expect(h5web.locator('canvas').first()).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath('h5web.png'), fullPage: true });
  expect(refused).toEqual([]);
});
