import type { FilterName } from './filters';
import type { Sort } from './search-params';

/** What `/api/search` answers, and what the search page renders from it, on the server and in the browser. */

/** A part of a snippet: text, marked when it matched the query. */
export type Segment = { text: string; match: boolean };

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
  /** What its HDF5 files hold, in one line ("2 NWB files · 1,024 ch · 62 min · 312 units"); null without any. */
  holds: string | null;
  /** Its files the query found: by name, or by what they hold (HDF5 files, with that in one line). */
  files: ResultFile[];
  /** The preview of its first recording that has one (`/files/<uuid>/preview.png`), with what it shows. */
  preview: ResultPreview | null;
}

export interface ResultPreview {
  /** The file's uuid. */
  uuid: string;
  alt: string;
  width: number;
  height: number;
}

export interface ResultFile {
  uuid: string;
  key: string;
  holds?: string;
}

export type FacetCounts = Record<FilterName | 'year', { value: string; count: number }[]>;

export interface SearchResponse {
  total: number;
  sort: Sort;
  results: SearchResult[];
  facets: FacetCounts;
  nextCursor: string | null;
  /** How parts of the query were read where that may not be what was meant (an unclosed quote, a lone OR). */
  notes: string[];
}

/** The index's counts, on every search answer (`stats`) and the search page. */
export interface IndexStats {
  experiments: number;
  oldestDate: string | null;
  newestDate: string | null;
  /** ISO time of the last crawl that succeeded (fully or in part). */
  lastCrawlFinishedAt: string | null;
}
