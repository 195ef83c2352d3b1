import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';

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
