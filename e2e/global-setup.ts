import { S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawl } from '../crawler/crawl';
import { openDatabase } from '../lib/db/index';
import { objectUuid } from '../lib/db/crawl-store';
import { applyReaderCors, createS3Client } from '../lib/s3';
import { startRadosgw } from '../scripts/radosgw';
import { EXPERIMENTS } from '../scripts/demo-bucket/catalog';
import { generateDemoObjects } from '../scripts/demo-bucket/index';
import { uploadDemoObjects } from '../scripts/demo-bucket/upload';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { fixtureBucketObjects } from '../test/support/fixture-bucket';
import { nwbFixture } from '../test/support/fixtures';
import { hostileBucket } from '../test/support/hostile-bucket';
import { createTestBucket, putObjects, s3ConfigFor } from '../test/support/s3-objects';
import { unsupportedFilterFile } from '../test/support/unsupported-filter';
import { hugeSeriesFile } from '../test/support/huge-series';
import { twoShankFile } from '../test/support/two-shank';
import {
  E2E_ALT_BASE_URL,
  E2E_BASE_URL,
  E2E_DELETED_KEY,
  E2E_EVENTS,
  E2E_FILTER_KEY,
  E2E_HALF_RATE,
  E2E_HUGE_KEY,
  E2E_NWB_KEY,
  E2E_PORT,
  E2E_REPLACED_KEY,
  E2E_TWO_SHANK_KEY,
  E2E_WAKE_PORT,
} from './server';

/**
 * The app as it runs in production (the standalone build) over an index crawled from radosgw. Needs
 * `next build` first; `npm test` does that.
 */
export default async function globalSetup() {
  if (!existsSync('.next/standalone/server.mjs')) throw new Error('no standalone build: run `npm run build` before the browser tests');
  const server = await startRadosgw();
  const dir = mkdtempSync(join(tmpdir(), 'bgs-e2e-'));
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  const bucket = await createTestBucket(client, 'e2e');
  await putObjects(client, bucket, (await hostileBucket({ seed: 12 })).objects);
  await putObjects(client, bucket, {
    ...fixtureBucketObjects(),
    ...Object.fromEntries(syntheticBucketObjects({ experiments: 60, filesPerExperiment: 4 })),
    [E2E_NWB_KEY]: nwbFixture('ecephys-kilosort-gzip.nwb'),
    [E2E_FILTER_KEY]: await unsupportedFilterFile(),
    [E2E_HUGE_KEY]: await hugeSeriesFile(),
    [E2E_TWO_SHANK_KEY]: await twoShankFile(),
    [E2E_REPLACED_KEY]: nwbFixture('ecephys-kilosort-gzip.nwb'),
    [E2E_DELETED_KEY]: nwbFixture('ecephys-kilosort-gzip.nwb'),
  });
  const demo = [E2E_HALF_RATE, E2E_EVENTS];
  await uploadDemoObjects(
    client,
    bucket,
    await generateDemoObjects({
      cacheDir: join(tmpdir(), 'bgs-demo-files'),
      experiments: EXPERIMENTS.filter((e) => demo.includes(`${e.prefix}/${e.uuid}`)),
    }),
  );
  // Browsers follow /data redirects to the bucket: it must allow the app's origin.
  await applyReaderCors(client, bucket, [E2E_BASE_URL, E2E_ALT_BASE_URL]);
  client.destroy();
  process.env.E2E_NWB_UUID = objectUuid(bucket, E2E_NWB_KEY);

  const env = {
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: bucket,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    DATABASE_PATH: join(dir, 'search.db'),
  };
  Object.assign(process.env, env);
  const db = openDatabase(env.DATABASE_PATH);
  const s3 = createS3Client(s3ConfigFor(server, bucket));
  const summary = await crawl(
    { db, s3, bucket },
    { prefixes: ['archive', 'ephys', 'fluidics', 'imaging', 'integrated'], concurrency: 8, rebuild: false, dryRun: false },
  );
  s3.client.destroy();
  db.$client.close();
  if (summary.status !== 'succeeded') throw new Error(`e2e crawl ${summary.status}: ${summary.error}`);

  // The crawler's scheduler, as in production: no crawl is due (the index was just crawled), no recent
  // passes, and a wake endpoint the app asks when a link names a folder the index does not hold yet.
  const wake = { CRAWL_WAKE_SECRET: 'the e2e wake secret', CRAWL_RECENT_SECONDS: '0' };
  const scheduler = spawn(process.execPath, ['.next/standalone/crawl-schedule.mjs'], {
    env: { ...process.env, ...env, ...wake, CRAWL_WAKE_LISTEN: `127.0.0.1:${E2E_WAKE_PORT}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const app = spawn('bash', ['scripts/start.sh'], {
    env: { ...process.env, ...env, ...wake, CRAWL_WAKE_URL: `http://127.0.0.1:${E2E_WAKE_PORT}`, BIND_ADDRESS: '127.0.0.1', PORT: String(E2E_PORT) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready')) resolve();
    });
    app.once('exit', (code) => reject(new Error(`the app exited with code ${code} before it was ready`)));
  });

  return async () => {
    scheduler.kill('SIGTERM');
    app.kill('SIGTERM');
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
