import { getIndexStats } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';
import { search } from '@/lib/search';
import { paramsObject, searchParamsSchema, toSearchRequest } from './schema';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  try {
    const parsed = searchParamsSchema.safeParse(paramsObject(new URL(request.url).searchParams));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('bad_request:search', `${String(issue.path[0] ?? 'query')} ${issue.message}`);
    }
    return Response.json({ ...search(toSearchRequest(parsed.data)), stats: getIndexStats() });
  } catch (error) {
    return errorResponse(error, 'api/search');
  }
}
