import type Database from 'better-sqlite3';
import { FILTER_NAMES, FILTERS, MEASURE_NAMES, MEASURES, type FilterName, type FilterSpec, type MeasureName } from '../../contracts/filters';
import { derivedFromIndex } from '../db/index-derived';
import { catalogRows, type CatalogRow } from '../db/search-queries';
import { listOf } from '../recordings/facts';

/**
 * The few columns every search filters and counts facets on, for all experiments, held in memory.
 * Filtering and counting a match set of 30,000 rows in typed arrays takes a millisecond; five GROUP BY
 * passes in SQLite took tens at 100,000 experiments. Reloaded after the crawler changes what search shows, at
 * most once per `maxStaleMs`: a reload blocks the process (0.4 s at 100,000 experiments).
 *
 * Each row holds, per filter and per measure, the code of its set of values: an experiment has one
 * species, but its files hold many neurodata types and rates. Experiments share few distinct sets (the
 * same kinds of files), so a search decides each set once and then looks one code up per row, as it does
 * for a single value: counting every type of every row made the facets four times slower.
 */
export interface Catalog {
  /** Row index by experiment id (-1: none; ids past its end have none either). A typed array, as a first
   *  keystroke looks up 100,000 ids: a Map took a few milliseconds of it. */
  rowOf: Int32Array;
  ids: Int32Array;
  /** Dates as yyyymmdd numbers (0: unknown), for cheap comparisons. */
  dates: Int32Array;
  years: Int16Array;
  /** Row indices, newest first (date, then id, descending): date-ordered pages walk it instead of sorting. */
  newestFirst: Int32Array;
  /** Each filter's value sets, a set being codes into `values`. */
  filters: Record<FilterName, ValueSets<Int32Array> & { values: string[] }>;
  /**
   * Each measure's values: a largest as one number per row (NaN: none; nearly every row has its own, and
   * 100,000 one-value sets made each search thread's garbage collection slower); a list as value sets.
   */
  measures: Record<MeasureName, { of: 'largest'; values: Float64Array } | ({ of: 'any' } & ValueSets<Float64Array>)>;
}

/** Row r's values are `sets[setOf[r]]`. */
export interface ValueSets<T extends Int32Array | Float64Array> {
  setOf: Int32Array;
  sets: T[];
}

/** `maxStaleMs`: how long after the crawler changes what search shows the catalog loaded before may still be used. */
export const getCatalog = derivedFromIndex((sqlite: Database.Database) => catalogOf(catalogRows(sqlite)), 'content');

/** Gives each distinct cell of a column a set code, row by row. */
class SetBuilder<T extends Int32Array | Float64Array> {
  readonly setOf: Int32Array;
  readonly sets: T[] = [];
  private readonly byCell = new Map<string | number | null, number>();
  constructor(
    rows: number,
    private readonly split: (cell: string | number | null) => T,
  ) {
    this.setOf = new Int32Array(rows);
  }
  add(row: number, cell: string | number | null) {
    let set = this.byCell.get(cell);
    if (set === undefined) {
      set = this.sets.push(this.split(cell)) - 1;
      this.byCell.set(cell, set);
    }
    this.setOf[row] = set;
  }
}

/** The catalog of these rows (the index's, or a page's files for matching them one by one). */
export function catalogOf(rows: CatalogRow[]): Catalog {
  const n = rows.length;
  const ids = new Int32Array(n);
  const dates = new Int32Array(n);
  const years = new Int16Array(n);
  const filters = FILTER_NAMES.map((facet) => {
    const spec: FilterSpec = FILTERS[facet];
    const values: string[] = [];
    const codeOf = new Map<string, number>();
    const code = (value: string) => {
      let found = codeOf.get(value);
      if (found === undefined) {
        found = values.push(value) - 1;
        codeOf.set(value, found);
      }
      return found;
    };
    const builder = new SetBuilder<Int32Array>(n, (cell) =>
      Int32Array.from(cell === null ? [] : spec.multiValued ? listOf(String(cell)) : [String(cell)], code),
    );
    return { builder, values };
  });
  const measures = MEASURE_NAMES.map((measure) =>
    MEASURES[measure].of === 'any'
      ? {
          of: 'any' as const,
          builder: new SetBuilder<Float64Array>(n, (cell) => Float64Array.from(cell === null ? [] : listOf(String(cell)).map(Number))),
        }
      : { of: 'largest' as const, values: new Float64Array(n).fill(Number.NaN) },
  );
  rows.forEach((row, i) => {
    const [id, date] = row;
    ids[i] = id;
    dates[i] = date;
    years[i] = Math.floor(date / 10_000);
    filters.forEach(({ builder }, f) => {
      builder.add(i, row[2 + f] ?? null);
    });
    measures.forEach((measure, m) => {
      const cell = row[2 + FILTER_NAMES.length + m] ?? null;
      if (measure.of === 'any') measure.builder.add(i, cell);
      else if (cell !== null) measure.values[i] = Number(cell);
    });
  });
  const rowOf = new Int32Array(ids.reduce((max, id) => Math.max(max, id), -1) + 1).fill(-1);
  ids.forEach((id, row) => {
    rowOf[id] = row;
  });
  const newestFirst = new Int32Array(n);
  newestFirst.set(Array.from(ids.keys()).sort((a, b) => dates[b]! - dates[a]! || ids[b]! - ids[a]!));
  return {
    rowOf,
    ids,
    dates,
    years,
    newestFirst,
    filters: Object.fromEntries(
      FILTER_NAMES.map((f, i) => [f, { setOf: filters[i]!.builder.setOf, sets: filters[i]!.builder.sets, values: filters[i]!.values }]),
    ) as Catalog['filters'],
    measures: Object.fromEntries(
      measures.map((measure, i) => [
        MEASURE_NAMES[i],
        measure.of === 'any' ? { of: 'any', setOf: measure.builder.setOf, sets: measure.builder.sets } : measure,
      ]),
    ) as Catalog['measures'],
  };
}
