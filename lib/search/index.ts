import { getDb } from '../db/index';
import { AppError } from '../errors';
import { QueryError } from './parse';
import { searchExperiments, type SearchRequest, type SearchResponse } from './run';

export type { SearchRequest, SearchResponse, SearchResult, Sort } from './run';

/** A search over the index, or an AppError naming what was wrong with the request. */
export function search(request: SearchRequest): SearchResponse {
  try {
    return searchExperiments(getDb().$client, request);
  } catch (error) {
    if (error instanceof QueryError) throw new AppError('bad_request:search', error.message, { cause: error });
    throw error;
  }
}
