import { z } from 'zod';
import { FILTER_NAMES, FILTERS, type FilterName, type FilterValues } from './filters';

/** `/api/search`, `/api/experiments` and `/` query parameters, and the validated request they become. */

export const SORTS = ['relevance', 'newest', 'oldest'] as const;

/**
 * How long the search page waits after a keystroke before it asks: a faster typist's keystrokes share one
 * search, so a person typing asks at most once per this long (bench:search's paced typing is that person).
 */
export const SEARCH_DEBOUNCE_MS = 150;
export type Sort = (typeof SORTS)[number];

/** A validated search request: what the search is given. */
export type SearchRequest = FilterValues & {
  q: string;
  sort?: Sort;
  /** Inclusive dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
};

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2023-06-15');
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(200, 'must be at most 200 characters')).max(20, 'may be given at most 20 times'));

export const searchParamsSchema = z.object({
  q: z.string().max(10_000, 'must be at most 10,000 characters').default(''),
  sort: z.enum(SORTS, { error: `must be one of ${SORTS.join(', ')}` }).optional(),
  ...(Object.fromEntries(FILTER_NAMES.map((name) => [FILTERS[name].param, list])) as Record<(typeof FILTERS)[FilterName]['param'], typeof list>),
  from: date.optional(),
  to: date.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100')
    .max(100, 'must be between 1 and 100')
    .default(20),
  cursor: z.string().max(500, 'is not one this server gave out').optional(),
});

/**
 * Query parameters as zod wants them: repeated keys become arrays, and empty values are left out (a plain
 * HTML form sends `sort=` for its default choice).
 */
export function paramsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key).filter((v) => v !== '' || key === 'q');
    if (all.length) out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

export function toSearchRequest(p: z.infer<typeof searchParamsSchema>): SearchRequest {
  const filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, p[FILTERS[name].param]])) as FilterValues;
  return { q: p.q, sort: p.sort, from: p.from, to: p.to, limit: p.limit, cursor: p.cursor, ...filters };
}
