import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRadosgw, type RadosgwServer } from '../scripts/radosgw';
import { classifyS3Request, startS3Proxy, type S3Operation, type S3Proxy } from '../scripts/s3-proxy';

// Starts its own server rather than the shared one from global-setup: one test restarts the gateway.
const HOOK_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 30_000;
const BUCKET = 'support-test';

let server: RadosgwServer;
let startupMs = 0;
const proxies: S3Proxy[] = [];

function client(endpoint: string, secretAccessKey = server.secretAccessKey): S3Client {
  return new S3Client({
    endpoint,
    region: server.region,
    forcePathStyle: true,
    // One attempt: a fault injected by the proxy must surface, not be retried away.
    maxAttempts: 1,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey },
  });
}

async function proxy(options: Omit<Parameters<typeof startS3Proxy>[0], 'target'> = {}): Promise<S3Proxy> {
  const started = await startS3Proxy({ target: server.endpoint, ...options });
  proxies.push(started);
  return started;
}

function counts(partial: Partial<Record<S3Operation, number>>): Record<S3Operation, number> {
  return { ListObjects: 0, GetObject: 0, HeadObject: 0, PutObject: 0, DeleteObject: 0, Other: 0, ...partial };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

async function roundTrip(s3: S3Client, key: string, body: string | Uint8Array): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));
  expect(listing.Contents?.map((o) => o.Key)).toEqual([key]);
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = await got.Body?.transformToByteArray();
  expect(Buffer.from(bytes ?? []).equals(Buffer.from(body))).toBe(true);
}

beforeAll(async () => {
  const started = performance.now();
  server = await startRadosgw();
  startupMs = performance.now() - started;
  await client(server.endpoint).send(new CreateBucketCommand({ Bucket: BUCKET }));
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await server?.stop();
}, HOOK_TIMEOUT_MS);

describe('radosgw', () => {
  it('starts on loopback within seconds', () => {
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    console.info(`radosgw cold start: ${Math.round(startupMs)} ms`);
    expect(startupMs).toBeLessThan(20_000);
  });

  it(
    'puts, lists and gets an object',
    async () => {
      await roundTrip(client(server.endpoint), 'direct/metadata.json', '{"ok":true}');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects a wrong secret key with 403 SignatureDoesNotMatch',
    async () => {
      const error = await rejection(client(server.endpoint, 'wrong-secret').send(new ListObjectsV2Command({ Bucket: BUCKET })));
      expect(error).toBeInstanceOf(S3ServiceException);
      expect((error as S3ServiceException).name).toBe('SignatureDoesNotMatch');
      expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(403);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps its objects across a gateway restart',
    async () => {
      const s3 = client(server.endpoint);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'restart/a', Body: 'a' }));
      await server.restartGateway();
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'restart/' }));
      expect(listing.Contents?.map((o) => o.Key)).toEqual(['restart/a']);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('s3 proxy', () => {
  it(
    'forwards signed requests and counts them per operation',
    async () => {
      const p = await proxy();
      const s3 = client(p.endpoint);
      await roundTrip(s3, 'proxied/metadata.json', '{"via":"proxy"}');
      await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'proxied/metadata.json' }));
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'proxied/metadata.json' }));
      expect(p.counts()).toEqual(counts({ PutObject: 1, ListObjects: 1, GetObject: 1, HeadObject: 1, DeleteObject: 1 }));
      expect(p.faulted()).toBe(0);
      p.resetCounts();
      expect(p.counts()).toEqual(counts({}));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'streams a large body both ways',
    async () => {
      const p = await proxy();
      await roundTrip(client(p.endpoint), 'proxied/large.bin', randomBytes(8 * 1024 * 1024));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'still lets radosgw reject a wrong secret key',
    async () => {
      const p = await proxy();
      const error = await rejection(client(p.endpoint, 'wrong-secret').send(new ListObjectsV2Command({ Bucket: BUCKET })));
      expect((error as S3ServiceException).name).toBe('SignatureDoesNotMatch');
      expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(403);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 503 SlowDown without reaching the server when failRate is 1',
    async () => {
      const p = await proxy({ failRate: 1 });
      const s3 = client(p.endpoint);
      const error = await rejection(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'direct/metadata.json' })));
      expect((error as S3ServiceException).name).toBe('SlowDown');
      expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(503);
      // A PUT that never reaches the server leaves no object behind.
      await rejection(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'faulted/never', Body: 'x' })));
      expect(p.counts()).toEqual(counts({ GetObject: 1, PutObject: 1 }));
      expect(p.faulted()).toBe(2);
      const listing = await client(server.endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'faulted/' }));
      expect(listing.KeyCount).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'drops the connection without an answer when dropRate is 1',
    async () => {
      const p = await proxy({ dropRate: 1 });
      const error = await rejection(client(p.endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET })));
      expect(error).not.toBeInstanceOf(S3ServiceException);
      expect(p.counts()).toEqual(counts({ ListObjects: 1 }));
      expect(p.faulted()).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'adds the configured delay and can change faults at run time',
    async () => {
      const p = await proxy({ delayMs: 150 });
      const s3 = client(p.endpoint);
      let started = performance.now();
      await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 1 }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      p.setFaults({ delayMs: 0, failRate: 1 });
      started = performance.now();
      await rejection(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 1 })));
      expect(performance.now() - started).toBeLessThan(140);
      expect(() => p.setFaults({ failRate: 2 })).toThrow(RangeError);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'injects the same faults for the same seed',
    async () => {
      const outcomes = async (seed: number): Promise<boolean[]> => {
        const p = await proxy({ failRate: 0.5, seed });
        const s3 = client(p.endpoint);
        const results: boolean[] = [];
        // Sequential, so requests reach the proxy in the same order in both runs.
        for (let i = 0; i < 12; i++) {
          results.push(
            await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'direct/metadata.json' })).then(
              () => true,
              () => false,
            ),
          );
        }
        return results;
      };
      const first = await outcomes(42);
      expect(first).toContain(true);
      expect(first).toContain(false);
      expect(await outcomes(42)).toEqual(first);
    },
    TEST_TIMEOUT_MS,
  );

  it('classifies requests by method, path and query', () => {
    expect(classifyS3Request('GET', '/b?list-type=2&prefix=a%2F&max-keys=1')).toBe('ListObjects');
    expect(classifyS3Request('GET', '/b/')).toBe('ListObjects');
    expect(classifyS3Request('GET', '/b?cors')).toBe('Other');
    expect(classifyS3Request('GET', '/b/k/x.json?x-id=GetObject')).toBe('GetObject');
    expect(classifyS3Request('GET', '/b/k?X-Amz-Signature=abc&x-amz-checksum-mode=ENABLED')).toBe('GetObject');
    expect(classifyS3Request('GET', '/b/k?tagging')).toBe('Other');
    expect(classifyS3Request('HEAD', '/b/k')).toBe('HeadObject');
    expect(classifyS3Request('HEAD', '/b')).toBe('Other');
    expect(classifyS3Request('PUT', '/b/k?x-id=PutObject')).toBe('PutObject');
    expect(classifyS3Request('PUT', '/b/k', { 'x-amz-copy-source': '/b/j' })).toBe('Other');
    expect(classifyS3Request('PUT', '/b/k?partNumber=1&uploadId=u')).toBe('Other');
    expect(classifyS3Request('DELETE', '/b/k')).toBe('DeleteObject');
    expect(classifyS3Request('PUT', '/b')).toBe('Other');
    expect(classifyS3Request('GET', '/')).toBe('Other');
  });
});
