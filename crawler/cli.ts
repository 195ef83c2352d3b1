import { parseArgs } from 'node:util';
import { z } from 'zod';
import { firstIssue } from '../contracts/issues';
import { experimentFolder } from '../contracts/wake';
import { ConfigError, getConfig, getCrawlSchedule, recentDaysSchema } from '../lib/config';
import { openDatabase } from '../lib/db/index';
import { setProcessPriority } from '../lib/process-priority';
import { createS3Client } from '../lib/s3';
import { crawl } from './crawl';
import { acquireCrawlLock } from './lock';
import { createProgressReporter } from './progress';

const HELP = `Usage: npm run crawl -- [flags]

Lists the bucket, reads each experiment's metadata and brings the search index up to date.

Flags:
  --recent [DAYS]  a recent pass: only the folders dated within the last DAYS days (default
                   CRAWL_RECENT_DAYS, 3); nothing it did not list is touched, nothing is deleted
  --folder P       a pass over experiment folder P only (<prefix>/<folder name>; repeatable), as --recent
  --count N        index only the newest N experiments (by date in their uuid); nothing is deleted
  --prefix P       crawl only prefix P (repeatable; default: S3_PREFIXES)
  --concurrency N  parallel S3 requests (default 16)
  --delete         rebuild as if the index were empty: re-read all metadata, drop everything not found
  --dry-run        list and compare, report what would change; no metadata reads, no writes
  --help           show this help

Environment: S3_ENDPOINT, S3_BUCKET, S3_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, S3_REGION,
S3_FORCE_PATH_STYLE, S3_PREFIXES, S3_MAX_ATTEMPTS, DATABASE_PATH (see README.md).

Output: progress on stderr; one JSON summary line on stdout.
Only one crawl writes an index at a time: while another holds it, a crawl is skipped (status "skipped").
Exit codes: 0 done or skipped, 1 the run failed or some experiments could not be read, 2 bad flags or
environment.`;

const flagsSchema = z.object({
  recent: z.boolean().default(false),
  folder: z.array(experimentFolder).optional(),
  count: z.coerce.number({ error: 'must be a number' }).int().positive('must be at least 1').optional(),
  prefix: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a folder name like ephys')).optional(),
  concurrency: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1, 'must be between 1 and 256')
    .max(256, 'must be between 1 and 256')
    .default(16),
  delete: z.boolean().default(false),
  'dry-run': z.boolean().default(false),
  help: z.boolean().default(false),
});

function parseFlags(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      recent: { type: 'boolean' },
      folder: { type: 'string', multiple: true },
      count: { type: 'string' },
      prefix: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      delete: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    // Only --recent takes a value that may be left out: its days, as the one positional argument.
    allowPositionals: true,
  });
  if (positionals.length > (values.recent ? 1 : 0)) throw new UsageError(`unexpected argument: ${positionals.at(-1)}`);
  const result = flagsSchema.safeParse(values);
  if (!result.success) throw new UsageError(firstIssue(result.error, { prefix: '--' }));
  const flags = result.data;
  if ((flags.recent || flags.folder) && (flags.count !== undefined || flags.delete))
    throw new UsageError(`--${flags.recent ? 'recent' : 'folder'} cannot be combined with --count or --delete`);
  if (flags.recent && flags.folder) throw new UsageError('--recent and --folder are two kinds of pass: give one');
  const days = positionals[0] === undefined ? undefined : recentDaysSchema.safeParse(positionals[0]);
  if (days && !days.success) throw new UsageError(firstIssue(days.error, { fallback: '--recent' }));
  return { ...flags, days: days?.data };
}

class UsageError extends Error {}

const CRAWL_NICENESS = 10;

async function main(): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\nRun with --help for usage.`);
    return 2;
  }
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  let config: ReturnType<typeof getConfig>;
  let recentDays: number | undefined;
  try {
    config = getConfig();
    if (flags.recent) recentDays = flags.days ?? getCrawlSchedule().recentDays;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const prefixes = flags.prefix ?? config.prefixes;
  const outside = flags.folder?.find((folder) => !prefixes.includes(folder.slice(0, folder.indexOf('/'))));
  if (outside !== undefined) {
    console.error(`error: --folder ${outside} is not in a crawled prefix (${prefixes.join(', ')})`);
    return 2;
  }
  // Background work: on a machine shared with the site, searches and pages come first. Where that is not
  // permitted (some container runtimes), the crawl runs at normal priority.
  setProcessPriority(CRAWL_NICENESS);
  // A dry run writes nothing and may run beside a crawl.
  const lock = flags['dry-run'] ? { release: () => {} } : acquireCrawlLock(config.databasePath);
  if (!lock) {
    console.error('another crawl is writing this index; this one is skipped');
    console.log(JSON.stringify({ status: 'skipped' }));
    return 0;
  }
  const db = openDatabase(config.databasePath);
  const s3 = createS3Client(config.s3, { maxSockets: flags.concurrency });
  const progress = createProgressReporter(process.stderr);
  // Node's warnings (the AWS SDK's Node version notice among them) as warnings of the run.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => progress.warn(warning.message));
  const summary = await crawl(
    { db, s3, bucket: config.s3.bucket, onProgress: progress.update, onWarning: progress.warn },
    {
      prefixes,
      concurrency: flags.concurrency,
      count: flags.count,
      recentDays,
      folders: flags.folder,
      rebuild: flags.delete,
      dryRun: flags['dry-run'],
    },
  );
  progress.stop();
  s3.client.destroy();
  db.$client.close();
  lock.release();
  if (summary.error) progress.fail(summary.error);
  console.log(JSON.stringify(summary));
  return summary.status === 'succeeded' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
