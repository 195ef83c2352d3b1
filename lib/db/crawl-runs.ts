import type Database from 'better-sqlite3';
import type { CrawlKind } from './schema';
import { perConnection } from './prepared';

/**
 * What the crawler's runs tell the site and the scheduler. A run that finished with some experiments
 * unread (`partial`) still brought the index up to date with everything else: it counts as good.
 */
export const GOOD_CRAWL_STATUSES = ['succeeded', 'partial'] as const;

const lastGoodFinish = perConnection((sqlite: Database.Database) =>
  sqlite
    .prepare(`SELECT max(finished_at) FROM crawl_runs WHERE kind = ? AND status IN (${GOOD_CRAWL_STATUSES.map((s) => `'${s}'`).join(', ')})`)
    .pluck(),
);

/**
 * When the last good run of this kind finished (ms since the epoch), or null when none has: of a full crawl
 * (how stale the index can be, deletions included) or of a recent pass (how late a new experiment can be).
 */
export function lastGoodCrawlFinishedAt(sqlite: Database.Database, kind: CrawlKind = 'full'): number | null {
  return lastGoodFinish(sqlite).get(kind) as number | null;
}

const indexedPath = perConnection((sqlite: Database.Database) => sqlite.prepare('SELECT 1 FROM experiments WHERE path = ?').pluck());

/** Whether the index holds the experiment at this path: what the scheduler answers after a pass over its folder. */
export function isIndexed(sqlite: Database.Database, path: string): boolean {
  return indexedPath(sqlite).get(path) !== undefined;
}
