import { SearchApp, type Answer } from '@/components/search-app';
import { FILTER_PARAMS, type FilterParam } from '@/contracts/filters';
import { firstIssue } from '@/contracts/issues';
import type { SearchState } from '@/components/search-url';
import { AppError } from '@/lib/errors';
import { getIndexStats } from '@/lib/db/queries';
import { search } from '@/lib/search';
import { paramsObject, searchParamsSchema, toSearchRequest } from '@/contracts/search-params';

export const dynamic = 'force-dynamic';

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export default async function SearchPage({ searchParams }: PageProps) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const v of asList(value)) params.append(key, v);
  const raw = paramsObject(params);
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const state: SearchState = {
    q: first(raw.q) ?? '',
    sort: first(raw.sort),
    ...(Object.fromEntries(FILTER_PARAMS.map((name) => [name, asList(raw[name])])) as Record<FilterParam, string[]>),
    from: first(raw.from),
    to: first(raw.to),
  };
  const parsed = searchParamsSchema.safeParse(raw);
  let initial: Answer;
  if (!parsed.success) {
    initial = { error: firstIssue(parsed.error, { fallback: 'query' }) };
  } else {
    try {
      initial = { response: await search(toSearchRequest(parsed.data)) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      initial = { error: error.message };
    }
  }
  return <SearchApp initialState={state} initial={initial} now={Date.now()} stats={getIndexStats()} />;
}
