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

/**
 * Catalog rows matched, leaving out experiments the catalog does not know yet: with their bm25 ranks (lower is
 * better, once asked for) in the text index's order, or, when too large to rank, as a bit per catalog row
 * where that takes less room (12.5 KB at 100,000 experiments, where the rows took up to 400 KB), so that a
 * thread's cache holds the sets of every prefix people are typing rather than building most of them again
 * (over the typing workload, a third of the search threads' time went to it).
 */
export type MatchSet = { rows: Int32Array; ranks: Float64Array | null } | { bits: Uint32Array; size: number; ranks: null };

const sizeOf = (set: MatchSet): number => ('bits' in set ? set.size : set.rows.length);

/** `visit` with each row of the set and its index in the set, in the set's order. */
export function forEachRow(set: MatchSet, visit: (row: number, index: number) => void): void {
  if ('rows' in set) {
    for (let i = 0; i < set.rows.length; i++) visit(set.rows[i]!, i);
    return;
  }
  let index = 0;
  for (let word = 0; word < set.bits.length; word++) {
    for (let left = set.bits[word]!; left !== 0; ) {
      const lowest = left & -left;
      visit((word << 5) | (31 - Math.clz32(lowest)), index++);
      left ^= lowest;
    }
  }
}

const cacheOf = new WeakMap<Catalog, LRUCache<string, MatchSet>>();

function cache(catalog: Catalog): LRUCache<string, MatchSet> {
  let held = cacheOf.get(catalog);
  if (!held) {
    held = new LRUCache({
      maxSize: CACHE_BYTES,
      sizeCalculation: (set, expression) =>
        ('bits' in set ? set.bits.byteLength : set.rows.byteLength + (set.ranks?.byteLength ?? 0)) + 2 * expression.length,
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
    set = compacted(rowsOf(catalog, runFts(sqlite, { kind: 'experimentIds', expression }), null), catalog.ids.length);
    sets.set(expression, set);
  }
  if (ranked && set.ranks === null && sizeOf(set) <= MAX_RANKED_MATCHES) {
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
function rowsOf(catalog: Catalog, ids: number[], ranks: number[] | null): MatchSet & { rows: Int32Array } {
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

/** An unranked set as bits when they take less room than its rows. */
function compacted(set: MatchSet & { rows: Int32Array }, catalogRows: number): MatchSet {
  if (set.ranks || set.rows.length * 32 < catalogRows) return set;
  const bits = new Uint32Array(Math.ceil(catalogRows / 32));
  for (const row of set.rows) bits[row >>> 5]! |= 1 << (row & 31);
  return { bits, size: set.rows.length, ranks: null };
}
