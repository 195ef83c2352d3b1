import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';

/** Creates `bucket` and fills it, 16 PUTs at a time. */
export async function uploadObjects(client: S3Client, bucket: string, objects: Map<string, string | Uint8Array>): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const limit = pLimit(16);
  await Promise.all([...objects].map(([key, body]) => limit(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })))));
}
