import { S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as searchRoute } from '../lib/api/search';
import { startRadosgw, type RadosgwServer } from '../scripts/radosgw';
import { startS3Proxy, type S3Proxy } from '../scripts/s3-proxy';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { integrityCheck, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects } from './support/s3-objects';

// A server of its own: restarting the suite's shared one would disturb other tests.
let s3: RadosgwServer;
let proxy: S3Proxy;
let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;

const crawlEnv = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'test',
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  S3_ENDPOINT: proxy.endpoint,
  S3_BUCKET: bucket,
  S3_REGION: s3.region,
  S3_MAX_ATTEMPTS: '4',
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  DATABASE_PATH: join(dir.path, 'search.db'),
});

/** The crawler CLI in its own process, as cron runs it; resolves to its exit code and summary. */
function crawl(): Promise<{ code: number | null; summary: { status: string; experiments: Record<string, number> } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'crawler/cli.ts', '--concurrency', '4'], {
      env: crawlEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, summary: JSON.parse(stdout.trim().split('\n').at(-1)!) }));
  });
}

const searchTotal = async () => {
  const response = await searchRoute(new Request('http://localhost/api/search?limit=1'));
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: number }).total;
};

beforeAll(async () => {
  s3 = await startRadosgw();
  // Every request pays 40 ms, so a crawl lasts long enough to restart the gateway in the middle of it.
  proxy = await startS3Proxy({ target: s3.endpoint, delayMs: 40 });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  bucket = await createTestBucket(client, 'restart');
  await putObjects(client, bucket, Object.fromEntries(syntheticBucketObjects({ experiments: 120, filesPerExperiment: 3, seed: 11 })));
  dir = tempDir('restart');
  Object.assign(process.env, { DATABASE_PATH: join(dir.path, 'search.db'), S3_BUCKET: bucket, SEARCH_CACHE_MB: '0' });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await s3?.stop();
  dir?.remove();
});

describe('restarting the S3 server during a crawl', () => {
  it('the crawl fails or retries cleanly, the site keeps serving the previous index, the next crawl completes', async () => {
    const first = await crawl();
    expect(first).toMatchObject({ code: 0, summary: { status: 'succeeded' } });
    const before = await searchTotal();
    expect(before).toBe(120);

    // New experiments for the next crawl to read (metadata GETs through the slow proxy).
    await putObjects(client, bucket, Object.fromEntries(syntheticBucketObjects({ experiments: 300, filesPerExperiment: 2, seed: 12 })));
    const running = crawl();
    let crawlEnded = false;
    void running.then(() => (crawlEnded = true));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(crawlEnded).toBe(false);
    const totalsDuringCrawl: number[] = [];
    const restart = s3.restartGateway();
    while (!(await Promise.race([restart.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]))) {
      totalsDuringCrawl.push(await searchTotal());
    }
    const second = await running;
    // Retried through the restart, or stopped with a clear status; never a torn index.
    expect(['succeeded', 'partial', 'failed']).toContain(second.summary.status);
    expect(totalsDuringCrawl.length).toBeGreaterThan(0);
    // The site answered throughout, from the previous index or one the crawl had committed since.
    for (const total of totalsDuringCrawl) expect(total).toBeGreaterThanOrEqual(before);
    const db = openTempIndex(dir.path);
    expect(integrityCheck(db)).toBe('ok');
    db.$client.close();

    const third = await crawl();
    expect(third).toMatchObject({ code: 0, summary: { status: 'succeeded' } });
    expect(await searchTotal()).toBe(420);
  });
});
