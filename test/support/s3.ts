import { DeleteObjectsCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { Config } from '../../lib/config';

import { s3ConfigFor } from './s3-objects';

export { createTestBucket, putObjects } from './s3-objects';

export function testS3() {
  return inject('s3');
}

export function testClient(endpoint = testS3().endpoint): S3Client {
  const s3 = testS3();
  return new S3Client({
    endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}

/** The configuration the crawler would get from the environment, pointed at the test server. */
export function testConfig(bucket: string, overrides: { endpoint?: string; maxAttempts?: number } = {}): Config['s3'] {
  const { endpoint = testS3().endpoint, maxAttempts = 3 } = overrides;
  return s3ConfigFor({ endpoint, region: testS3().region }, bucket, { maxAttempts });
}

/** Environment for running the crawler CLI as a child process against the test server. */
export function testEnv(bucket: string, databasePath: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const s3 = testS3();
  return {
    NODE_ENV: 'test',
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: bucket,
    S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    DATABASE_PATH: databasePath,
    ...extra,
  };
}
