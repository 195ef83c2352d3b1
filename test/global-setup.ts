import type { TestProject } from 'vitest/node';
import { startRadosgw } from '../scripts/radosgw';

export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: TestS3;
  }
}

/** One real S3 server (Ceph radosgw on 127.0.0.1) for the whole run; each test file uses its own buckets. */
export default async function setup(project: TestProject) {
  const server = await startRadosgw();
  project.provide('s3', {
    endpoint: server.endpoint,
    region: server.region,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  });
  return () => server.stop();
}
