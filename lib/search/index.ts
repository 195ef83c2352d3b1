import { LRUCache } from 'lru-cache';
import { getConfig } from '../config';
import { getDb } from '../db/index';
import { AppError } from '../errors';
import { QueryError } from './parse';
import { searchExperiments, type SearchRequest, type SearchResponse } from './run';

export type { SearchRequest, SearchResponse, SearchResult, Sort } from './run';

/**
 * Answers stay valid until the index changes, which PRAGMA data_version reports (it moves when another
 * connection, the crawler, commits), and then for what remains of SEARCH_STALE_SECONDS since the cache
 * was started: a crawl commits every few dozen experiments, and recomputing every question after each
 * commit made searches queue during crawls. Search-as-you-type and shared links ask the same questions again.
 */
let cache: { version: number; startedAt: number; entries: LRUCache<string, SearchResponse> } | undefined;

function cached(key: string, version: number, compute: () => SearchResponse): SearchResponse {
  const { searchCacheSize: size, searchStaleMs } = getConfig();
  if (size === 0) return compute();
  const now = performance.now();
  if (!cache || (cache.version !== version && now - cache.startedAt >= searchStaleMs)) {
    cache = { version, startedAt: now, entries: new LRUCache({ max: size }) };
  }
  let response = cache.entries.get(key);
  if (!response) cache.entries.set(key, (response = compute()));
  return response;
}

/** A search over the index, or an AppError naming what was wrong with the request. */
export function search(request: SearchRequest): SearchResponse {
  const sqlite = getDb().$client;
  try {
    const version = sqlite.pragma('data_version', { simple: true }) as number;
    return cached(JSON.stringify(request), version, () => searchExperiments(sqlite, request, getConfig().searchStaleMs));
  } catch (error) {
    if (error instanceof QueryError) throw new AppError('bad_request:search', error.message, { cause: error });
    throw error;
  }
}
