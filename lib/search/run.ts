import type Database from 'better-sqlite3';
import { z } from 'zod';
import { FILTER_NAMES, FILTERS, type FilterSpec } from '../../contracts/filters';
import type { SearchResponse } from '../../contracts/search-answer';
import { searchParamsSchema, toSearchRequest, type SearchRequest, type Sort } from '../../contracts/search-params';
import { getCatalog, type Catalog } from './catalog';
import { constraintsOf, fileMatcherOf } from './constraints';
import { forEachRow, matchSet } from './match-sets';
import { describeResults } from './results';
import { parseSearchQuery, QueryError, type ParsedQuery } from './parse';

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

/** A search's answer, encoded. */
export interface EncodedAnswer {
  /**
   * The UTF-8 bytes of its JSON, in a buffer of its own (one a thread can hand over): as bytes it crosses from
   * the search thread, waits in the cache and is written to the socket with no copy or encoding.
   */
  json: Uint8Array<ArrayBuffer>;
  /**
   * How long it may be kept, in ms (DerivedFromIndex.keepFor of its catalog): Infinity when it is of the index
   * as it is now, else no longer than its catalog is held past a crawl's commit (SEARCH_STALE_SECONDS). A
   * crawl commits every few seconds while it runs, so for most of a crawl every answer is of a held catalog.
   */
  keepForMs: number;
}

/**
 * What a search's answer depends on, as the answer cache's key: the request with its text as parsed, the
 * words to highlight in lower case (the highlighter folds them). So `Organoid` and `organoid` are one answer:
 * 18 % of bench:search's typed keystrokes have a capital, and each was a search of its own.
 */
export function answerKey(request: SearchRequest, parsed: ParsedQuery): string {
  return JSON.stringify([
    { ...request, q: undefined },
    { ...parsed, terms: parsed.terms.map((term) => term.toLowerCase()) },
  ]);
}

/** searchExperiments, encoded. */
export function answerSearch(sqlite: Database.Database, request: SearchRequest, maxStaleMs: number): EncodedAnswer {
  const json = new TextEncoder().encode(JSON.stringify(searchExperiments(sqlite, request, maxStaleMs)));
  return { json, keepForMs: getCatalog.keepFor(sqlite) };
}

// A first keystroke's match sets are the costliest to build (every experiment a letter starts a word of).
const FIRST_KEYSTROKES = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
// The answers kept from the start: no text, and every single character a search box starts with (a
// letter's capital has its answer: answerKey).
export const FIRST_QUESTIONS = ['', ...FIRST_KEYSTROKES, ...DIGITS];
const CHARACTERS = [...FIRST_KEYSTROKES, ...DIGITS];
/**
 * And every two characters: a second keystroke's match set (up to 98,000 experiments at 100,000) cost 10-17
 * ms to build, the costliest searches after the first keystroke's, and everyone starts a word with one.
 */
export const SECOND_QUESTIONS = CHARACTERS.flatMap((first) => CHARACTERS.map((second) => first + second));

/** A search answered before any was asked (prepareSearch), for the answer cache. */
export interface PreparedAnswer {
  request: SearchRequest;
  answer: EncodedAnswer;
}

/**
 * Loads the catalog and runs the first keystrokes' searches, returning the answers of those that are `mine`
 * (by their match expression: the searches the pool sends to this thread, lib/search/pool.ts) with no filter,
 * FIRST_QUESTIONS and SECOND_QUESTIONS, so that people starting to type at once do not queue for them (5-20
 * ms each at 100,000 experiments, the costliest answers people ask); then every single character's match set,
 * and a letter with each filter. A starting server's first searches otherwise waited for them (a 0.4 s catalog
 * load and 5-10 ms per letter's match set), and V8 compiles a search's loops only once they have run: the first
 * searches of a thread took ten times as long (100 ms at the start of bench:search's typing).
 */
export function prepareSearch(sqlite: Database.Database, maxStaleMs: number, mine: (match: string | null) => boolean = () => true): PreparedAnswer[] {
  const catalog = getCatalog(sqlite, maxStaleMs);
  const requestOf = (params: Record<string, string>) => toSearchRequest(searchParamsSchema.parse(params));
  const prepared = [...FIRST_QUESTIONS, ...SECOND_QUESTIONS]
    .filter((q) => mine(parseSearchQuery(q).match))
    .map((q) => requestOf(q ? { q } : {}))
    .map((request) => ({ request, answer: answerSearch(sqlite, request, maxStaleMs) }));
  // A letter with a filter reaches another thread than its own when that one is busy.
  firstMatchSets(sqlite, catalog);
  for (const name of FILTER_NAMES) {
    const value = catalog.filters[name].values[0];
    if (value !== undefined) searchExperiments(sqlite, requestOf({ q: FIRST_KEYSTROKES[0]!, [FILTERS[name].param]: value }), maxStaleMs);
  }
  return prepared;
}

/**
 * Loads the catalog again if the index changed since it was loaded, with every single character's match set
 * (the costliest, 5-10 ms each): between searches, rather than in the first search after SEARCH_STALE_SECONDS.
 */
