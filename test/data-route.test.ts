import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as fileInfo } from '../lib/api/files';
import { GET, HEAD } from '../lib/api/data';
import { objectUuid } from '../lib/db/crawl-store';
import { openDatabase } from '../lib/db/index';
import { applyReaderCors, createS3Client, presignGet } from '../lib/s3';
import { startS3Proxy, type S3Proxy } from '../scripts/s3-proxy';
import { FILE_READERS, filesApiAnswer } from '../contracts/files-api';
import { getConfig } from '../lib/config';
import { nwbFixture } from './support/fixtures';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient, testConfig, testS3 } from './support/s3';

const NWB = nwbFixture('ecephys-kilosort-gzip.nwb');
// 3 MiB that differ everywhere, so a wrong range cannot pass for a right one.
const BIG = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7919 + (i >> 11)) & 0xff));
const EXPERIMENT = 'ephys/2023-05-05-e-nwb_fixture';
const NWB_KEY = `${EXPERIMENT}/shared/ecephys-kilosort-gzip.nwb`;
const BIG_KEY = `${EXPERIMENT}/original/data/recording.raw.h5`;
// A browser resolves the `..` of a presigned URL away and would ask S3 for `<experiment>/dots.txt`.
const DOTS_KEY = `${EXPERIMENT}/odd/../dots.txt`;

let client: S3Client;
let bucket: string;
let proxy: S3Proxy;
let dir: ReturnType<typeof tempDir>;

const context = (uuid: string) => ({ params: Promise.resolve({ uuid }) });
const appRequest = (path: string, method = 'GET') => new NextRequest(`http://localhost${path}`, { method });
const s3Requests = () => Object.values(proxy.counts()).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'data');
  await putObjects(client, bucket, {
    [`${EXPERIMENT}/metadata.json`]: '{"notes": {"purpose": "fixture"}}',
    [NWB_KEY]: NWB,
    [BIG_KEY]: BIG,
    [DOTS_KEY]: 'bytes behind a dot segment',
  });
  dir = tempDir('data');
  const db = openTempIndex(dir.path);
  expect((await crawlInto(db, bucket)).status).toBe('succeeded');
  db.$client.close();
  // The app's S3 traffic goes through a counting proxy, which is also the endpoint browsers are sent to.
  proxy = await startS3Proxy({ target: testS3().endpoint });
  Object.assign(process.env, {
    DATABASE_PATH: join(dir.path, 'search.db'),
    S3_BUCKET: bucket,
    S3_ENDPOINT: proxy.endpoint,
    S3_PUBLIC_ENDPOINT: proxy.endpoint,
  });
});

afterAll(async () => {
  await proxy?.stop();
  dir?.remove();
  client?.destroy();
});

