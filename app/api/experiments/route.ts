import { AppError, errorResponse } from '@/lib/errors';
import { search } from '@/lib/search';
import { paramsObject, searchParamsSchema, toSearchRequest } from '@/contracts/search-params';

export const dynamic = 'force-dynamic';

/** Experiments by filters alone, for scripts: the search API without a text query. */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = paramsObject(new URL(request.url).searchParams);
    if ('q' in params) throw new AppError('bad_request:experiments', 'q is not accepted here; use /api/search');
    const parsed = searchParamsSchema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('bad_request:experiments', `${String(issue.path[0] ?? 'query')} ${issue.message}`);
    }
    const { total, results, nextCursor, facets } = await search(toSearchRequest(parsed.data));
    return Response.json({ total, results, facets, nextCursor });
  } catch (error) {
    return errorResponse(error, 'api/experiments');
  }
}
