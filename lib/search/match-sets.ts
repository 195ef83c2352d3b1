import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { runFts } from '../db/search-queries';
import type { Catalog } from './catalog';

/**
 * The experiments an FTS5 expression matches, as rows of the catalog, kept with the catalog (so until the
 * index changes) for every search that asks the same text again: people typing a word ask its first letters
 * with every facet and sort, and a first keystroke's match (`"s"*`, 100,000 experiments) costs 10 ms in
 * FTS5 whatever else the search asks. Bounded in bytes per search thread.
 */

// bm25 costs about a microsecond per matching row; above this many matches the results come newest
// first, which costs nothing (measured at 100,000 experiments: about 0.5 µs a row).
const MAX_RANKED_MATCHES = 10_000;
const CACHE_BYTES = 32 * 1024 * 1024;

export interface MatchSet {
  /** Catalog rows, in the text index's order; experiments the catalog does not know yet are left out. */
  rows: Int32Array;
  /** bm25 rank of each row (lower is better), once asked for; null for a set too large to rank. */
  ranks: Float64Array | null;
}

const cacheOf = new WeakMap<Catalog, LRUCache<string, MatchSet>>();

function cache(catalog: Catalog): LRUCache<string, MatchSet> {
  let held = cacheOf.get(catalog);
  if (!held) {
    held = new LRUCache({
      maxSize: CACHE_BYTES,
      sizeCalculation: (set, expression) => set.rows.byteLength + (set.ranks?.byteLength ?? 0) + 2 * expression.length,
    });
    cacheOf.set(catalog, held);
  }
  return held;
}

/** `expression` comes from parseSearchQuery; ranks are computed when `ranked` and the set is small enough. */
export function matchSet(sqlite: Database.Database, catalog: Catalog, expression: string, ranked: boolean): MatchSet {
  const sets = cache(catalog);
  let set = sets.get(expression);
  if (!set) {
    set = rowsOf(catalog, runFts(sqlite, { kind: 'experimentIds', expression }), null);
    sets.set(expression, set);
  }
  if (ranked && set.ranks === null && set.rows.length <= MAX_RANKED_MATCHES) {
    // Rows and ranks from one answer: the ids read before may be of an older version of the index.
    const ranks = runFts(sqlite, { kind: 'experimentRanks', expression });
    set = rowsOf(
      catalog,
      ranks.map(([id]) => id),
      ranks.map(([, rank]) => rank),
    );
    sets.set(expression, set);
  }
  return set;
}

/** The catalog rows of these experiments (with their ranks), leaving out those the catalog does not know. */
function rowsOf(catalog: Catalog, ids: number[], ranks: number[] | null): MatchSet {
  const rows = new Int32Array(ids.length);
  const kept = ranks ? new Float64Array(ids.length) : null;
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const row = catalog.rowOf[ids[i]!] ?? -1;
    if (row < 0) continue;
    rows[count] = row;
    if (kept) kept[count] = ranks![i]!;
    count++;
  }
  return { rows: rows.slice(0, count), ranks: kept?.slice(0, count) ?? null };
}