describe('/data/<file uuid>', () => {
  it('answers HEAD from the index alone', async () => {
    const before = s3Requests();
    const response = await HEAD(appRequest(`/data/${objectUuid(bucket, NWB_KEY)}`, 'HEAD'), context(objectUuid(bucket, NWB_KEY)));
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'accept-ranges': 'bytes',
      'content-length': String(NWB.length),
      'content-type': 'application/x-hdf5',
      etag: `"${createHash('md5').update(NWB).digest('hex')}"`,
    });
    expect(new Date(response.headers.get('last-modified')!).getTime()).toBeGreaterThan(Date.now() - 3_600_000);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(s3Requests()).toBe(before);
  });

  it('redirects GET to a presigned URL that serves ranges straight from S3', async () => {
    const uuid = objectUuid(bucket, BIG_KEY);
    const before = s3Requests();
    const response = await GET(appRequest(`/data/${uuid}`), context(uuid));
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('private, max-age=1800');
    expect(s3Requests()).toBe(before);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${proxy.endpoint}/${bucket}/`)).toBe(true);

    const first = await fetch(location, { headers: { Range: 'bytes=0-1048575' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-1048575/${BIG.length}`);
    expect(Buffer.from(await first.arrayBuffer()).equals(BIG.subarray(0, 1048576))).toBe(true);
    const middle = await fetch(location, { headers: { Range: 'bytes=2000000-2000099' } });
    expect(Buffer.from(await middle.arrayBuffer()).equals(BIG.subarray(2000000, 2000100))).toBe(true);
  });

  it('answers a HEAD or GET whose If-None-Match names the indexed version with 304, and asks S3 nothing', async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const before = s3Requests();
    const etag = `"${createHash('md5').update(NWB).digest('hex')}"`;
    for (const method of ['HEAD', 'GET'] as const) {
      const request = new NextRequest(`http://localhost/data/${uuid}`, { method, headers: { 'If-None-Match': etag } });
      const response = await (method === 'HEAD' ? HEAD : GET)(request, context(uuid));
      expect([method, response.status, response.headers.get('etag')]).toEqual([method, 304, etag]);
    }
    const mismatch = await HEAD(
      new NextRequest(`http://localhost/data/${uuid}`, { method: 'HEAD', headers: { 'If-Match': '"elsewhere"' } }),
      context(uuid),
    );
    expect(mismatch.status).toBe(412);
    expect(s3Requests()).toBe(before);
  });

  it('streams a key with a dot segment through the app, since no URL can name it, and gives readers that address', async () => {
    const uuid = objectUuid(bucket, DOTS_KEY);
    const response = await GET(new NextRequest(`http://localhost/data/${uuid}`, { headers: { Range: 'bytes=0-4' } }), context(uuid));
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('bytes');
    const info = await (await fileInfo(appRequest(`/api/files/${uuid}`), context(uuid))).json();
    expect(info).toMatchObject({ key: DOTS_KEY, url: `/data/${uuid}` });
  });

  it('makes S3 send the file as an attachment with ?download=1', async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const response = await GET(appRequest(`/data/${uuid}?download=1`), context(uuid));
    const file = await fetch(response.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="ecephys-kilosort-gzip.nwb"/);
    expect(Buffer.from(await file.arrayBuffer()).equals(NWB)).toBe(true);
  });

  it('is refused by S3 when the URL is tampered with or expired', async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const location = (await GET(appRequest(`/data/${uuid}`), context(uuid))).headers.get('location')!;
    const url = new URL(location);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    expect((await fetch(url)).status).toBe(403);
    const otherKey = new URL(location);
    otherKey.pathname = otherKey.pathname.replace('ecephys-kilosort-gzip.nwb', 'other.nwb');
    expect((await fetch(otherKey)).status).toBe(403);

    const signer = createS3Client(testConfig(bucket, { endpoint: proxy.endpoint }));
    const shortLived = await presignGet(signer.client, { bucket, key: NWB_KEY, expiresIn: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await fetch(shortLived)).status).toBe(403);
    signer.client.destroy();
  });

  it.each([
    ['not-a-uuid', 400],
    ['..', 400],
    ['..%2F..%2Fetc%2Fpasswd', 400],
    [`${'a'.repeat(5000)}`, 400],
    ['ephys%2F2023-05-05-e-nwb_fixture%2Fmetadata.json', 400],
    ['6ba7b810-9dad-51d1-80b4-00c04fd430c8', 404],
  ])('refuses %s with %i and asks S3 nothing', async (id, status) => {
    const before = s3Requests();
    for (const handler of [GET, HEAD]) {
      const response = await handler(appRequest(`/data/${id}`), context(decodeURIComponent(id)));
      expect(response.status).toBe(status);
    }
    expect(s3Requests()).toBe(before);
  });
});

