/**
 * `npm run s3:events -- --endpoint http://crawler:3001`: makes the bucket (radosgw) tell the crawl scheduler of
 * every object created or removed, at its wake endpoint (`CRAWL_WAKE_LISTEN`), with `CRAWL_WAKE_SECRET` in the
 * path radosgw posts to (it sends no headers of ours). Uses the crawler's S3 settings: it needs the right to
 * create topics and set the bucket's notifications, which the site's credentials never have.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, getConfig, getWakeSettings } from '../lib/config';
import { createS3Client, describeS3Error } from '../lib/s3';
import { subscribeToBucketEvents } from '../lib/s3-events';
import { reportStartupError } from './startup-error';

const flags = z.object({ endpoint: z.url({ protocol: /^https?$/, error: 'must be the scheduler’s http(s) address' }) });

async function main(): Promise<number> {
  let config: ReturnType<typeof getConfig>;
  let endpoint: string;
  let secret: string | undefined;
  try {
    const { values } = parseArgs({ options: { endpoint: { type: 'string' } }, strict: true });
    endpoint = flags.parse(values).endpoint;
    config = getConfig();
    secret = getWakeSettings().secret;
    if (!secret) throw new ConfigError('CRAWL_WAKE_SECRET is required: the scheduler checks it');
  } catch (error) {
    return reportStartupError(error);
  }
  const s3 = createS3Client(config.s3);
  try {
    const { topicArn } = await subscribeToBucketEvents(config.s3, s3.client, new URL(`/s3-events/${encodeURIComponent(secret)}`, endpoint).href);
    // The push endpoint holds the secret: only where it goes is printed.
    console.log(JSON.stringify({ bucket: config.s3.bucket, topicArn, endpoint: new URL('/s3-events/…', endpoint).href }));
    return 0;
  } catch (error) {
    console.error(`error: cannot set the notifications of s3://${config.s3.bucket}: ${describeS3Error(error)}`);
    return 1;
  } finally {
    s3.client.destroy();
  }
}

main().then((code) => {
  process.exitCode = code;
});
