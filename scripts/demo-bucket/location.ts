/** Where `npm run demo` serves its bucket, as the README tells people who want to crawl it themselves. */

export const DEMO_BUCKET = 'braingeneers';
export const DEMO_S3_DEFAULT_PORT = 4568;
/** s3rver's fixed development credentials: they open nothing but the local server. */
export const DEMO_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
