import type Database from 'better-sqlite3';
import { FILTER_NAMES, FILTERS, MEASURE_NAMES, type FilterName, type FilterSpec, type MeasureName } from '../../contracts/filters';
import { derivedFromIndex } from '../db/index-derived';
import { catalogRows, type CatalogRow } from '../db/search-queries';
import { listOf } from '../recordings/facts';

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
  /** Each filter's values per row, as codes (indices into `values`). */
  codes: Record<FilterName, RowLists<Int32Array>>;
  values: Record<FilterName, string[]>;
  /** Each measure's values per row: one (or none) for a largest, any number for a list. */
  measures: Record<MeasureName, RowLists<Float64Array>>;
}

/** Lists per row, packed: row r's are `items[starts[r]]` up to `items[starts[r + 1]]`, excluded. */
export interface RowLists<T extends Int32Array | Float64Array> {
  starts: Int32Array;
  items: T;
}

/** `maxStaleMs`: how long after the crawler commits the catalog loaded before may still be used. */
export const getCatalog = derivedFromIndex((sqlite: Database.Database) => catalogOf(catalogRows(sqlite)));

/** Packs lists pushed row by row. */
class ListBuilder {
  private readonly starts: Int32Array;
  private items: number[] = [];
  constructor(rows: number) {
    this.starts = new Int32Array(rows + 1);
  }
  /** Ends row `row`'s list, after its items were pushed. */
  endRow(row: number) {
    this.starts[row + 1] = this.items.length;
  }
  push(item: number) {
    this.items.push(item);
  }
  build<T extends Int32Array | Float64Array>(kind: new (items: number[]) => T): RowLists<T> {
    return { starts: this.starts, items: new kind(this.items) };
  }
}

/** The catalog of these rows (the index's, or a page's files for matching them one by one). */
export function catalogOf(rows: CatalogRow[]): Catalog {
  const n = rows.length;
  const catalog = {
    indexOf: new Map(),
    ids: new Int32Array(n),
    dates: new Int32Array(n),
    years: new Int16Array(n),
    newestFirst: new Int32Array(n),
    values: Object.fromEntries(FILTER_NAMES.map((f) => [f, []])) as unknown as Record<FilterName, string[]>,
  };
  const codes = FILTER_NAMES.map(() => new ListBuilder(n));
  const measures = MEASURE_NAMES.map(() => new ListBuilder(n));
  const lookup = FILTER_NAMES.map(() => new Map<string, number>());
  // A multi-valued column repeats few distinct lists (the same kinds of files): each is split once.
  const splitLists = FILTER_NAMES.map(() => new Map<string, string[]>());
  rows.forEach((row, i) => {
    const [id, date] = row;
    catalog.indexOf.set(id, i);
    catalog.ids[i] = id;
    catalog.dates[i] = date;
    catalog.years[i] = Math.floor(date / 10_000);
    FILTER_NAMES.forEach((facet, f) => {
      const cell = row[2 + f] as string | null;
      const spec: FilterSpec = FILTERS[facet];
      let values: string[] = cell === null ? [] : [cell];
      if (spec.multiValued && cell !== null) {
        values = splitLists[f]!.get(cell) ?? listOf(cell);
        splitLists[f]!.set(cell, values);
      }
      for (const value of values) {
        let code = lookup[f]!.get(value);
        if (code === undefined) {
          code = catalog.values[facet].push(value) - 1;
          lookup[f]!.set(value, code);
        }
        codes[f]!.push(code);
      }
      codes[f]!.endRow(i);
    });
    measures.forEach((list, m) => {
      const cell = row[2 + FILTER_NAMES.length + m] as string | number | null;
      if (typeof cell === 'number') list.push(cell);
      else if (typeof cell === 'string') for (const item of listOf(cell)) list.push(Number(item));
      list.endRow(i);
    });
  });
  const order = Array.from(catalog.ids.keys()).sort((a, b) => catalog.dates[b]! - catalog.dates[a]! || catalog.ids[b]! - catalog.ids[a]!);
  catalog.newestFirst.set(order);
  return {
    ...catalog,
    codes: Object.fromEntries(FILTER_NAMES.map((f, i) => [f, codes[i]!.build(Int32Array)])) as Record<FilterName, RowLists<Int32Array>>,
    measures: Object.fromEntries(MEASURE_NAMES.map((m, i) => [m, measures[i]!.build(Float64Array)])) as Record<MeasureName, RowLists<Float64Array>>,
  };
}
