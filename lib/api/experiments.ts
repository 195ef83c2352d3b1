import 'server-only';
import { firstIssue } from '@/contracts/issues';
import { AppError, errorResponse } from '@/lib/errors';
import { search } from '@/lib/search';
import { paramsObject, searchParamsSchema, toSearchRequest } from '@/contracts/search-params';

/** Experiments by filters alone, for scripts: the search API without a text query. */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = paramsObject(new URL(request.url).searchParams);
    if ('q' in params) throw new AppError('bad_request:experiments', 'q is not accepted here; use /api/search');
    const parsed = searchParamsSchema.safeParse(params);
    if (!parsed.success) throw new AppError('bad_request:experiments', firstIssue(parsed.error, { fallback: 'query' }));
    const { total, results, nextCursor, facets, notes } = await search(toSearchRequest(parsed.data));
    return Response.json({ total, results, facets, nextCursor, notes });
  } catch (error) {
    return errorResponse(error, 'api/experiments');
  }
}
