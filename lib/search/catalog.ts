import type Database from 'better-sqlite3';
import { FILTER_NAMES, type FilterName } from '../../contracts/filters';
import { derivedFromIndex } from '../db/index-derived';
import { catalogRows } from '../db/search-queries';

/**
 * The few columns every search filters and counts facets on, for all experiments, held in memory.
 * Filtering and counting a match set of 30,000 rows in typed arrays takes a millisecond; five GROUP BY
 * passes in SQLite took tens at 100,000 experiments. Reloaded after the crawler commits, at
 * most once per `maxStaleMs`: a reload blocks the process (0.4 s at 100,000 experiments).
 */
export interface Catalog {
  /** Row index by experiment id. */
  indexOf: Map<number, number>;
  ids: Int32Array;
  /** Dates as yyyymmdd numbers (0: unknown), for cheap comparisons. */
  dates: Int32Array;
  years: Int16Array;
  /** Row indices, newest first (date, then id, descending): date-ordered pages walk it instead of sorting. */
  newestFirst: Int32Array;
  /** Facet value codes per row (index into `values`; -1: none). */
  codes: Record<FilterName, Int32Array>;
  values: Record<FilterName, string[]>;
}

/** `maxStaleMs`: how long after the crawler commits the catalog loaded before may still be used. */
export const getCatalog = derivedFromIndex(loadCatalog);

function loadCatalog(sqlite: Database.Database): Catalog {
  const rows = catalogRows(sqlite);
  const catalog: Catalog = {
    indexOf: new Map(),
    ids: new Int32Array(rows.length),
    dates: new Int32Array(rows.length),
    years: new Int16Array(rows.length),
    newestFirst: new Int32Array(rows.length),
    codes: Object.fromEntries(FILTER_NAMES.map((f) => [f, new Int32Array(rows.length)])) as Record<FilterName, Int32Array>,
    values: Object.fromEntries(FILTER_NAMES.map((f) => [f, []])) as unknown as Record<FilterName, string[]>,
  };
  const lookup = Object.fromEntries(FILTER_NAMES.map((f) => [f, new Map<string, number>()])) as Record<FilterName, Map<string, number>>;
  rows.forEach((row, i) => {
    const [id, date] = row;
    catalog.indexOf.set(id, i);
    catalog.ids[i] = id;
    catalog.dates[i] = date;
    catalog.years[i] = Math.floor(date / 10_000);
    for (let f = 0; f < FILTER_NAMES.length; f++) {
      const facet = FILTER_NAMES[f]!;
      const value = row[2 + f] as string | null;
      if (value === null) {
        catalog.codes[facet][i] = -1;
        continue;
      }
      let code = lookup[facet].get(value);
      if (code === undefined) {
        code = catalog.values[facet].push(value) - 1;
        lookup[facet].set(value, code);
      }
      catalog.codes[facet][i] = code;
    }
  });
  const order = Array.from(catalog.ids.keys()).sort((a, b) => catalog.dates[b]! - catalog.dates[a]! || catalog.ids[b]! - catalog.ids[a]!);
  catalog.newestFirst.set(order);
  return catalog;
}
