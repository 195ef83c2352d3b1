import { S3Client } from '@aws-sdk/client-s3';

/** The browser tests' bucket (e2e/global-setup.ts), reached behind the index's back. */
export const bucketClient = () =>
  new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
  });
