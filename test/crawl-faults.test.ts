import type { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../lib/db/index';
import { startS3Proxy } from '../scripts/s3-proxy';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { runCli } from './support/cli';
import { crawlInto, dumpIndex, integrityCheck, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient, testEnv, testS3 } from './support/s3';

const EXPERIMENTS = 240;
let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;
let cleanDump: ReturnType<typeof dumpIndex>;

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'faults');
  await putObjects(client, bucket, Object.fromEntries(syntheticBucketObjects({ experiments: EXPERIMENTS, filesPerExperiment: 4 })));
  dir = tempDir('faults');
  const clean = openTempIndex(dir.path, 'clean.db');
  const summary = await crawlInto(clean, bucket);
  expect(summary.experiments.new).toBe(EXPERIMENTS);
  cleanDump = dumpIndex(clean);
  clean.$client.close();
});

afterAll(() => {
  dir?.remove();
  client?.destroy();
});

describe('the crawler under faults', () => {
  it('with 20% of requests answered 503, retries until the index equals a clean crawl', async () => {
    const proxy = await startS3Proxy({ target: testS3().endpoint, failRate: 0.2, seed: 7 });
    const db = openTempIndex(dir.path, 'flaky.db');
    try {
      const summary = await crawlInto(db, bucket, { endpoint: proxy.endpoint, maxAttempts: 10 });
      expect(summary.status).toBe('succeeded');
      expect(proxy.faulted()).toBeGreaterThan(20);
      // Every attempt is counted, so the retries show up in the run's request counts.
      const attempts = Object.values(summary.s3Requests).reduce((a, b) => a + b, 0);
      expect(attempts).toBe(Object.values(proxy.counts()).reduce((a, b) => a + b, 0));
      expect(dumpIndex(db)).toEqual(cleanDump);
      expect(integrityCheck(db)).toBe('ok');
    } finally {
      db.$client.close();
      await proxy.stop();
    }
  });

  it('with dropped connections, retries until the index equals a clean crawl', async () => {
    const proxy = await startS3Proxy({ target: testS3().endpoint, dropRate: 0.1, seed: 11 });
    const db = openTempIndex(dir.path, 'dropped.db');
    try {
      const summary = await crawlInto(db, bucket, { endpoint: proxy.endpoint, maxAttempts: 10 });
      expect(summary.status).toBe('succeeded');
      expect(proxy.faulted()).toBeGreaterThan(5);
      expect(dumpIndex(db)).toEqual(cleanDump);
    } finally {
      db.$client.close();
      await proxy.stop();
    }
  });

  it('killed with SIGKILL halfway leaves a consistent index that the next run completes', async () => {
    const proxy = await startS3Proxy({ target: testS3().endpoint, delayMs: 15 });
    const path = join(dir.path, 'killed.db');
    const env = testEnv(bucket, path, { S3_ENDPOINT: proxy.endpoint });
    try {
      const killed = await runCli(['--concurrency', '2'], env, (kill) => {
        const reader = setInterval(() => {
          try {
            const watcher = openDatabase(path, { readonly: true });
            const indexed = watcher.$client.prepare('SELECT count(*) FROM experiments').pluck().get() as number;
            watcher.$client.close();
            if (indexed >= EXPERIMENTS / 3) {
              clearInterval(reader);
              kill();
            }
          } catch {
            // The file or its tables do not exist yet.
          }
        }, 20);
      });
      expect(killed.signal).toBe('SIGKILL');

      const db = openDatabase(path);
      const partial = db.$client.prepare('SELECT count(*) FROM experiments').pluck().get() as number;
      expect(partial).toBeGreaterThanOrEqual(EXPERIMENTS / 3);
      expect(partial).toBeLessThan(EXPERIMENTS);
      expect(integrityCheck(db)).toBe('ok');
      // Each experiment was written whole: its object rows match its recorded object count.
      const torn = db.$client
        .prepare('SELECT count(*) FROM experiments e WHERE object_count != (SELECT count(*) FROM objects o WHERE o.experiment_id = e.id)')
        .pluck()
        .get();
      expect(torn).toBe(0);
      db.$client.close();

      const rerun = await runCli([], env);
      expect(rerun.code).toBe(0);
      const summary = JSON.parse(rerun.stdout);
      expect(summary.experiments).toMatchObject({ new: EXPERIMENTS - partial, unchanged: partial, failed: 0 });
      const after = openDatabase(path);
      expect(dumpIndex(after)).toEqual(cleanDump);
      const statuses = after.$client.prepare('SELECT status FROM crawl_runs ORDER BY id').pluck().all();
      expect(statuses).toEqual(['interrupted', 'succeeded']);
      after.$client.close();
    } finally {
      await proxy.stop();
    }
  });
});

