import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One crawl per index at a time, across processes and containers sharing the index's volume. The lock is
 * an exclusive SQLite transaction on a file beside the index: the operating system drops it when its
 * process ends, however it ends, so a killed crawl never leaves a stale lock behind.
 */
export function acquireCrawlLock(databasePath: string): { release(): void } | null {
  mkdirSync(dirname(databasePath), { recursive: true });
  const lock = new Database(`${databasePath}.crawl-lock`);
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  return {
    release: () => {
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}
