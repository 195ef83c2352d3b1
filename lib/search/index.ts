import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { getConfig } from '../config';
import { getDb } from '../db/index';
import { derivedFromIndex } from '../db/index-derived';
import { AppError } from '../errors';
import { QueryError } from './parse';
import { searchExperiments, type SearchRequest, type SearchResponse } from './run';

export type { SearchRequest, SearchResponse, SearchResult, Sort } from './run';

/**
 * Answers stay valid until the index changes, and then for what remains of SEARCH_STALE_SECONDS (see
 * derivedFromIndex). Search-as-you-type and shared links ask the same questions again.
 */
const answers = derivedFromIndex(() => new LRUCache<string, SearchResponse>({ max: getConfig().searchCacheSize }));

function cached(sqlite: Database.Database, key: string, compute: () => SearchResponse): SearchResponse {
  const { searchCacheSize, searchStaleMs } = getConfig();
  if (searchCacheSize === 0) return compute();
  const entries = answers(sqlite, searchStaleMs);
  let response = entries.get(key);
  if (!response) entries.set(key, (response = compute()));
  return response;
}

/** A search over the index, or an AppError naming what was wrong with the request. */
export function search(request: SearchRequest): SearchResponse {
  const sqlite = getDb().$client;
  try {
    return cached(sqlite, JSON.stringify(request), () => searchExperiments(sqlite, request, getConfig().searchStaleMs));
  } catch (error) {
    if (error instanceof QueryError) throw new AppError('bad_request:search', error.message, { cause: error });
    throw error;
  }
}
