import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../lib/config';

// No vitest imports here: the browser tests' setup uses these too.

/** A fresh bucket with a unique name, so test files and tests never see each other's objects. */
export async function createTestBucket(client: S3Client, label: string): Promise<string> {
  const bucket = `${label}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function putObjects(client: S3Client, bucket: string, objects: Record<string, string | Uint8Array>, concurrency = 16): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(
    Object.entries(objects).map(([key, body]) => limit(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })))),
  );
}

/** The S3 settings the app and the crawler would read from the environment, for an S3 server on loopback. */
export function s3ConfigFor(server: { endpoint: string; region: string }, bucket: string, overrides: Partial<Config['s3']> = {}): Config['s3'] {
  return {
    endpoint: server.endpoint,
    publicEndpoint: server.endpoint,
    region: server.region,
    bucket,
    profile: undefined,
    forcePathStyle: true,
    maxAttempts: 3,
    presignTtlSeconds: 3600,
    ...overrides,
  };
}
