import 'server-only';
import { LRUCache } from 'lru-cache';
import type { Worker } from 'node:worker_threads';
import { getConfig } from '../config';
import { getDb } from '../db/index';
import { derivedFromIndex } from '../db/index-derived';
import { AppError } from '../errors';
import { parseSearchQuery, QueryError } from './parse';
import { SearchPool, type ThreadPlace } from './pool';
import type { SearchResponse } from '../../contracts/search-answer';
import type { SearchRequest } from '../../contracts/search-params';
import { answerKey, answerSearch, type EncodedAnswer } from './run';

/**
 * Answers as the UTF-8 bytes of their JSON, kept until the index changes and then for what remains of
 * SEARCH_STALE_SECONDS (see derivedFromIndex), at most SEARCH_CACHE_MB of them per process, each no longer than
 * the catalog it was computed from is held (EncodedAnswer.keepForMs), by what they depend on (answerKey):
 * search-as-you-type and shared links ask the same questions again. A key of n UTF-16 code units takes 2n bytes.
 */
const answers = derivedFromIndex(
  () => new LRUCache<string, Uint8Array>({ maxSize: getConfig().searchCacheBytes, sizeCalculation: (json, key) => json.byteLength + 2 * key.length }),
  'content',
);
/** Searches being computed, so that the same question asked twice meanwhile is computed once. */
const inFlight = new Map<string, Promise<EncodedAnswer>>();

let pool: SearchPool | undefined;

/** The cache of answers for the index as it is now; none when SEARCH_CACHE_MB is 0. */
function answerCache(): LRUCache<string, Uint8Array> | undefined {
  const { searchCacheBytes, searchStaleMs } = getConfig();
  return searchCacheBytes > 0 ? answers(getDb().$client, searchStaleMs) : undefined;
}

/** Keeps an answer as long as it may be kept (EncodedAnswer.keepForMs). */
function keep(cache: LRUCache<string, Uint8Array> | undefined, key: string, { json, keepForMs }: EncodedAnswer): void {
  if (keepForMs === Infinity) cache?.set(key, json);
  else if (keepForMs > 0) cache?.set(key, json, { ttl: keepForMs });
}

/**
 * Runs this process's searches in `threads` worker threads (server/main.ts, in the processes that take
 * requests); resolves once they have loaded what the first searches need, their prepared answers kept.
 */
export async function startSearchThreads(startWorker: (place: ThreadPlace) => Worker, threads: number): Promise<void> {
  // Taken before the threads read the index: if the crawler commits meanwhile, this cache is not the one
  // searches will use, and what is kept in it is never served.
  const cache = answerCache();
  pool ??= new SearchPool(startWorker, threads, getConfig().searchTimeLimitMs);
  for (const { request, answer } of await pool.ready) {
    const key = answerKey(request, parseSearchQuery(request.q));
    if (!cache?.has(key)) keep(cache, key, answer);
  }
}

function compute(request: SearchRequest, match: string | null): Promise<EncodedAnswer> {
  if (pool) return pool.search(request, match);
  // Without threads (page processes, tests): here, in this thread.
  try {
    return Promise.resolve(answerSearch(getDb().$client, request, getConfig().searchStaleMs));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A search over the index as the UTF-8 JSON of its SearchResponse, or an AppError naming what was wrong. */
export async function searchJson(request: SearchRequest): Promise<Uint8Array> {
  try {
    // A malformed query is refused here, in microseconds, rather than after the searches queued before it.
    const parsed = parseSearchQuery(request.q);
    const key = answerKey(request, parsed);
    const cache = answerCache();
    const hit = cache?.get(key);
    if (hit !== undefined) return hit;
    let running = inFlight.get(key);
    if (!running) {
      running = compute(request, parsed.match).finally(() => inFlight.delete(key));
      inFlight.set(key, running);
    }
    const answer = await running;
    keep(cache, key, answer);
    return answer.json;
  } catch (error) {
    // A cursor this server did not give out is a QueryError too, found only by the search itself.
    if (error instanceof QueryError) throw new AppError('bad_request:search', error.message, { cause: error });
    throw error;
  }
}

export async function search(request: SearchRequest): Promise<SearchResponse> {
  return JSON.parse(new TextDecoder().decode(await searchJson(request))) as SearchResponse;
}
