import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '../lib/api/data';
import { crawl } from '../crawler/crawl';
import { objectUuid } from '../lib/db/crawl-store';
import { createS3Client, leastPrivilegePolicy, presignGet } from '../lib/s3';
import { startRadosgw, type RadosgwServer } from '../scripts/radosgw';
import { openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects } from './support/s3';
import { s3ConfigFor } from './support/s3-objects';

/**
 * The site and the crawler with credentials of their own on radosgw, each granted by leastPrivilegePolicy
 * only what it uses: everything they do works, and nothing else (no write, no delete; no listing for the
 * site). Its own radosgw, to create users on it.
 */

const KEY = 'ephys/2024-02-02-e-least_privilege/shared/recording.nwb';
const BYTES = Buffer.from(Array.from({ length: 4096 }, (_, i) => i & 0xff));

type Keys = { accessKeyId: string; secretAccessKey: string };

let server: RadosgwServer;
let owner: S3Client;
let bucket: string;
let web: Keys & { arn: string };
let crawler: Keys & { arn: string };
let dir: ReturnType<typeof tempDir>;

const clientOf = (keys: Keys) =>
  new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, maxAttempts: 1, credentials: keys });
const asEnv = (keys: Keys) => Object.assign(process.env, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ name: 'AccessDenied' });

beforeAll(async () => {
  server = await startRadosgw();
  owner = clientOf(server);
  bucket = await createTestBucket(owner, 'privilege');
  await putObjects(owner, bucket, { 'ephys/2024-02-02-e-least_privilege/metadata.json': '{"notes":{"purpose":"least privilege"}}', [KEY]: BYTES });
  [web, crawler] = await Promise.all([server.createUser('search-web'), server.createUser('search-crawler')]);
  await owner.send(
    new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(leastPrivilegePolicy(bucket, { web: web.arn, crawler: crawler.arn })) }),
  );
  dir = tempDir('privilege');
}, 120_000);

afterAll(async () => {
  owner?.destroy();
  dir?.remove();
  await server?.stop();
});

const config = () => s3ConfigFor(server, bucket, { maxAttempts: 1, presignTtlSeconds: 600 });

describe('separate, least-privilege credentials', () => {
  it('the crawler indexes the bucket with its own, and cannot write or delete', async () => {
    asEnv(crawler);
    const db = openTempIndex(dir.path);
    const s3 = createS3Client(config());
    const summary = await crawl({ db, s3, bucket }, { prefixes: ['ephys'], concurrency: 4, rebuild: false, dryRun: false });
    s3.client.destroy();
    db.$client.close();
    expect(summary).toMatchObject({ status: 'succeeded', experiments: { new: 1 }, objects: 2 });
    const client = clientOf(crawler);
    await refused(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ephys/planted.txt', Body: 'x' })));
    await refused(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: KEY })));
    client.destroy();
  });

  it('the site serves files with its own (a presigned URL, and streamed), and cannot list, write or delete', async () => {
    asEnv(web);
    const signer = createS3Client(config());
    const url = await presignGet(signer.client, { bucket, key: KEY, expiresIn: 600 });
    signer.client.destroy();
    const direct = await fetch(url, { headers: { Range: 'bytes=0-99' } });
    expect(Buffer.from(await direct.arrayBuffer()).equals(BYTES.subarray(0, 100))).toBe(true);

    Object.assign(process.env, { DATABASE_PATH: join(dir.path, 'search.db'), S3_BUCKET: bucket, S3_ENDPOINT: server.endpoint, DATA_MODE: 'proxy' });
    const uuid = objectUuid(bucket, KEY);
    const streamed = await GET(new NextRequest(`http://localhost/data/${uuid}`, { headers: { Range: 'bytes=100-199' } }), {
      params: Promise.resolve({ uuid }),
    });
    expect(streamed.status).toBe(206);
    expect(Buffer.from(await streamed.arrayBuffer()).equals(BYTES.subarray(100, 200))).toBe(true);

    const client = clientOf(web);
    await refused(client.send(new ListObjectsV2Command({ Bucket: bucket })));
    await refused(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ephys/planted.txt', Body: 'x' })));
    await refused(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: KEY })));
    // And the owner's object is as it was.
    const still = await owner.send(new GetObjectCommand({ Bucket: bucket, Key: KEY }));
    expect(Buffer.from(await still.Body!.transformToByteArray()).equals(BYTES)).toBe(true);
    client.destroy();
  });
});
