import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '../lib/api/data';
import { objectUuid } from '../lib/db/crawl-store';
import { getObjectRange, RangeMismatchError } from '../lib/s3';
import { crawlInto, openTempIndex, tempDir } from './support/index';

/**
 * An S3-compatible server that answers some ranges wrongly: s3rver (the demo's server) sends the whole
 * object, as `206 bytes 0-999999/1000000`, when asked for `bytes=0-0`. Readers must notice, not trust it.
 */

const BUCKET = 'ranges';
const KEY = 'ephys/2024-01-01-e-ranges/shared/file.nwb';
const BYTES = Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));

let server: { run(): Promise<{ port: number }>; close(callback: () => void): void };
let directory: string;
let client: S3Client;
let etag: string;
let index: ReturnType<typeof tempDir>;
let endpoint: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'bgs-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  etag = (await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: BYTES }))).ETag!.replaceAll('"', '');
  // s3rver knows only its own credentials; this file's crawl and app use them.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  index = tempDir('s3rver');
  const db = openTempIndex(index.path);
  expect((await crawlInto(db, BUCKET, { endpoint })).status).toBe('succeeded');
  db.$client.close();
  Object.assign(process.env, { DATABASE_PATH: join(index.path, 'search.db'), S3_BUCKET: BUCKET, S3_ENDPOINT: endpoint, DATA_MODE: 'proxy' });
});

afterAll(async () => {
  client?.destroy();
  index?.remove();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  rmSync(directory, { recursive: true, force: true });
});

describe('a server that ignores a range', () => {
  it('is really one: s3rver answers bytes=0-0 with the whole object', async () => {
    const answer = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, Range: 'bytes=0-0' }));
    expect(answer.ContentRange).toBe(`bytes 0-${BYTES.length - 1}/${BYTES.length}`);
    await answer.Body!.transformToWebStream().cancel();
  });

  it('getObjectRange refuses the answer instead of reading it into memory, and reads ranges it honours', async () => {
    await expect(getObjectRange(client, BUCKET, KEY, etag, 0, 0)).rejects.toThrow(RangeMismatchError);
    expect(Buffer.from(await getObjectRange(client, BUCKET, KEY, etag, 5, 104)).equals(BYTES.subarray(5, 105))).toBe(true);
    await expect(getObjectRange(client, BUCKET, KEY, etag, 10, 9)).rejects.toThrow(/not a range/);
  });
});

describe('/data/<uuid> streamed from a server that ignores a range', () => {
  const get = (headers: Record<string, string>) => {
    const uuid = objectUuid(BUCKET, KEY);
    return GET(new NextRequest(`http://localhost/data/${uuid}`, { headers }), { params: Promise.resolve({ uuid }) });
  };

  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=1000-1999', 1000, 1999],
    [`bytes=-1`, BYTES.length - 1, BYTES.length - 1],
  ])('sends exactly the %s asked for, cut from what S3 sent', async (range, start, end) => {
    const response = await get({ Range: range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${BYTES.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(BYTES.subarray(start, end + 1))).toBe(true);
  });
});
