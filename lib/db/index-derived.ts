import type Database from 'better-sqlite3';
import { perConnection } from './prepared';

/**
 * What a derived value follows: `commits`, PRAGMA data_version, which moves whenever another connection (the
 * crawler) commits; `content`, the index's generation (schema.ts indexGeneration), which moves only when what
 * search shows does, and so not at a recent pass that found nothing new.
 */
export type IndexVersion = 'commits' | 'content';

const versionStatements = perConnection((sqlite: Database.Database) => ({
  commits: sqlite.prepare('PRAGMA data_version').pluck(),
  content: sqlite.prepare('SELECT generation FROM index_generation WHERE id = 1').pluck(),
}));

/** A value derived from the index (see derivedFromIndex). */
export interface DerivedFromIndex<T> {
  (sqlite: Database.Database, maxStaleMs: number): T;
  /**
   * How long what is computed from the value last given on this connection may be kept, in ms: Infinity while
   * that value is of the index as it is now (whoever keeps it follows the index), else what remains of its hold
   * past another connection's commit (0 once the next call derives it again). Kept longer, it would hide the
   * commit: until the next one, hours in production.
   */
  keepFor(sqlite: Database.Database): number;
  /** Whether a call with `maxStaleMs` on this connection would derive the value (again). */
  due(sqlite: Database.Database, maxStaleMs: number): boolean;
}

/**
 * A value derived from the index, held until the index changes as `follows` says and then for what remains of
 * `maxStaleMs` since it was derived. A crawl commits every few dozen experiments; deriving again at each
 * commit (a catalog reload, every cached search answer) made searches queue behind the crawler.
 */
export function derivedFromIndex<T>(derive: (sqlite: Database.Database) => T, follows: IndexVersion): DerivedFromIndex<T> {
  const versionNow = (sqlite: Database.Database) => versionStatements(sqlite)[follows].get() as number;
  let held: { connection: Database.Database; version: number; derivedAt: number; maxStaleMs: number; value: T } | undefined;
  const due = (sqlite: Database.Database, maxStaleMs: number, version = versionNow(sqlite), now = performance.now()) =>
    !held || held.connection !== sqlite || (held.version !== version && now - held.derivedAt >= maxStaleMs);
  const get = (sqlite: Database.Database, maxStaleMs: number) => {
    const version = versionNow(sqlite);
    const now = performance.now();
    if (!held || due(sqlite, maxStaleMs, version, now)) held = { connection: sqlite, version, derivedAt: now, maxStaleMs, value: derive(sqlite) };
    held.maxStaleMs = maxStaleMs;
    return held.value;
  };
  return Object.assign(get, {
    due: (sqlite: Database.Database, maxStaleMs: number) => due(sqlite, maxStaleMs),
    keepFor: (sqlite: Database.Database) => {
      if (held === undefined || held.connection !== sqlite) return 0;
      if (held.version === versionNow(sqlite)) return Infinity;
      return Math.max(0, held.derivedAt + held.maxStaleMs - performance.now());
    },
  });
}
