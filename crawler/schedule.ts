import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ConfigError, getConfig, getCrawlSchedule, getDatabasePath, getWakeSettings } from '../lib/config';
import { isIndexed, lastGoodCrawlFinishedAt } from '../lib/db/crawl-runs';
import { jsonLogger } from '../lib/log';
import { FolderQueue, startWakeServer } from './wake-server';

/**
 * `npm run crawl:schedule`: the crawler on a timer, for a long-running crawler service (docker-compose.yml).
 * The first crawl starts at once when the index has no successful crawl, then one every
 * CRAWL_INTERVAL_HOURS after the last successful one finished; in between, a recent pass (`--recent`: the
 * folders dated within CRAWL_RECENT_DAYS) every CRAWL_RECENT_SECONDS, so a new experiment is searchable
 * within about that long. With CRAWL_WAKE_LISTEN, a pass over one folder when the site asks for it
 * (crawler/wake-server.ts), before anything else. Each run is a process of its own, run one after another,
 * and the crawl lock (crawler/lock.ts) keeps manual or cron runs from overlapping them too.
 */

const HOUR = 3600_000;

/** When the next crawl is due: now when the index has never been crawled successfully or the interval has passed. */
export function nextCrawlAt(lastGoodFinishedAt: number | null, intervalMs: number, now: number): number {
  return lastGoodFinishedAt === null ? now : Math.max(now, lastGoodFinishedAt + intervalMs);
}

export interface ScheduleState {
  /** When the last good full crawl and recent pass finished (ms), and when this scheduler last started a pass. */
  lastFull: number | null;
  lastRecent: number | null;
  lastRecentAttempt: number | null;
}

/**
 * What runs next, and when: the full crawl when it is due before the next recent pass; else a recent pass
 * `recentMs` after the latest of the last good run of either kind and the last attempt (a failing pass is
 * not retried at once). `recentMs` 0: no recent passes.
 */
export function nextRun(state: ScheduleState, intervalMs: number, recentMs: number, now: number): { kind: 'full' | 'recent'; at: number } {
  const full = nextCrawlAt(state.lastFull, intervalMs, now);
  if (recentMs === 0 || state.lastFull === null) return { kind: 'full', at: full };
  const recent = Math.max(now, Math.max(state.lastFull, state.lastRecent ?? 0, state.lastRecentAttempt ?? 0) + recentMs);
  return full <= recent ? { kind: 'full', at: full } : { kind: 'recent', at: recent };
}

/** Reads the index without holding it open between runs; `fallback` when it has no tables yet. */
function readIndex<T>(databasePath: string, read: (db: Database.Database) => T, fallback: T): T {
  if (!existsSync(databasePath)) return fallback;
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } catch {
    // A new index without the table yet: never crawled.
    return fallback;
  } finally {
    db.close();
  }
}

const lastGoodRuns = (databasePath: string): Pick<ScheduleState, 'lastFull' | 'lastRecent'> =>
  readIndex(databasePath, (db) => ({ lastFull: lastGoodCrawlFinishedAt(db, 'full'), lastRecent: lastGoodCrawlFinishedAt(db, 'recent') }), {
    lastFull: null,
    lastRecent: null,
  });

let running: ChildProcess | undefined;

/** The crawler CLI as a child process: the TypeScript source in development, the bundle beside this file in the image. */
async function crawlOnce(args: string[]): Promise<number | null> {
  const source = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(source ? './cli.ts' : './crawler.mjs', import.meta.url));
  running = spawn(process.execPath, [...(source ? ['--import', 'tsx'] : []), entry, ...args], { stdio: 'inherit' });
  const [code] = (await once(running, 'exit')) as [number | null];
  running = undefined;
  return code;
}

// A sleep the wake endpoint can end early.
let wakeUp = () => {};
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wakeUp = () => {
      clearTimeout(timer);
      resolve();
    };
  });

async function main(): Promise<void> {
  let databasePath: string;
  let schedule: ReturnType<typeof getCrawlSchedule>;
  let wake: ReturnType<typeof getWakeSettings>;
  let prefixes: string[] = [];
  try {
    databasePath = getDatabasePath();
    schedule = getCrawlSchedule();
    wake = getWakeSettings();
    if (wake.listen) prefixes = getConfig().prefixes;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  const interval = schedule.intervalHours * HOUR;
  const recentMs = schedule.recentSeconds * 1000;
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
  const queue = new FolderQueue();
  if (wake.listen && wake.secret) {
    const server = await startWakeServer({ ...wake.listen, secret: wake.secret, prefixes, queue, onAsk: () => wakeUp() });
    logger.info({ port: server.port }, 'wake endpoint listening');
  }
  let announced = 0;
  let lastRecentAttempt: number | null = null;
  while (!stopping) {
    const folders = queue.pending();
    if (folders.length > 0) {
      const code = await crawlOnce(folders.flatMap((folder) => ['--folder', folder]));
      logger[code === 0 ? 'debug' : 'warn']({ exitCode: code, folders: folders.length }, 'folder pass ended');
      queue.settle(folders, (folder) => readIndex(databasePath, (db) => isIndexed(db, folder), false));
      continue;
    }
    const next = nextRun({ ...lastGoodRuns(databasePath), lastRecentAttempt }, interval, recentMs, Date.now());
    if (next.at > Date.now()) {
      // Recent passes come every minute or so: only the full crawl's time is worth a line.
      if (next.kind === 'full' && announced !== next.at) logger.info({ at: new Date(next.at).toISOString() }, 'next crawl scheduled');
      if (next.kind === 'full') announced = next.at;
      // Wakes at least every minute, so a crawl run by hand in between moves the schedule, and when a changed
      // folder held back (FolderQueue.changed) may be passed over.
      await sleep(Math.min(next.at - Date.now(), 60_000, queue.nextDueIn() ?? Number.POSITIVE_INFINITY));
      continue;
    }
    if (next.kind === 'recent') {
      lastRecentAttempt = Date.now();
      const code = await crawlOnce(['--recent', String(schedule.recentDays)]);
      logger[code === 0 ? 'debug' : 'warn']({ exitCode: code }, 'recent pass ended');
      continue;
    }
    logger.info('crawl starting');
    const code = await crawlOnce([]);
    logger[code === 0 ? 'info' : 'warn']({ exitCode: code }, 'crawl ended');
    // A failed crawl leaves the last good one in place: wait a tenth of the interval before trying again.
    if (code !== 0 && !stopping) await sleep(interval / 10);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
