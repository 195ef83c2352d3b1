import type { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '../lib/api/health';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient } from './support/s3';

let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;

const health = async () => {
  const response = GET();
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      problems: string[];
      experiments: number;
      migrations: { applied: number; known: number };
      lastCrawl: { status: string } | null;
    },
  };
};

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'health');
  await putObjects(client, bucket, { 'ephys/2024-01-01-e-one/metadata.json': '{"notes": {"purpose": "health"}}' });
  dir = tempDir('health');
  Object.assign(process.env, { DATABASE_PATH: join(dir.path, 'search.db'), S3_BUCKET: bucket, HEALTH_MAX_CRAWL_AGE_HOURS: '6' });
});

afterAll(() => {
  dir?.remove();
  client?.destroy();
});

describe('GET /api/health', () => {
  it('is 503 while the index is empty, 200 after a crawl, 503 at once when a crawl fails, and when the last good crawl is too old', async () => {
    const empty = await health();
    expect(empty.status).toBe(503);
    expect(empty.body.problems).toContain('no experiments are indexed: no crawl has finished yet');
    expect(empty.body.migrations.applied).toBe(empty.body.migrations.known);

    // The crawler writes through its own connection, as in production.
    const crawler = openTempIndex(dir.path);
    expect((await crawlInto(crawler, bucket)).status).toBe('succeeded');
    const fresh = await health();
    expect(fresh).toMatchObject({ status: 200, body: { ok: true, problems: [], experiments: 1, lastCrawl: { status: 'succeeded' } } });

    // A crawl that fails is reported at once, with its reason, though the index is still fresh.
    const failed = await crawlInto(crawler, `${bucket}-missing`);
    expect(failed.status).toBe('failed');
    const broken = await health();
    expect(broken.status).toBe(503);
    expect(broken.body.problems.join(' ')).toMatch(/^the last crawl \(started \d{4}-.*\) failed: cannot list s3:\/\/.*-missing\/.*NoSuchBucket/);
    expect((await crawlInto(crawler, bucket)).status).toBe('succeeded');
    expect((await health()).status).toBe(200);

    crawler.$client.prepare('UPDATE crawl_runs SET finished_at = finished_at - ?').run(7 * 3600_000);
    crawler.$client.close();
    const stale = await health();
    expect(stale.status).toBe(503);
    expect(stale.body.problems.join(' ')).toMatch(/last successful crawl finished 7\.0 h ago, more than 6 h/);
  });
});
