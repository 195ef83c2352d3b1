import { AppError } from '@/lib/errors';

/** Every page, API and file is read with these; nothing here takes a body. */
const METHODS = new Set(['GET', 'HEAD']);

/**
 * A request no route can answer, refused before routing with the reason (405 or 400), or undefined.
 * Refused here rather than in each route: Next.js answers an unknown method (TRACE) or a malformed escape
 * (`/experiment/ephys/%ff`) with a 500 and a stack trace in the log, and URL parsing resolves `.` and `..`
 * segments (also as `%2e`), so `/data/..` would reach a handler as another path than the one routed.
 */
export function refusedRequest(method: string, path: string): AppError | undefined {
  if (!METHODS.has(method)) return new AppError('method_not_allowed:request', `${method} is not served here; use GET or HEAD`);
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return new AppError('bad_request:path', 'the path has a malformed percent-escape');
    }
    if (decoded === '.' || decoded === '..') return new AppError('bad_request:path', 'the path has a . or .. segment, which names nothing here');
  }
  return undefined;
}

export const ALLOWED_METHODS = [...METHODS].join(', ');