describe('/api/files/<file uuid>', () => {
  it('gives a reader everything in one request', async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const response = await fileInfo(appRequest(`/api/files/${uuid}`), context(uuid));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      uuid,
      key: NWB_KEY,
      size: NWB.length,
      contentType: 'application/x-hdf5',
      experiment: { prefix: 'ephys', uuid: '2023-05-05-e-nwb_fixture', path: EXPERIMENT },
    });
    expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(3_500_000);
    const head = await fetch(body.url, { headers: { Range: 'bytes=0-7' } });
    expect(Buffer.from(await head.arrayBuffer())).toEqual(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(body).not.toHaveProperty('manifest');
    // What the file holds, as the crawler summarised it, checked as the viewer checks it.
    expect(filesApiAnswer.parse(body).summary).toMatchObject({
      format: 'nwb',
      nwb: { version: '2.4.0', units: 13, spikes: 788, electrodes: 10 },
      series: [{ type: 'ElectricalSeries', shape: [100, 10], rate: 2500 }],
    });
    expect(body.unreadable).toBeNull();
  });

  it("adds the bytes of the file's structure with ?manifest=1, only for the indexed version", async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const answer = async (path: string) => (await fileInfo(appRequest(path), context(uuid))).json();
    const { manifest } = await answer(`/api/files/${uuid}?manifest=1`);
    const ranges = manifest.ranges as [number, number][];
    expect(ranges.length).toBeGreaterThan(1);
    expect(Buffer.from(manifest.bytes, 'base64')).toEqual(Buffer.concat(ranges.map(([start, length]) => NWB.subarray(start, start + length))));

    // A manifest of another version of the object is never handed out.
    const db = openDatabase(process.env.DATABASE_PATH!);
    try {
      db.$client.prepare("UPDATE hdf5_manifests SET etag = 'older' WHERE object_id = (SELECT id FROM objects WHERE uuid = ?)").run(uuid);
      expect((await answer(`/api/files/${uuid}?manifest=1`)).manifest).toBeNull();
    } finally {
      db.$client.prepare('UPDATE hdf5_manifests SET etag = (SELECT etag FROM objects WHERE id = object_id)').run();
      db.$client.close();
    }
    // Not HDF5: no manifest.
    const big = objectUuid(bucket, BIG_KEY);
    expect((await (await fileInfo(appRequest(`/api/files/${big}?manifest=1`), context(big))).json()).manifest).toBeNull();

    const bad = await fileInfo(appRequest(`/api/files/${uuid}?manifest=yes`), context(uuid));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe('manifest must be 0 or 1');
  });

  it('gives readers reading side by side URLs of their own, each good for the file, none longer-lived', async () => {
    const uuid = objectUuid(bucket, NWB_KEY);
    const answers = await Promise.all(
      [0, 1, FILE_READERS - 1].map(async (reader) => (await fileInfo(appRequest(`/api/files/${uuid}?reader=${reader}`), context(uuid))).json()),
    );
    const urls = answers.map((a) => a.url as string);
    expect(new Set(urls).size).toBe(3);
    const lifetimes = urls.map((url) => Number(new URL(url).searchParams.get('X-Amz-Expires')));
    expect(lifetimes[0]).toBe(getConfig().s3.presignTtlSeconds);
    expect(lifetimes).toEqual([lifetimes[0], lifetimes[0]! - 1, lifetimes[0]! - (FILE_READERS - 1)]);
    for (const url of urls) {
      const ranged = await fetch(url, { headers: { Range: 'bytes=0-7' } });
      expect(ranged.status).toBe(206);
      expect(Buffer.from(await ranged.arrayBuffer())).toEqual(NWB.subarray(0, 8));
    }
    for (const reader of ['-1', String(FILE_READERS), '1.5', 'x']) {
      const refused = await fileInfo(appRequest(`/api/files/${uuid}?reader=${reader}`), context(uuid));
      expect(refused.status, reader).toBe(400);
      expect((await refused.json()).error.message).toBe(`reader must be a whole number from 0 to ${FILE_READERS - 1}`);
    }
  });
});

describe('bucket CORS for browser readers (npm run s3:cors)', () => {
  const origin = 'http://search.example.org';

  it("lets the app's origin read ranges and see the range headers, and no other origin", async () => {
    const rules = await applyReaderCors(client, bucket, [origin]);
    expect(rules[0]).toMatchObject({ AllowedOrigins: [origin], AllowedMethods: expect.arrayContaining(['GET', 'HEAD']) });
    const uuid = objectUuid(bucket, BIG_KEY);
    const location = (await GET(appRequest(`/data/${uuid}`), context(uuid))).headers.get('location')!;

    const preflight = await fetch(location, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('range');

    const ranged = await fetch(location, { headers: { Origin: origin, Range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('access-control-allow-origin')).toBe(origin);
    const exposed = ranged.headers.get('access-control-expose-headers')!.toLowerCase();
    for (const header of ['content-range', 'content-length', 'accept-ranges', 'etag']) expect(exposed).toContain(header);

    const stranger = await fetch(location, { headers: { Origin: 'http://elsewhere.example', Range: 'bytes=10-19' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});