export function refreshSearch(sqlite: Database.Database): void {
  firstMatchSets(sqlite, getCatalog(sqlite, 0));
}

function firstMatchSets(sqlite: Database.Database, catalog: Catalog): void {
  for (const q of FIRST_QUESTIONS) {
    const { match } = parseSearchQuery(q);
    if (match !== null) matchSet(sqlite, catalog, match, true);
  }
}

/**
 * Room for one search's matching rows, their ranks and a mark per catalog row, kept with the catalog: a
 * search thread runs one search at a time, and a first keystroke's new arrays (600 KB at 100,000
 * experiments) kept its garbage collector busy.
 */
const scratch = new WeakMap<Catalog, { matching: Uint8Array; rows: Int32Array; ranks: Float64Array }>();
function scratchOf(catalog: Catalog) {
  let held = scratch.get(catalog);
  if (!held) {
    const n = catalog.ids.length;
    held = { matching: new Uint8Array(n), rows: new Int32Array(n), ranks: new Float64Array(n) };
    scratch.set(catalog, held);
  }
  return held;
}

/** `maxStaleMs`: how long after the crawler changes what search shows the catalog may still be the one loaded before. */
export function searchExperiments(sqlite: Database.Database, request: SearchRequest, maxStaleMs = 0): SearchResponse {
  const parsed = parseSearchQuery(request.q);
  // A catalog older than the text index may lack new experiments (skipped) or list gone ones (no details).
  const catalog = getCatalog(sqlite, maxStaleMs);
  const requested: Sort = request.sort ?? (parsed.match ? 'relevance' : 'newest');
  const matched = parsed.match === null ? null : matchSet(sqlite, catalog, parsed.match, requested === 'relevance');
  const ranks = matched?.ranks ?? null;
  // Relevance needs ranks: without a text query, or over a very broad one, the order is newest first.
  const sort: Sort = requested === 'relevance' && !ranks ? 'newest' : requested;
  const constraints = constraintsOf(catalog, request, parsed);

  // The matching rows, as a list (for counting and ranking, with their ranks) and as a bitmap (for walking
  // the date order); excluded rows are marked in the bitmap first.
  const EXCLUDED = 2;
  const { matching, rows, ranks: rowRanks } = scratchOf(catalog);
  matching.fill(0);
  if (parsed.exclude !== null)
    forEachRow(matchSet(sqlite, catalog, parsed.exclude, false), (row) => {
      matching[row] = EXCLUDED;
    });
  let total = 0;
  const meetsAll = (row: number) => {
    for (const constraint of constraints) if (!constraint(catalog, row)) return false;
    return true;
  };
  forEachRow(matched ?? { rows: catalog.newestFirst, ranks: null }, (row, i) => {
    if (matching[row] === EXCLUDED || !meetsAll(row)) return;
    matching[row] = 1;
    if (ranks) rowRanks[total] = ranks[i]!;
    rows[total++] = row;
  });
  const matchingRows = rows.subarray(0, total);

  const direction = sort === 'oldest' ? 1 : -1;
  const compare = (a: SortKey, b: SortKey) => a[0] - b[0] || direction * (a[1] - b[1]) || direction * (a[2] - b[2]);
  // A row's key against a key, without building the row's: most of up to 10,000 rows are not kept.
  const compareRow = (row: number, rank: number, key: SortKey) =>
    rank - key[0] || direction * (catalog.dates[row]! - key[1]) || direction * (catalog.ids[row]! - key[2]);
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const keyOf = (row: number, rank = 0): SortKey => [rank, catalog.dates[row]!, catalog.ids[row]!];
  // One more than the page, to know whether there are more.
  let page: SortKey[] = [];
  if (sort === 'relevance') {
    // The best keys after the cursor, kept in order: sorting all of up to 10,000 cost more than the page's rows.
    for (let i = 0; i < total; i++) {
      const row = rows[i]!;
      const rank = rowRanks[i]!;
      if ((after && compareRow(row, rank, after) <= 0) || (page.length > request.limit && compareRow(row, rank, page.at(-1)!) >= 0)) continue;
      const key = keyOf(row, rank);
      page.splice(insertionPoint(page, key, compare), 0, key);
      if (page.length > request.limit + 1) page.pop();
    }
  } else {
    // Pages in date order walk the catalog's precomputed order.
    const order = catalog.newestFirst;
    for (let i = 0; i < order.length && page.length <= request.limit; i++) {
      const row = order[sort === 'oldest' ? order.length - 1 - i : i]!;
      if (matching[row] !== 1) continue;
      const key = keyOf(row);
      if (!after || compare(key, after) > 0) page.push(key);
    }
  }
  const more = page.length > request.limit;
  page = page.slice(0, request.limit);

  const results = describeResults(
    sqlite,
    catalog,
    page.map((key) => key[2]),
    parsed.terms,
    fileMatcherOf(request, parsed),
  );
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

/** Where `key` goes in the sorted `keys`: after the keys that come before it or tie with it. */
function insertionPoint(keys: SortKey[], key: SortKey, compare: (a: SortKey, b: SortKey) => number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(keys[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