/** The JSON objects among `text`'s lines. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the crawler CLI', () => {
  it('with a wrong secret key: a clear error, a non-zero exit and the index untouched', async () => {
    const path = join(dir.path, 'wrong-key.db');
    const ok = await runCli([], testEnv(bucket, path));
    expect(ok.code).toBe(0);
    const before = dumpIndex(openDatabase(path, { readonly: true }));
    const secret = 'definitely-not-the-secret-key-0123456789';
    const run = await runCli([], testEnv(bucket, path, { AWS_SECRET_ACCESS_KEY: secret }));
    expect(run.code).toBe(1);
    const failure = jsonLines(run.stderr).find((l) => l.level === 'error');
    expect(failure).toMatchObject({ msg: 'crawl failed' });
    expect(failure!.error).toMatch(/^cannot list s3:\/\/faults-[0-9a-f]+\/\w+\/: SignatureDoesNotMatch \(HTTP 403\): the secret key is wrong/);
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed' });
    const db = openDatabase(path, { readonly: true });
    expect(dumpIndex(db)).toEqual(before);
    db.$client.close();
  });

  it('logs progress on stderr as JSON lines and prints exactly one JSON summary line on stdout', async () => {
    const run = await runCli(['--count', '5', '--concurrency', '4'], testEnv(bucket, join(dir.path, 'cli.db')));
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(summary).toMatchObject({ status: 'succeeded', experiments: { new: 5, updated: 0, unchanged: 0, deleted: 0, failed: 0 } });
    // A GET per metadata document, and one per HDF5-named file, whose first block says it is not HDF5 (the
    // synthetic files are text).
    const index = openDatabase(join(dir.path, 'cli.db'), { readonly: true });
    const hdf5Named = index.$client.prepare("SELECT count(*) FROM objects WHERE key LIKE '%.nwb' OR key LIKE '%.h5'").pluck().get() as number;
    index.$client.close();
    expect(hdf5Named).toBeGreaterThan(0);
    expect(summary.s3Requests).toMatchObject({ GetObject: 5 + hdf5Named });
    expect(summary.manifests).toMatchObject({ built: 0, notHdf5: hdf5Named, unreadable: 0, failed: 0 });
    expect(typeof summary.seconds).toBe('number');
    expect(summary.oldestDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Without a terminal, every stderr line is one JSON object (warnings included).
    const records = jsonLines(run.stderr);
    expect(records.length).toBe(run.stderr.trim().split('\n').length);
    expect(records.at(-1)).toMatchObject({ level: 'info', msg: 'crawl progress', phase: 'manifests', experimentsDone: 5, experimentsListed: 5 });
  });

  it('refuses a missing bucket variable and bad flags with one line and exit code 2', async () => {
    const env = testEnv(bucket, join(dir.path, 'never.db'));
    delete env.S3_BUCKET;
    const missing = await runCli([], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('error: S3_BUCKET is required (the bucket to index, e.g. braingeneers)');

    const bad = await runCli(['--concurrency', 'lots'], testEnv(bucket, join(dir.path, 'never.db')));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency must be a number/);

    const unknown = await runCli(['--frobnicate'], testEnv(bucket, join(dir.path, 'never.db')));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);

    const help = await runCli(['--help'], testEnv(bucket, join(dir.path, 'never.db')));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--count N/);
  });
});
