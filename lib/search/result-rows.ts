import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { resultRows, type ResultRow } from '../db/search-queries';
import type { Catalog } from './catalog';

/**
 * The rows of a page's experiments, kept with the catalog (so until the index changes, as its facets and
 * totals are) for the next page that shows them: people typing a word see mostly the same experiments at
 * each keystroke. Over 6,000 of bench:search's typed keystrokes past the second, on one thread with this
 * bound, 90 % of the rows a page showed had been read before and 85 % of the pages read none. Reading them
 * had cost 14 % of such a search, and milliseconds more for a row whose pages the OS had dropped from its
 * cache. Bounded in bytes per search thread.
 */

const CACHE_BYTES = 32 * 1024 * 1024;
// A row's numbers and the object around them, roughly; its strings are counted as 2 bytes a code unit.
const ROW_OVERHEAD_BYTES = 200;

function sizeOf(row: ResultRow): number {
  let units = 0;
  for (const value of Object.values(row)) if (typeof value === 'string') units += value.length;
  return ROW_OVERHEAD_BYTES + 2 * units;
}

const cacheOf = new WeakMap<Catalog, LRUCache<number, ResultRow>>();

function cache(catalog: Catalog): LRUCache<number, ResultRow> {
  let held = cacheOf.get(catalog);
  if (!held) {
    held = new LRUCache({ maxSize: CACHE_BYTES, sizeCalculation: sizeOf });
    cacheOf.set(catalog, held);
  }
  return held;
}

/** The rows of these experiments that the index has, by id; those not kept are read in one query. */
export function keptResultRows(sqlite: Database.Database, catalog: Catalog, ids: number[]): Map<number, ResultRow> {
  const rows = cache(catalog);
  const found = new Map<number, ResultRow>();
  const missing: number[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (row) found.set(id, row);
    else missing.push(id);
  }
  if (missing.length)
    for (const row of resultRows(sqlite, missing)) {
      rows.set(row.id, row);
      found.set(row.id, row);
    }
  return found;
}
