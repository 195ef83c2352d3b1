/**
 * The recent pass on radosgw: a bucket of old experiments (1,200 in one prefix, more than one page of
 * folders) and a few dated within the last days, crawled fully once; then passes over the recent folders
 * only, whose S3 requests are counted and compared with those of a bucket ten times smaller; new and changed
 * recent experiments are indexed, nothing older is touched, nothing is deleted; the scheduler runs them.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NextRequest } from 'next/server';
import { freePort } from '../scripts/free-port';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlSummary } from '../crawler/crawl';
import { daysBefore } from '../lib/folder-dates';
import { GET as healthRoute } from '../lib/api/health';
import { GET as searchRoute } from '../lib/api/search';
import type { AppDatabase } from '../lib/db/index';
import { subscribeToBucketEvents } from '../lib/s3-events';
import { askToIndex } from '../lib/wake';
import { runCli } from './support/cli';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient, testConfig, testEnv } from './support/s3';

const today = new Date();
const day = (daysAgo: number) => daysBefore(today, daysAgo);
const metadata = (purpose: string) => JSON.stringify({ notes: { purpose } });

/** `count` old experiments in ephys/ (2015 onwards, one a day), one in each other prefix, and two recent ones. */
function bucketObjects(count: number): Record<string, string> {
  const objects: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const date = new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    objects[`ephys/${date}-e-old_${i}/metadata.json`] = metadata(`old recording ${i}`);
  }
  for (const prefix of ['archive', 'fluidics', 'imaging', 'integrated']) objects[`${prefix}/2020-02-02-x-old/metadata.json`] = metadata('old');
  objects[`ephys/${day(1)}-e-yesterday/metadata.json`] = metadata('recorded yesterday');
  objects[`imaging/${day(2)}-i-two_days_ago/metadata.json`] = metadata('imaged two days ago');
  // Not named by a date: after every dated folder, and never listed by a recent pass.
  objects['ephys/zz-unsorted/metadata.json'] = metadata('undated');
  return objects;
}

let client: S3Client;
let dir: ReturnType<typeof tempDir>;
let big: { bucket: string; db: AppDatabase };
let small: { bucket: string; db: AppDatabase };

async function indexedBucket(label: string, count: number) {
  const bucket = await createTestBucket(client, label);
  await putObjects(client, bucket, bucketObjects(count), 32);
  const db = openTempIndex(dir.path, `${label}.db`);
  expect((await crawlInto(db, bucket)).status).toBe('succeeded');
  return { bucket, db };
}

const recentPass = (target: { bucket: string; db: AppDatabase }): Promise<CrawlSummary> => crawlInto(target.db, target.bucket, { recentDays: 3 });
const purposeOf = (db: AppDatabase, path: string) =>
  db.$client.prepare('SELECT purpose FROM experiments WHERE path = ?').pluck().get(path) as string | null | undefined;

beforeAll(async () => {
  client = testClient();
  dir = tempDir('recent');
  big = await indexedBucket('recent-big', 1200);
  small = await indexedBucket('recent-small', 120);
}, 300_000);

afterAll(() => {
  big?.db.$client.close();
  small?.db.$client.close();
  dir?.remove();
  client?.destroy();
});

