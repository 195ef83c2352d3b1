import 'server-only';
import { getIndexStats } from '@/lib/db/queries';
import { firstIssue } from '@/contracts/issues';
import { AppError, errorResponse } from '@/lib/errors';
import { searchJson } from '@/lib/search';
import { paramsObject, searchParamsSchema, toSearchRequest } from '@/contracts/search-params';

export async function GET(request: Request): Promise<Response> {
  try {
    const parsed = searchParamsSchema.safeParse(paramsObject(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError('bad_request:search', firstIssue(parsed.error, { fallback: 'query' }));
    const answer = await searchJson(toSearchRequest(parsed.data));
    // The answer is already JSON: the index's counts are appended (before its closing brace) rather than the
    // answer parsed again.
    const body = Buffer.concat([answer.subarray(0, -1), Buffer.from(`,"stats":${JSON.stringify(getIndexStats())}}`)]);
    return new Response(body, { headers: { 'Content-Type': 'application/json' } });
  } catch (error) {
    return errorResponse(error, 'api/search');
  }
}
