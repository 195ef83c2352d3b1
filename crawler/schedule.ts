import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ConfigError, getCrawlIntervalHours, getDatabasePath } from '../lib/config';
import { lastGoodCrawlFinishedAt } from '../lib/db/crawl-runs';
import { jsonLogger } from '../lib/log';

/**
 * `npm run crawl:schedule`: the crawler on a timer, for a long-running crawler service (docker-compose.yml).
 * The first crawl starts at once when the index has no successful crawl, then one every
 * CRAWL_INTERVAL_HOURS after the last successful one finished. Each crawl is a process of its own, run one
 * after another, and the crawl lock (crawler/lock.ts) keeps manual or cron runs from overlapping it too.
 */

const HOUR = 3600_000;

/** When the next crawl is due: now when the index has never been crawled successfully or the interval has passed. */
export function nextCrawlAt(lastGoodFinishedAt: number | null, intervalMs: number, now: number): number {
  return lastGoodFinishedAt === null ? now : Math.max(now, lastGoodFinishedAt + intervalMs);
}

function lastGoodCrawl(databasePath: string): number | null {
  if (!existsSync(databasePath)) return null;
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return lastGoodCrawlFinishedAt(db);
  } catch {
    // A new index without the table yet: never crawled.
    return null;
  } finally {
    db.close();
  }
}

let running: ChildProcess | undefined;

/** The crawler CLI as a child process: the TypeScript source in development, the bundle beside this file in the image. */
async function crawlOnce(): Promise<number | null> {
  const source = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(source ? './cli.ts' : './crawler.mjs', import.meta.url));
  running = spawn(process.execPath, source ? ['--import', 'tsx', entry] : [entry], { stdio: 'inherit' });
  const [code] = (await once(running, 'exit')) as [number | null];
  running = undefined;
  return code;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  let databasePath: string;
  let intervalHours: number;
  try {
    databasePath = getDatabasePath();
    intervalHours = getCrawlIntervalHours();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  const interval = intervalHours * HOUR;
  // stderr, as the crawls it starts log: their stdout is each run's summary.
  const logger = jsonLogger('stderr');
  let stopping = false;
  // Stopping passes the signal on to a running crawl (its open transaction rolls back; the next crawl marks
  // its run interrupted) and exits when it has; with no crawl running it exits at once.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      if (running) running.kill(signal);
      else process.exit(0);
    });
  }
  let announced = 0;
  while (!stopping) {
    const due = nextCrawlAt(lastGoodCrawl(databasePath), interval, Date.now());
    if (due > Date.now()) {
      if (announced !== due) logger.info({ at: new Date(due).toISOString() }, 'next crawl scheduled');
      announced = due;
      // Wakes at least every minute, so a crawl run by hand in between moves the schedule.
      await sleep(Math.min(due - Date.now(), 60_000));
      continue;
    }
    logger.info('crawl starting');
    const code = await crawlOnce();
    logger[code === 0 ? 'info' : 'warn']({ exitCode: code }, 'crawl ended');
    // A failed crawl leaves the last good one in place: wait a tenth of the interval before trying again.
    if (code !== 0 && !stopping) await sleep(interval / 10);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