describe('the recent pass', () => {
  it('costs the same few requests whatever the bucket holds, and reads nothing unchanged', async () => {
    const [onBig, onSmall] = [await recentPass(big), await recentPass(small)];
    // A folder listing per prefix, then a key listing per prefix with recent folders (ephys, imaging).
    for (const pass of [onBig, onSmall]) {
      expect(pass).toMatchObject({ status: 'succeeded', experiments: { new: 0, updated: 0, unchanged: 2, deleted: 0 } });
      expect(pass.s3Requests).toEqual({ ListObjectsV2: 5 + 2 });
    }
    const run = big.db.$client.prepare('SELECT kind, status FROM crawl_runs ORDER BY id DESC LIMIT 1').get();
    expect(run).toEqual({ kind: 'recent', status: 'succeeded' });
  });

  it('indexes a new experiment and a changed metadata.json in a recent folder, and finds them by search', async () => {
    const fresh = `ephys/${day(0)}-e-just_uploaded`;
    await putObjects(client, big.bucket, {
      [`${fresh}/metadata.json`]: metadata('spontaneous activity of organoid quokka'),
      [`${fresh}/original/data/trace.raw.h5`]: 'not really HDF5',
      [`ephys/${day(1)}-e-yesterday/metadata.json`]: metadata('recorded yesterday, then annotated wombat'),
    });
    const pass = await recentPass(big);
    expect(pass).toMatchObject({ experiments: { new: 1, updated: 1, unchanged: 1, deleted: 0 } });
    expect(pass.s3Requests).toEqual({ ListObjectsV2: 7, GetObject: 3 });
    process.env.DATABASE_PATH = join(dir.path, 'recent-big.db');
    process.env.S3_BUCKET = big.bucket;
    process.env.SEARCH_STALE_SECONDS = '0';
    const found = async (q: string) => {
      const response = await searchRoute(new NextRequest(`http://localhost/api/search?q=${q}`));
      return ((await response.json()) as { results: { path: string }[] }).results.map((r) => r.path);
    };
    expect(await found('quokka')).toEqual([fresh]);
    expect(await found('wombat')).toEqual([`ephys/${day(1)}-e-yesterday`]);
  });

  it('touches nothing older and deletes nothing; the full crawl does', async () => {
    const old = 'ephys/2015-01-01-e-old_0';
    await putObjects(client, big.bucket, { [`${old}/metadata.json`]: metadata('old, edited') });
    await client.send(new DeleteObjectCommand({ Bucket: big.bucket, Key: `ephys/${day(1)}-e-yesterday/metadata.json` }));
    await putObjects(client, big.bucket, { 'ephys/zz-unsorted/metadata.json': metadata('undated, edited') });
    const pass = await recentPass(big);
    // The yesterday folder is gone from the bucket: not listed, so left as it is.
    expect(pass.experiments).toMatchObject({ new: 0, updated: 0, deleted: 0 });
    expect(purposeOf(big.db, old)).toBe('old recording 0');
    expect(purposeOf(big.db, 'ephys/zz-unsorted')).toBe('undated');
    expect(purposeOf(big.db, `ephys/${day(1)}-e-yesterday`)).toBe('recorded yesterday, then annotated wombat');
    const full = await crawlInto(big.db, big.bucket);
    expect(full.experiments).toMatchObject({ updated: 2, deleted: 1 });
    expect(purposeOf(big.db, old)).toBe('old, edited');
    expect(purposeOf(big.db, `ephys/${day(1)}-e-yesterday`)).toBeUndefined();
  });

  it('health reports the last recent pass beside the last full crawl', async () => {
    await recentPass(big);
    const health = await (await healthRoute()).json();
    expect(health.lastCrawl.status).toBe('succeeded');
    expect(health.lastRecentPass).toMatchObject({ status: 'succeeded' });
    expect(health.lastRecentPass.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(health.lastRecentPass.ageSeconds).toBeLessThan(60);
    expect(new Date(health.lastRecentPass.finishedAt).getTime()).toBeGreaterThan(new Date(health.lastCrawl.finishedAt).getTime());
  });

  it('runs from the command line, and refuses days it cannot take', async () => {
    const env = testEnv(small.bucket, join(dir.path, 'recent-small.db'));
    const run = await runCli(['--recent', '2'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded', experiments: { unchanged: 2 } });
    for (const [args, message] of [
      [['--recent', '0'], 'error: --recent must be between 1 and 60 days'],
      [['--recent', 'soon'], 'error: --recent must be a whole number of days'],
      [['--recent', '--count', '3'], 'error: --recent cannot be combined with --count or --delete'],
      [['7'], 'error: unexpected argument: 7'],
    ] as const) {
      const refused = await runCli([...args], env);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr.split('\n')[0]).toBe(message);
    }
  });

  it('makes an experiment uploaded while the scheduler runs searchable within its interval', async () => {
    const env = testEnv(small.bucket, join(dir.path, 'recent-small.db'), { CRAWL_RECENT_SECONDS: '2', CRAWL_INTERVAL_HOURS: '100' });
    let kill = () => {};
    const scheduler = runCli([], env, (k) => (kill = k), 'crawler/schedule.ts');
    try {
      const path = `fluidics/${day(0)}-f-pump_run`;
      const uploaded = Date.now();
      await putObjects(client, small.bucket, { [`${path}/metadata.json`]: metadata('pump run') });
      let indexedAfter: number | undefined;
      while (indexedAfter === undefined && Date.now() - uploaded < 30_000) {
        if (purposeOf(small.db, path) === 'pump run') indexedAfter = Date.now() - uploaded;
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Two seconds between passes, and a pass (a process of its own: tsx's start included) takes a few.
      expect(indexedAfter).toBeLessThan(15_000);
    } finally {
      kill();
      await scheduler;
    }
  });

  it('indexes a folder the site asks for, or the bucket announces, through the wake endpoint, whatever its date, only with the secret', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const secret = 'a shared secret of the test';
    const env = testEnv(small.bucket, join(dir.path, 'recent-small.db'), {
      CRAWL_RECENT_SECONDS: '0',
      CRAWL_INTERVAL_HOURS: '100',
      CRAWL_WAKE_LISTEN: `127.0.0.1:${port}`,
      CRAWL_WAKE_SECRET: secret,
    });
    let kill = () => {};
    const scheduler = runCli([], env, (k) => (kill = k), 'crawler/schedule.ts');
    const wake = (body: unknown, auth = `Bearer ${secret}`, method = 'POST') =>
      fetch(`http://127.0.0.1:${port}/wake`, {
        method,
        headers: { Authorization: auth },
        body: method === 'POST' ? JSON.stringify(body) : undefined,
      });
    try {
      await waitFor(async () => (await wake({}).catch(() => undefined))?.status === 400);
      // Dated long ago: no recent pass would list it.
      const old = 'ephys/2016-06-06-e-shared_late';
      await putObjects(client, small.bucket, { [`${old}/metadata.json`]: metadata('uploaded late with an old date') });
      const asked = await wake({ folder: old });
      expect([asked.status, await asked.json()]).toEqual([200, { indexed: true }]);
      expect(purposeOf(small.db, old)).toBe('uploaded late with an old date');
      expect(await (await wake({ folder: 'ephys/2016-06-07-e-never_uploaded' })).json()).toEqual({ indexed: false });
      for (const [response, status] of [
        [await wake({ folder: old }, 'Bearer not the secret'), 401],
        [await wake({ folder: old }, ''), 401],
        [await wake({ folder: old }, secret), 401],
        [await wake({ folder: 'ephys/..' }), 400],
        [await wake({ folder: 'private/2026-01-01-x' }), 400],
        [await wake({ folder: 'ephys' }), 400],
        [await wake(undefined, `Bearer ${secret}`, 'GET'), 405],
      ] as const) {
        expect(response.status).toBe(status);
        expect((await response.json()).error).toEqual(expect.any(String));
      }

      // The site's side: a page asks once, says "indexing", and is a 404 once the pass found nothing.
      process.env.S3_BUCKET ??= small.bucket;
      process.env.CRAWL_WAKE_URL = `http://127.0.0.1:${port}`;
      process.env.CRAWL_WAKE_SECRET = secret;
      const fresh = `${day(0)}-e-linked_before_crawl`;
      await putObjects(client, small.bucket, { [`integrated/${fresh}/metadata.json`]: metadata('linked in Slack before the crawl') });
      // The page waits a moment for the pass: usually it is done by then; on a busy machine the page says "indexing".
      expect(['indexed', 'indexing']).toContain(await askToIndex('integrated', fresh));
      await waitFor(async () => purposeOf(small.db, `integrated/${fresh}`) === 'linked in Slack before the crawl');
      const missing = `${day(0)}-e-not_there`;
      expect(['absent', 'indexing']).toContain(await askToIndex('ephys', missing));
      await waitFor(async () => (await askToIndex('ephys', missing)) === 'absent');
      // Only a link dated within the recent window may be newer than the index; a prefix not crawled, or no folder, is not asked for.
      expect(await askToIndex('ephys', '2016-06-08-e-old_link')).toBe('off');
      expect(await askToIndex('private', fresh)).toBe('off');
      expect(await askToIndex('ephys', '..')).toBe('off');

      // Push: radosgw posts the bucket's events to the scheduler, which passes over their folders at once.
      const events = `http://127.0.0.1:${port}/s3-events/`;
      await subscribeToBucketEvents(testConfig(small.bucket), client, `${events}${encodeURIComponent(secret)}`);
      const pushed = 'fluidics/2017-07-07-f-pushed_by_radosgw';
      const uploaded = Date.now();
      await putObjects(client, small.bucket, { [`${pushed}/metadata.json`]: metadata('announced by a bucket notification') });
      await waitFor(async () => purposeOf(small.db, pushed) === 'announced by a bucket notification');
      // No recent pass runs here (CRAWL_RECENT_SECONDS=0), and none would list a folder of 2017.
      expect(Date.now() - uploaded).toBeLessThan(10_000);
      // An upload is many files: the next one's event, moments after that pass, is held back (a pass per folder
      // per 30 s) but not dropped.
      await putObjects(client, small.bucket, { [`${pushed}/metadata.json`]: metadata('the upload’s next file') });
      await waitFor(async () => purposeOf(small.db, pushed) === 'the upload’s next file', 45_000);
      for (const wrong of ['not-the-secret', '%E0%A4%A', '']) {
        const forged = await fetch(`${events}${wrong}`, { method: 'POST', body: JSON.stringify({ Records: [] }) });
        expect(forged.status, wrong).toBe(401);
      }
      const junk = await fetch(`${events}${encodeURIComponent(secret)}`, { method: 'POST', body: '{"Records": "all of them"}' });
      expect(junk.status).toBe(400);
    } finally {
      delete process.env.CRAWL_WAKE_URL;
      delete process.env.CRAWL_WAKE_SECRET;
      kill();
      await scheduler;
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
