import type Database from 'better-sqlite3';
import { perConnection } from './prepared';

const dataVersionStatement = perConnection((sqlite: Database.Database) => sqlite.prepare('PRAGMA data_version').pluck());

/** PRAGMA data_version: it moves when another connection (the crawler) commits. */
function dataVersion(sqlite: Database.Database): number {
  return dataVersionStatement(sqlite).get() as number;
}

/** A value derived from the index (see derivedFromIndex). */
export interface DerivedFromIndex<T> {
  (sqlite: Database.Database, maxStaleMs: number): T;
  /**
   * Whether the value last given on this connection is of the index as it is now: false while it is held
   * past another connection's commit. What is computed from a held value must not be kept beyond it.
   */
  isCurrent(sqlite: Database.Database): boolean;
}

/**
 * A value derived from the index, held until another connection commits and then for what remains of
 * `maxStaleMs` since it was derived. A crawl commits every few dozen experiments; deriving again at each
 * commit (a catalog reload, every cached search answer) made searches queue behind the crawler.
 */
export function derivedFromIndex<T>(derive: (sqlite: Database.Database) => T): DerivedFromIndex<T> {
  let held: { connection: Database.Database; version: number; derivedAt: number; value: T } | undefined;
  const get = (sqlite: Database.Database, maxStaleMs: number) => {
    const version = dataVersion(sqlite);
    const now = performance.now();
    if (!held || held.connection !== sqlite || (held.version !== version && now - held.derivedAt >= maxStaleMs)) {
      held = { connection: sqlite, version, derivedAt: now, value: derive(sqlite) };
    }
    return held.value;
  };
  return Object.assign(get, {
    isCurrent: (sqlite: Database.Database) => held !== undefined && held.connection === sqlite && held.version === dataVersion(sqlite),
  });
}
