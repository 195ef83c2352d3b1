import { expect, test, type Page } from '@playwright/test';
import { startAppServer } from '../bench/support/app-server';
import { objectUuid } from '../lib/db/crawl-store';
import { startS3Proxy } from '../scripts/s3-proxy';
import { HUGE_SERIES } from '../test/support/huge-series';
import { E2E_ALT_BASE_URL, E2E_ALT_PORT, E2E_HUGE_KEY } from './server';

/** The viewer against S3 refusing, URLs about to expire, and views too large to read. */

const nwbOnAltServer = () => `${E2E_ALT_BASE_URL}/files/${process.env.E2E_NWB_UUID}`;

/** Requests from the page and its workers to the app's /api/files and to S3, and S3's readable answers. */
function watch(page: Page) {
  const filesApi: string[] = [];
  const s3Requests: string[] = [];
  const s3: number[] = [];
  const s3Origin = new URL(process.env.S3_ENDPOINT!).origin;
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/files/')) filesApi.push(r.url());
    if (url.origin === s3Origin) s3Requests.push(r.url());
  });
  page.on('response', (r) => new URL(r.url()).origin === s3Origin && s3.push(r.status()));
  return { filesApi, s3Requests, s3 };
}

test('a selection over 64 MB is refused with what to narrow, and a smaller one of the same series is drawn', async ({ page }, testInfo) => {
  const uuid = objectUuid(process.env.S3_BUCKET!, E2E_HUGE_KEY);
  // 60 s of 64 channels at 20 kHz, int16: 153.6 MB.
  await page.goto(`/files/${uuid}?t=0&d=60&ch=0&n=${HUGE_SERIES.channels}`);
  const error = page.getByTestId('trace-error');
  await expect(error).toContainText('that selection of /acquisition/ElectricalSeries/data is 146 MB, over the 64 MB a view may read', {
    timeout: 20_000,
  });
  await expect(error).toContainText('choose a shorter time window or fewer channels');
  await page.screenshot({ path: testInfo.outputPath('too-large.png'), fullPage: true });
  await page.goto(`/files/${uuid}?t=0&d=1&ch=0&n=${HUGE_SERIES.channels}`);
  await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', String(HUGE_SERIES.channels), { timeout: 20_000 });
  await expect(page.getByTestId('trace-error')).toHaveCount(0);
});

test('a presigned URL near its expiry is replaced before the read, which then succeeds', async ({ page }) => {
  // A 121 s lifetime is within the worker's 2-minute margin at once: the first read to S3 refreshes it.
  const app = await startAppServer(E2E_ALT_PORT, { PRESIGN_TTL_SECONDS: '121', WEB_CONCURRENCY: '1' });
  try {
    const seen = watch(page);
    await page.goto(nwbOnAltServer());
    await expect(page.getByTestId('trace')).toHaveAttribute('data-channels', '10', { timeout: 20_000 });
    // The structure came from the manifest; the check that the file is unchanged is the first S3 read.
    await expect.poll(() => seen.s3.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(seen.s3).toEqual([206]);
    expect(seen.filesApi).toHaveLength(2);
    expect(seen.filesApi[0]).toMatch(/\?manifest=1$/);
    expect(seen.filesApi[1]).not.toMatch(/manifest/);
    await page.waitForTimeout(500);
    await expect(page.getByTestId('viewer-error')).toHaveCount(0);
  } finally {
    await app.stop();
  }
});

test('S3 refusing the URL gets one fresh URL, then a message, not a blank panel', async ({ page }) => {
  // Signed with a wrong secret: radosgw refuses every URL this app hands out, with a 403 that has no CORS
  // headers, so the browser sees only a failed request.
  const app = await startAppServer(E2E_ALT_PORT, { AWS_SECRET_ACCESS_KEY: 'not-the-secret', WEB_CONCURRENCY: '1' });
  try {
    const seen = watch(page);
    await page.goto(nwbOnAltServer());
    const error = page.getByTestId('viewer-error');
    await expect(error).toHaveAttribute('data-kind', 's3', { timeout: 20_000 });
    await expect(error).toContainText('S3 did not answer the read');
    expect(seen.s3Requests).toHaveLength(2);
    expect(seen.filesApi).toHaveLength(2);
    expect(seen.s3Requests[0]).not.toBe(seen.s3Requests[1]);
  } finally {
    await app.stop();
  }
});

test('S3 failing (503) is reported as such', async ({ page }) => {
  const proxy = await startS3Proxy({ target: process.env.S3_ENDPOINT!, failRate: 1 });
  const app = await startAppServer(E2E_ALT_PORT, { S3_PUBLIC_ENDPOINT: proxy.endpoint, WEB_CONCURRENCY: '1' });
  try {
    await page.goto(nwbOnAltServer());
    const error = page.getByTestId('viewer-error');
    await expect(error).toHaveAttribute('data-kind', 's3', { timeout: 20_000 });
    await expect(error).toContainText('S3 refused the read (HTTP 503)');
    await expect(error).toContainText('Try again in a moment');
    expect(proxy.faulted()).toBeGreaterThan(0);
  } finally {
    await app.stop();
    await proxy.stop();
  }
});
