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
  /**
   * Catalog rows, in the text index's order (a set without ranks: in the catalog's, which only counting and
   * marking read); experiments the catalog does not know yet are left out.
   */
  rows: Int32Array;
  /** bm25 rank of each row (lower is better), once asked for; null for a set too large to rank. */
  ranks: Float64Array | null;
}

/**
 * A set as kept: a large unranked one as a bit per catalog row (12.5 KB at 100,000 experiments, where its rows
 * took up to 400 KB), so that the cache holds the sets of every prefix people are typing rather than
 * building most of them again (over the typing workload, a third of the search threads' time went to it).
 */
type KeptSet = MatchSet | { bits: Uint32Array; size: number };

const cacheOf = new WeakMap<Catalog, LRUCache<string, KeptSet>>();

function cache(catalog: Catalog): LRUCache<string, KeptSet> {
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
  const kept = sets.get(expression);
  let set = kept && 'bits' in kept ? { rows: rowsOfBits(kept.bits, kept.size), ranks: null } : kept;
  if (!set) {
    set = rowsOf(catalog, runFts(sqlite, { kind: 'experimentIds', expression }), null);
    sets.set(expression, compacted(set, catalog.ids.length));
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

/** An unranked set as bits when they take less room than its rows. */
function compacted(set: MatchSet, catalogRows: number): KeptSet {
  if (set.ranks || set.rows.length * 32 < catalogRows) return set;
  const bits = new Uint32Array(Math.ceil(catalogRows / 32));
  for (const row of set.rows) bits[row >>> 5]! |= 1 << (row & 31);
  return { bits, size: set.rows.length };
}

/** The rows whose bits are set, in row order. */
function rowsOfBits(bits: Uint32Array, size: number): Int32Array {
  const rows = new Int32Array(size);
  let count = 0;
  for (let word = 0; word < bits.length; word++) {
    for (let left = bits[word]!; left !== 0; ) {
      const lowest = left & -left;
      rows[count++] = (word << 5) | (31 - Math.clz32(lowest));
      left ^= lowest;
    }
  }
  return rows;
}
