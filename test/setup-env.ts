import { inject } from 'vitest';

// In-process crawls get credentials the way production does: from the SDK's default chain (env here).
const s3 = inject('s3');
if (s3) {
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
}
