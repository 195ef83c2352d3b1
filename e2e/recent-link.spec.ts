import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { daysBefore } from '../lib/folder-dates';
import { bucketClient } from './bucket';

/**
 * A link to an experiment uploaded after the last crawl, as it is pasted in Slack before any crawl has seen
 * it: the page asks the crawl scheduler (started by e2e/global-setup.ts, with no recent passes of its own)
 * to index the folder, and shows the experiment; a recent-looking link to nothing becomes a 404.
 */

const today = daysBefore(new Date(), 0);

test('a link to an experiment uploaded after the crawl opens its page', async ({ page }, testInfo) => {
  const uuid = `${today}-e-linked_before_the_crawl`;
  const s3 = bucketClient();
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.S3_BUCKET,
      Key: `ephys/${uuid}/metadata.json`,
      Body: JSON.stringify({ notes: { purpose: 'shared in Slack before any crawl' } }),
    }),
  );
  s3.destroy();
  const first = await page.goto(`/experiment/ephys/${uuid}`);
  expect(first?.status()).toBe(200);
  // The experiment at once when its pass answered within the page's wait, else "Indexing…" until it has.
  await expect(page.locator('h1')).toHaveText(uuid, { timeout: 20_000 });
  await expect(page.locator('.purpose')).toHaveText('shared in Slack before any crawl');
  await page.screenshot({ path: testInfo.outputPath('linked-before-crawl.png') });
  // And search finds it.
  await page.goto(`/?q=${encodeURIComponent('shared in Slack')}`);
  await expect(page.getByTestId('result').filter({ hasText: uuid })).toBeVisible();
});

test('a recent-looking link to a folder the bucket does not have becomes a real 404', async ({ page, request }) => {
  const path = `/experiment/ephys/${today}-e-no_such_upload`;
  await page.goto(path);
  await expect(page.getByText('No experiment in the index has this address')).toBeVisible({ timeout: 20_000 });
  expect((await request.get(path)).status()).toBe(404);
  // An old-dated link is not asked for: a 404 at once.
  expect((await request.get('/experiment/ephys/2016-01-01-e-never_there')).status()).toBe(404);
});
