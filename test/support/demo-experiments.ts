import type { S3Client } from '@aws-sdk/client-s3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS } from '../../scripts/demo-bucket/catalog';
import { generateDemoObjects, type DemoObject } from '../../scripts/demo-bucket/index';
import { uploadDemoObjects } from '../../scripts/demo-bucket/upload';
import { createTestBucket } from './s3';

/**
 * The demo's files of these experiments (`<prefix>/<uuid>`), generated into a cache kept between runs (they
 * are the same bytes every time) and uploaded to a new test bucket.
 */
export async function uploadDemoExperiments(client: S3Client, label: string, paths: string[]): Promise<{ bucket: string; objects: DemoObject[] }> {
  const objects = await generateDemoObjects({
    cacheDir: join(tmpdir(), 'bgs-demo-files'),
    experiments: EXPERIMENTS.filter((e) => paths.includes(`${e.prefix}/${e.uuid}`)),
  });
  const bucket = await createTestBucket(client, label);
  await uploadDemoObjects(client, bucket, objects);
  return { bucket, objects };
}
