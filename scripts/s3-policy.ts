/**
 * `npm run s3:policy -- --web <principal> --crawler <principal> [--apply]`: the bucket policy that lets the
 * site only read objects and the crawler only list and read (lib/s3.ts leastPrivilegePolicy), printed; with
 * --apply, set on S3_BUCKET with the credentials of the environment (the bucket owner's). Setting it
 * replaces any policy the bucket has: print it first and merge by hand if there is one.
 */
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { firstIssue } from '../contracts/issues';
import { ConfigError, getConfig } from '../lib/config';
import { createS3Client, describeS3Error, leastPrivilegePolicy } from '../lib/s3';

const principal = z
  .string()
  .regex(/^arn:aws:iam::\d*:(user|role)\/[\w+=,.@/-]+$/, 'must be a principal ARN such as arn:aws:iam:::user/braingeneers-search-web');
const flags = z.object({ web: principal, crawler: principal, apply: z.boolean().default(false) });

async function main(): Promise<number> {
  let parsed: z.infer<typeof flags>;
  try {
    const { values } = parseArgs({ options: { web: { type: 'string' }, crawler: { type: 'string' }, apply: { type: 'boolean' } }, strict: true });
    const result = flags.safeParse(values);
    if (!result.success) throw new Error(firstIssue(result.error, { prefix: '--' }));
    parsed = result.data;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const policy = leastPrivilegePolicy(config.s3.bucket, parsed);
  console.log(JSON.stringify(policy, null, 2));
  if (!parsed.apply) return 0;
  const s3 = createS3Client(config.s3);
  try {
    await s3.client.send(new PutBucketPolicyCommand({ Bucket: config.s3.bucket, Policy: JSON.stringify(policy) }));
    console.error(`set on s3://${config.s3.bucket}`);
    return 0;
  } catch (error) {
    console.error(`error: cannot set the policy of s3://${config.s3.bucket}: ${describeS3Error(error)}`);
    return 1;
  } finally {
    s3.client.destroy();
  }
}

main().then((code) => {
  process.exitCode = code;
});
