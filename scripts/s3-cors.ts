/**
 * `npm run s3:cors -- --origin https://search.example.org [--origin …]`: sets the bucket CORS that lets
 * browsers read files with Range requests from presigned URLs (see README). Uses the app's S3 settings.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { getConfig } from '../lib/config';
import { applyReaderCors, createS3Client, describeS3Error } from '../lib/s3';
import { reportStartupError } from './startup-error';

const flags = z.object({ origin: z.array(z.url({ protocol: /^https?$/, error: 'must be an http(s) origin' })).min(1, 'is required (one or more)') });

async function main(): Promise<number> {
  let config: ReturnType<typeof getConfig>;
  let allowed: string[];
  try {
    const { values } = parseArgs({ options: { origin: { type: 'string', multiple: true } }, strict: true });
    allowed = flags.parse({ origin: values.origin ?? [] }).origin.map((o) => new URL(o).origin);
    config = getConfig();
  } catch (error) {
    return reportStartupError(error);
  }
  const s3 = createS3Client(config.s3);
  try {
    const rules = await applyReaderCors(s3.client, config.s3.bucket, allowed);
    console.log(JSON.stringify({ bucket: config.s3.bucket, rules }));
    return 0;
  } catch (error) {
    console.error(`error: cannot set CORS on s3://${config.s3.bucket}: ${describeS3Error(error)}`);
    return 1;
  } finally {
    s3.client.destroy();
  }
}

main().then((code) => {
  process.exitCode = code;
});
