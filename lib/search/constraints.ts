import { getTableColumns } from 'drizzle-orm';
import {
  FILTER_NAMES,
  FILTERS,
  MEASURE_NAMES,
  MEASURES,
  NEARLY,
  type FilterName,
  type FilterSpec,
  type MeasureBound,
  type MeasureName,
} from '../../contracts/filters';
import type { SearchRequest } from '../../contracts/search-params';
import type { CatalogRow } from '../db/search-queries';
import { experiments } from '../db/schema';
import type { RecordingFacts } from '../recordings/facts';
import { catalogOf, type Catalog } from './catalog';
import type { ParsedQuery } from './parse';
import type { FileMatcher } from './results';

/**
 * What a search asks of a catalog row, as tests over the catalog's typed arrays: the filters chosen on the
 * page and typed in the query, the measures, the dates. The same tests pick a result's files, over a
 * catalog of their own facts.
 */

export type Constraint = (catalog: Catalog, row: number) => boolean;

const dateNumber = (date: string) => Number(date.replaceAll('-', ''));

/** A constraint decided once per value set: then one lookup per row. */
function bySet({ setOf }: { setOf: Int32Array }, allowed: Uint8Array): Constraint {
  return (_, row) => allowed[setOf[row]!] === 1;
}

function facetIn(catalog: Catalog, facet: FilterName, values: string[], match: 'exact' | 'contains'): Constraint | undefined {
  if (values.length === 0) return undefined;
  const wanted = [...new Set(values.map((v) => v.toLowerCase()))];
  const { values: known, sets } = catalog.filters[facet];
  const matches = known.map((value) => {
    const v = value.toLowerCase();
    return wanted.map((w) => (match === 'exact' ? v === w : v.includes(w)));
  });
  // Single-valued: any of the values asked for. Multi-valued: all of them.
  const spec: FilterSpec = FILTERS[facet];
  const allowed = Uint8Array.from(sets, (set) => {
    const found = wanted.map((_, w) => set.some((code) => matches[code]![w]));
    return (spec.multiValued ? found.every(Boolean) : found.some(Boolean)) ? 1 : 0;
  });
  return bySet(catalog.filters[facet], allowed);
}

/** A facet chosen on the page names its value exactly; an operator typed in the query matches as its filter says. */
function filterConstraints(catalog: Catalog, request: SearchRequest, parsed: ParsedQuery, names: FilterName[]): (Constraint | undefined)[] {
  return [
    ...names.flatMap((name) => [
      facetIn(catalog, name, request[name], 'exact'),
      facetIn(catalog, name, parsed.filters[name], FILTERS[name].operatorMatch),
    ]),
    ...MEASURE_NAMES.map((name) => measureWithin(catalog, name, parsed.measures[name])),
  ];
}

/**
 * The values that meet every bound, as one interval: bounds on a measure only ever narrow it. `=` is
 * the bound itself for a count, within NEARLY of it otherwise.
 */
function within(bounds: MeasureBound[], exact: boolean): (value: number) => boolean {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let loOpen = false;
  let hiOpen = false;
  const above = (bound: number, open: boolean) => {
    if (bound > lo || (bound === lo && open)) [lo, loOpen] = [bound, open];
  };
  const below = (bound: number, open: boolean) => {
    if (bound < hi || (bound === hi && open)) [hi, hiOpen] = [bound, open];
  };
  for (const { comparison, value } of bounds) {
    if (comparison === '>=' || comparison === '>') above(value, comparison === '>');
    else if (comparison === '<=' || comparison === '<') below(value, comparison === '<');
    else {
      const margin = exact ? 0 : Math.abs(value) * NEARLY;
      above(value - margin, false);
      below(value + margin, false);
    }
  }
  return (value) => (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
}

/** Every bound holds of the experiment's value (a largest), or of one of its values (a list). */
function measureWithin(catalog: Catalog, measure: MeasureName, bounds: MeasureBound[] | undefined): Constraint | undefined {
  if (!bounds?.length) return undefined;
  const meets = within(bounds, MEASURES[measure].unit === 'count');
  const values = catalog.measures[measure];
  if (values.of === 'largest') {
    const largest = values.values;
    return (_, row) => meets(largest[row]!);
  }
  return bySet(
    values,
    Uint8Array.from(values.sets, (set) => (set.some(meets) ? 1 : 0)),
  );
}

export function constraintsOf(catalog: Catalog, request: SearchRequest, parsed: ParsedQuery): Constraint[] {
  const f = parsed.filters;
  const dateFrom = [request.from, f.after]
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  const constraints: (Constraint | undefined)[] = [
    ...filterConstraints(catalog, request, parsed, FILTER_NAMES),
    dateFrom ? (c, row) => c.dates[row]! >= dateNumber(dateFrom) : undefined,
    request.to ? (c, row) => c.dates[row] !== 0 && c.dates[row]! <= dateNumber(request.to!) : undefined,
    f.before ? (c, row) => c.dates[row] !== 0 && c.dates[row]! < dateNumber(f.before!) : undefined,
  ];
  return constraints.filter((c): c is Constraint => c !== undefined);
}

const FILE_FILTERS = FILTER_NAMES.filter((name) => (FILTERS[name] as FilterSpec).ofFiles);
// The facts' names by the index column they are stored in, which the filter and measure tables name.
const FACT_OF_COLUMN = new Map(Object.entries(getTableColumns(experiments)).map(([key, column]) => [column.name, key]));

function fileRow(facts: RecordingFacts, index: number): CatalogRow {
  const value = (column: string) => (facts as unknown as Record<string, string | number | null>)[FACT_OF_COLUMN.get(column) ?? ''] ?? null;
  return [index, 0, ...FILTER_NAMES.map((name) => value(FILTERS[name].column)), ...MEASURE_NAMES.map((name) => value(MEASURES[name].column))];
}

/** Which files meet what the search asks files to hold; undefined when it asks nothing of them. */
export function fileMatcherOf(request: SearchRequest, parsed: ParsedQuery): FileMatcher | undefined {
  const asked = FILE_FILTERS.some((name) => request[name].length > 0 || parsed.filters[name].length > 0) || Object.keys(parsed.measures).length > 0;
  if (!asked) return undefined;
  return (files) => {
    const catalog = catalogOf(files.map(fileRow));
    const constraints = filterConstraints(catalog, request, parsed, FILE_FILTERS).filter((c): c is Constraint => c !== undefined);
    return files.map((_, row) => constraints.every((c) => c(catalog, row)));
  };
}
