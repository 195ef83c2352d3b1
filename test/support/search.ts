import { searchParamsSchema, toSearchRequest } from '../../contracts/search-params';
import { openDatabase, type AppDatabase } from '../../lib/db/index';
import { searchExperiments } from '../../lib/search/run';
import type { SearchResponse } from '../../contracts/search-answer';

/** A search as the API asks it (a page of 20 unless `params` says), in process on this connection. */
export const searchOn = (sqlite: AppDatabase['$client'], params: Record<string, string>): SearchResponse =>
  searchExperiments(sqlite, toSearchRequest(searchParamsSchema.parse({ limit: '20', ...params })));

/** The same search on a new connection to the index at `path`, with nothing kept: its answer from the index alone. */
export function searchFresh(path: string, params: Record<string, string>): SearchResponse {
  const fresh = openDatabase(path, { readonly: true });
  try {
    return searchOn(fresh.$client, params);
  } finally {
    fresh.$client.close();
  }
}
