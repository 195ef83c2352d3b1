import { log } from './log';

/**
 * The one error type routes turn into responses: a code (`bad_request:search`, `not_found:experiment`) that
 * maps to an HTTP status, and a message safe to show. Causes are logged, never returned.
 */
export type ErrorKind = 'bad_request' | 'not_found' | 'method_not_allowed' | 'conflict' | 'precondition_failed' | 'bad_gateway' | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  bad_gateway: 502,
  unavailable: 503,
};

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: `${ErrorKind}:${string}`,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS[code.split(':')[0] as ErrorKind];
  }

  toResponse(): Response {
    return Response.json({ error: { code: this.code, message: this.message } }, { status: this.status });
  }
}

/** A response for anything thrown in a route: AppErrors as they are, anything else logged and hidden. */
export function errorResponse(error: unknown, route: string): Response {
  if (error instanceof AppError) return error.toResponse();
  log('error', 'unexpected error', { route, error: error instanceof Error ? error.message : String(error) });
  return Response.json({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, { status: 500 });
}
