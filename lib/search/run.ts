import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { FILTER_NAMES, FILTERS, type FilterSpec } from '../../contracts/filters';
import type { SearchResponse } from '../../contracts/search-answer';
import type { SearchRequest, Sort } from '../../contracts/search-params';
import { getCatalog, type Catalog } from './catalog';
import { derivedFromIndex } from '../db/index-derived';
import { runFts } from '../db/search-queries';
import { constraintsOf, fileMatcherOf } from './constraints';
import { describeResults } from './results';
import { parseSearchQuery, QueryError, type ParsedQuery } from './parse';

// bm25 costs about a microsecond per matching row and grows with the match set; above this many matches
// the results come newest first, which costs nothing (measured at 100,000 experiments: about 0.5 µs a row).
const MAX_RANKED_MATCHES = 10_000;

const cursorSchema = z.tuple([z.number(), z.number().int(), z.number().int()]);

type SortKey = [rank: number, date: number, id: number];

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new QueryError('cursor is not one this server gave out; start from the first page');
  }
}

/**
 * Match sets too large to rank, by their FTS5 expression, until the index changes: a first keystroke (`"s"*`)
 * makes FTS5 merge the lists of every token it starts, 100–300 ms, and every typing user asks it again
 * with other filters, which the answer cache cannot serve. Bounded in bytes per search thread.
 */
const MATCH_SET_CACHE_BYTES = 16 * 1024 * 1024;
const largeMatchSets = derivedFromIndex(
  () =>
    new LRUCache<string, Int32Array>({
      maxSize: MATCH_SET_CACHE_BYTES,
      sizeCalculation: (ids, expression) => ids.byteLength + 2 * expression.length,
    }),
);

/**
 * The experiments the text part of the query matches (null: no text query, everything matches), with bm25
 * ranks (lower is better) when the match set is small enough to rank.
 */
function matchText(sqlite: Database.Database, parsed: ParsedQuery, wantRanks: boolean, maxStaleMs: number) {
  if (parsed.match === null) return null;
  const large = largeMatchSets(sqlite, maxStaleMs);
  const known = large.get(parsed.match);
  if (known) return { ids: known, ranks: null };
  const ids = Int32Array.from(runFts(sqlite, { kind: 'experimentIds', expression: parsed.match }), (r) => r.id);
  if (ids.length > MAX_RANKED_MATCHES) {
    large.set(parsed.match, ids);
    return { ids, ranks: null };
  }
  if (!wantRanks) return { ids, ranks: null };
  const ranks = new Map<number, number>();
  for (const { id, rank } of runFts(sqlite, { kind: 'experimentRanks', expression: parsed.match })) ranks.set(id, rank);
  return { ids, ranks };
}

// Dates come from leadingDate, which accepts years 1990 to 2100.
const FIRST_YEAR = 1990;
const LAST_YEAR = 2100;

/** Facet counts over the matching rows: one pass per facet over typed arrays. */
function countFacets(catalog: Catalog, rows: Int32Array): SearchResponse['facets'] {
  const facets = {} as SearchResponse['facets'];
  for (const facet of FILTER_NAMES) {
    const { setOf, sets, values } = catalog.filters[facet];
    // Rows per value set, then each set's rows to each of its values.
    const perSet = new Int32Array(sets.length);
    for (let i = 0; i < rows.length; i++) perSet[setOf[rows[i]!]!]!++;
    const counts = new Int32Array(values.length);
    perSet.forEach((count, set) => {
      if (count > 0) for (const code of sets[set]!) counts[code]! += count;
    });
    const hidden = new Set<string>((FILTERS[facet] as FilterSpec).facetHides);
    facets[facet] = Array.from(counts, (count, code) => ({ value: values[code]!, count }))
      .filter((f) => f.count > 0 && !hidden.has(f.value))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const years = new Int32Array(LAST_YEAR - FIRST_YEAR + 1);
  for (let i = 0; i < rows.length; i++) {
    const year = catalog.years[rows[i]!]!;
    if (year >= FIRST_YEAR && year <= LAST_YEAR) years[year - FIRST_YEAR]!++;
  }
  facets.year = Array.from(years, (count, i) => ({ value: String(FIRST_YEAR + i), count }))
    .filter((y) => y.count > 0)
    .reverse();
  return facets;
}

/** `maxStaleMs`: how long after the crawler commits the catalog may still be the one loaded before. */
export function searchExperiments(sqlite: Database.Database, request: SearchRequest, maxStaleMs = 0): SearchResponse {
  const parsed = parseSearchQuery(request.q);
  // A catalog older than the text index may lack new experiments (skipped) or list gone ones (no details).
  const catalog = getCatalog(sqlite, maxStaleMs);
  const requested: Sort = request.sort ?? (parsed.match ? 'relevance' : 'newest');
  const matched = matchText(sqlite, parsed, requested === 'relevance', maxStaleMs);
  const ranks = matched?.ranks ?? null;
  // Relevance needs ranks: without a text query, or over a very broad one, the order is newest first.
  const sort: Sort = requested === 'relevance' && !ranks ? 'newest' : requested;
  const excluded = parsed.exclude ? new Set(runFts(sqlite, { kind: 'experimentIds', expression: parsed.exclude }).map((r) => r.id)) : undefined;
  const constraints = constraintsOf(catalog, request, parsed);

  // The matching rows, as a list (for counting and ranking) and as a bitmap (for walking the date order).
  const matching = new Uint8Array(catalog.ids.length);
  const rows = new Int32Array(matched ? matched.ids.length : catalog.ids.length);
  let total = 0;
  const candidates = matched ? matched.ids.map((id) => catalog.indexOf.get(id) ?? -1) : catalog.newestFirst;
  for (const row of candidates) {
    if (row < 0 || excluded?.has(catalog.ids[row]!) || !constraints.every((c) => c(catalog, row))) continue;
    matching[row] = 1;
    rows[total++] = row;
  }
  const matchingRows = rows.subarray(0, total);

  // Pages in date order walk the catalog's precomputed order; only a ranked set (at most 10,000) is sorted.
  const keyOf = (row: number): SortKey => [ranks?.get(catalog.ids[row]!) ?? 0, catalog.dates[row]!, catalog.ids[row]!];
  const direction = sort === 'oldest' ? 1 : -1;
  const compare = (a: SortKey, b: SortKey) => a[0] - b[0] || direction * (a[1] - b[1]) || direction * (a[2] - b[2]);
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const page: SortKey[] = [];
  let more = false;
  /** Adds the key to the page when it comes after the cursor; false once the page is full. */
  const take = (key: SortKey): boolean => {
    if (after && compare(key, after) <= 0) return true;
    if (page.length === request.limit) {
      more = true;
      return false;
    }
    page.push(key);
    return true;
  };
  if (sort === 'relevance') {
    const ranked = Array.from(matchingRows, keyOf).sort(compare);
    for (const key of ranked) if (!take(key)) break;
  } else {
    const order = catalog.newestFirst;
    for (let i = 0; i < order.length; i++) {
      const row = order[sort === 'oldest' ? order.length - 1 - i : i]!;
      if (matching[row] && !take(keyOf(row))) break;
    }
  }
  const ids = page.map((key) => key[2]);

  const results = describeResults(sqlite, ids, parsed.terms, fileMatcherOf(request, parsed));
  const last = page.at(-1);
  return {
    total,
    sort,
    results,
    facets: countFacets(catalog, matchingRows),
    nextCursor: last && more ? encodeCursor(last) : null,
    notes: parsed.notes,
  };
}
