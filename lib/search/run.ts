import type Database from 'better-sqlite3';
import { z } from 'zod';
import { FACETS, getCatalog, type Catalog, type FacetName } from './catalog';
import { runFts, snippetSegments, type Segment } from './fts';
import { parseSearchQuery, QueryError, type ParsedQuery } from './parse';

export const SORTS = ['relevance', 'newest', 'oldest'] as const;
export type Sort = (typeof SORTS)[number];

/** A validated search request (see app/api/search/schema.ts for the edge validation). */
export interface SearchRequest {
  q: string;
  sort?: Sort;
  prefix: string[];
  species: string[];
  sampleType: string[];
  hardware: string[];
  /** Inclusive dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface SearchResult {
  id: number;
  uuid: string;
  path: string;
  prefix: string;
  date: string | null;
  species: string | null;
  sampleType: string | null;
  cellLine: string | null;
  hardware: string | null;
  channelCount: number | null;
  purpose: string | null;
  metadataError: string | null;
  snippet: Segment[];
  files: { uuid: string; key: string }[];
}

export interface SearchResponse {
  total: number;
  sort: Sort;
  results: SearchResult[];
  facets: Record<FacetName | 'year', { value: string; count: number }[]>;
  nextCursor: string | null;
}

const MAX_FILES_PER_RESULT = 5;
// bm25 costs about a microsecond per matching row and grows with the match set; above this many matches
// the results come newest first, which costs nothing (../shared/notes/search-scale.md).
const MAX_RANKED_MATCHES = 10_000;

const cursorSchema = z.tuple([z.number(), z.string(), z.number().int()]);

function encodeCursor(key: [number, string, number]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): [number, string, number] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new QueryError('cursor is not one this server gave out; start from the first page');
  }
}

/**
 * The experiments the text part of the query matches (null: no text query, everything matches), with bm25
 * ranks (lower is better) when the match set is small enough to rank.
 */
function matchText(sqlite: Database.Database, parsed: ParsedQuery, wantRanks: boolean) {
  if (parsed.match === null) return null;
  const ids = runFts(sqlite, { kind: 'experimentIds', expression: parsed.match }).map((r) => r.id);
  if (!wantRanks || ids.length > MAX_RANKED_MATCHES) return { ids, ranks: null };
  const ranks = new Map<number, number>();
  for (const { id, rank } of runFts(sqlite, { kind: 'experimentRanks', expression: parsed.match })) ranks.set(id, rank);
  return { ids, ranks };
}

type Constraint = (catalog: Catalog, row: number) => boolean;

function facetIn(facet: FacetName, values: string[], match: 'exact' | 'contains'): Constraint | undefined {
  if (values.length === 0) return undefined;
  const wanted = values.map((v) => v.toLowerCase());
  return (catalog, row) => {
    const code = catalog.codes[facet][row]!;
    if (code < 0) return false;
    const value = catalog.values[facet][code]!.toLowerCase();
    return wanted.some((w) => (match === 'exact' ? value === w : value.includes(w)));
  };
}

function constraintsOf(request: SearchRequest, parsed: ParsedQuery): Constraint[] {
  const f = parsed.filters;
  const dateFrom = [request.from, f.after].filter((d): d is string => d !== undefined).sort().at(-1);
  const constraints: (Constraint | undefined)[] = [
    facetIn('prefix', request.prefix, 'exact'),
    facetIn('prefix', f.modality, 'exact'),
    facetIn('species', request.species, 'exact'),
    facetIn('species', f.species, 'exact'),
    facetIn('sampleType', request.sampleType, 'exact'),
    facetIn('sampleType', f.sampleType, 'contains'),
    facetIn('hardware', request.hardware, 'exact'),
    facetIn('hardware', f.hardware, 'contains'),
    dateFrom ? (c, row) => c.dates[row]! >= dateFrom : undefined,
    request.to ? (c, row) => c.dates[row] !== '' && c.dates[row]! <= request.to! : undefined,
    f.before ? (c, row) => c.dates[row] !== '' && c.dates[row]! < f.before! : undefined,
  ];
  return constraints.filter((c): c is Constraint => c !== undefined);
}

function countFacets(catalog: Catalog, rows: number[]): SearchResponse['facets'] {
  const facets = {} as SearchResponse['facets'];
  for (const facet of FACETS) {
    const counts = new Map<number, number>();
    const codes = catalog.codes[facet];
    for (const row of rows) {
      const code = codes[row]!;
      if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    facets[facet] = [...counts]
      .map(([code, count]) => ({ value: catalog.values[facet][code]!, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const years = new Map<number, number>();
  for (const row of rows) if (catalog.years[row]) years.set(catalog.years[row]!, (years.get(catalog.years[row]!) ?? 0) + 1);
  facets.year = [...years].sort((a, b) => b[0] - a[0]).map(([year, count]) => ({ value: String(year), count }));
  return facets;
}

interface ResultRow extends Omit<SearchResult, 'snippet' | 'files'> {}

export function searchExperiments(sqlite: Database.Database, request: SearchRequest): SearchResponse {
  const parsed = parseSearchQuery(request.q);
  const catalog = getCatalog(sqlite);
  const requested: Sort = request.sort ?? (parsed.match ? 'relevance' : 'newest');
  const matched = matchText(sqlite, parsed, requested === 'relevance');
  const ranks = matched?.ranks ?? null;
  // Relevance needs ranks: without a text query, or over a very broad one, the order is newest first.
  const sort: Sort = requested === 'relevance' && !ranks ? 'newest' : requested;
  const excluded = parsed.exclude
    ? new Set(runFts(sqlite, { kind: 'experimentIds', expression: parsed.exclude }).map((r) => r.id))
    : undefined;
  const constraints = constraintsOf(request, parsed);

  const candidates: number[] = matched
    ? matched.ids.flatMap((id) => catalog.indexOf.get(id) ?? [])
    : Array.from(catalog.ids.keys());
  const rows = candidates.filter(
    (row) => !excluded?.has(catalog.ids[row]!) && constraints.every((c) => c(catalog, row)),
  );

  const keyOf = (row: number): [number, string, number] => [
    sort === 'relevance' ? (ranks?.get(catalog.ids[row]!) ?? 0) : 0,
    catalog.dates[row]!,
    catalog.ids[row]!,
  ];
  // Ties, and everything when not ranking by relevance, go by date (then id) in the chosen direction.
  const direction = sort === 'oldest' ? 1 : -1;
  const compare = (a: [number, string, number], b: [number, string, number]) =>
    a[0] - b[0] || direction * a[1].localeCompare(b[1]) || direction * (a[2] - b[2]);
  const ordered = rows.map(keyOf).sort(compare);
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const start = after ? ordered.findIndex((key) => compare(key, after) > 0) : 0;
  const page = start < 0 ? [] : ordered.slice(start, start + request.limit);
  const ids = page.map((key) => key[2]);

  const details = new Map(
    (
      sqlite
        .prepare(
          `SELECT id, uuid, path, prefix, date, species, sample_type AS sampleType, cell_line AS cellLine, hardware,
                  channel_count AS channelCount, purpose, metadata_error AS metadataError
           FROM experiments WHERE id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids)) as ResultRow[]
    ).map((r) => [r.id, r]),
  );
  const snippets = new Map<number, Segment[]>();
  const files = new Map<number, { uuid: string; key: string }[]>();
  if (parsed.match && ids.length) {
    for (const s of runFts(sqlite, { kind: 'snippets', expression: parsed.match, experimentIds: ids })) {
      snippets.set(s.id, snippetSegments(s.snippet));
    }
    // Files are listed for experiments found only by their file names: keys contain the experiment's uuid, so
    // for a match in the experiment's own text every file would "match".
    const byText = new Set(runFts(sqlite, { kind: 'textMatches', expression: parsed.match, experimentIds: ids }).map((r) => r.id));
    const byFileName = ids.filter((id) => !byText.has(id));
    for (const f of runFts(sqlite, { kind: 'files', expression: parsed.match, experimentIds: byFileName })) {
      const list = files.get(f.experimentId) ?? [];
      if (list.length < MAX_FILES_PER_RESULT) files.set(f.experimentId, [...list, { uuid: f.uuid, key: f.key }]);
    }
  }
  const results = ids.flatMap((id) => {
    const row = details.get(id);
    return row ? [{ ...row, snippet: snippets.get(id) ?? [], files: files.get(id) ?? [] }] : [];
  });
  const last = page.at(-1);
  return {
    total: rows.length,
    sort,
    results,
    facets: countFacets(catalog, rows),
    nextCursor: last && start + page.length < ordered.length ? encodeCursor(last) : null,
  };
}
