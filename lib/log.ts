import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured logs: one JSON object per line, info on stdout, warnings and errors on stderr, with the id of
 * the request being served. Callers pass what happened and plain facts (paths, codes, counts), never
 * headers, query strings or URLs: presigned URLs carry signatures, and headers carry cookies and keys.
 */

type Level = 'info' | 'warn' | 'error';

// One store per process: the server bundle and Next.js's compiled routes each load this module.
const shared = globalThis as unknown as { requestContext?: AsyncLocalStorage<{ requestId: string }> };
const requestContext = (shared.requestContext ??= new AsyncLocalStorage());

/** Runs `fn` (and everything it starts) as part of the request `requestId`. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, requestId: requestContext.getStore()?.requestId, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}
