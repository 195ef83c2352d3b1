import { FILTER_PARAMS, type FilterParam } from '@/contracts/filters';

/** The search state a URL carries (`/?q=…&species=…`), shared by the server page and the browser. */
export type SearchState = Record<FilterParam, string[]> & {
  q: string;
  sort?: string;
  from?: string;
  to?: string;
};

export function searchParamsOf(state: SearchState, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.sort) params.set('sort', state.sort);
  for (const name of FILTER_PARAMS) {
    for (const value of state[name]) params.append(name, value);
  }
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

export function searchHref(state: SearchState, extra: Record<string, string> = {}): string {
  const query = searchParamsOf(state, extra).toString();
  return query ? `/?${query}` : '/';
}

/** The state with one filter value switched on or off. */
export function toggleFilter(state: SearchState, name: FilterParam, value: string): SearchState {
  const values = state[name];
  return { ...state, [name]: values.includes(value) ? values.filter((v) => v !== value) : [...values, value] };
}

/** The dates a Year chip sets: the whole of that year. */
export function yearRange(year: string): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The state with a year chosen, or cleared when it was the one chosen. */
export function toggleYear(state: SearchState, year: string): SearchState {
  const range = yearRange(year);
  const on = state.from === range.from && state.to === range.to;
  return on ? { ...state, from: undefined, to: undefined } : { ...state, ...range };
}
