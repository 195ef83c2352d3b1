import type { S3Client } from '@aws-sdk/client-s3';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '../lib/api/data';
import { objectUuid } from '../lib/db/crawl-store';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { createTestBucket, testClient, testS3 } from './support/s3';

// DATA_MODE=proxy: the app streams the bytes itself. 110 MB that differ everywhere, made in place.
const SIZE = 110 * 1024 * 1024;
const BIG = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i += 4) BIG.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
const KEY = 'ephys/2024-01-01-e-big_recording/shared/big.nwb';

let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;
let uuid: string;

const get = (headers: Record<string, string> = {}, signal?: AbortSignal) =>
  GET(new NextRequest(`http://localhost/data/${uuid}`, { headers, signal }), { params: Promise.resolve({ uuid }) });

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'proxy');
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: BIG }));
  dir = tempDir('proxy');
  const db = openTempIndex(dir.path);
  expect((await crawlInto(db, bucket)).status).toBe('succeeded');
  db.$client.close();
  uuid = objectUuid(bucket, KEY);
  Object.assign(process.env, { DATABASE_PATH: join(dir.path, 'search.db'), S3_BUCKET: bucket, S3_ENDPOINT: testS3().endpoint, DATA_MODE: 'proxy' });
});

afterAll(() => {
  dir?.remove();
  client?.destroy();
});

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('/data/<uuid> with DATA_MODE=proxy', () => {
  it.each([
    ['the start', 'bytes=0-1048575', 0, 1048575],
    ['the middle', 'bytes=57671680-57737215', 57671680, 57737215],
    ['the end', `bytes=${SIZE - 4096}-${SIZE - 1}`, SIZE - 4096, SIZE - 1],
    ['an open-ended range', `bytes=${SIZE - 100}-`, SIZE - 100, SIZE - 1],
    ['a suffix range', 'bytes=-5000', SIZE - 5000, SIZE - 1],
  ])('serves %s as a 206 with the right bytes', async (_, range, start, end) => {
    const response = await get({ Range: range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect((await bytesOf(response)).equals(BIG.subarray(start, end + 1))).toBe(true);
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const response = await get({ Range: `bytes=${SIZE}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${SIZE}`);
  });

  it('streams the whole file without a range', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    const digest = (b: Buffer) => b.subarray(0, 64).toString('hex') + b.length;
    expect(digest(await bytesOf(response))).toBe(digest(BIG));
  });

  it('stops the S3 read when the client goes away (no connection is left behind)', async () => {
    // The app's S3 client keeps at most 50 connections: leaked streams would exhaust it and the last read hang.
    for (let i = 0; i < 60; i++) {
      const controller = new AbortController();
      const response = await get({}, controller.signal);
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      controller.abort();
      await reader.cancel();
    }
    const after = await get({ Range: 'bytes=0-15' });
    expect((await bytesOf(after)).equals(BIG.subarray(0, 16))).toBe(true);
  }, 60_000);

  it('judges If-None-Match, If-Match and If-Range against the indexed ETag', async () => {
    const etag = (await get({ Range: 'bytes=0-0' })).headers.get('etag')!;
    expect((await get({ 'If-None-Match': etag })).status).toBe(304);
    expect((await get({ 'If-Match': '"another-version"' })).status).toBe(412);
    const current = await get({ 'If-Range': etag, Range: 'bytes=10-19' });
    expect([current.status, current.headers.get('content-length')]).toEqual([206, '10']);
    await current.arrayBuffer();
    // If-Range naming another version: the whole file, not a range of a version the client does not have.
    const stale = await get({ 'If-Range': '"another-version"', Range: 'bytes=10-19' });
    expect([stale.status, stale.headers.get('content-length')]).toEqual([200, String(SIZE)]);
    await stale.body!.cancel();
  });

  it('sends a download as an attachment under the file name', async () => {
    const response = await GET(new NextRequest(`http://localhost/data/${uuid}?download=1`, { headers: { Range: 'bytes=0-3' } }), {
      params: Promise.resolve({ uuid }),
    });
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="big.nwb"; filename*=UTF-8''big.nwb`);
    await response.arrayBuffer();
  });

  it('refuses to serve an object replaced since the crawl', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: 'replaced' }));
    const response = await get({ Range: 'bytes=0-7' });
    expect(response.status).toBe(409);
    expect((await response.json()).error.message).toMatch(/changed in the bucket since it was indexed/);
  });
});
