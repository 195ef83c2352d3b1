import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { getLogLevel } from './config';

/**
 * Structured logs (pino): one JSON object per line with `time`, `level` and `msg`, and the id of the
 * request being served. Callers pass what happened and plain facts (paths, codes, counts), never headers,
 * query strings or URLs: presigned URLs carry signatures, and headers carry cookies and keys.
 */

type Level = 'debug' | 'info' | 'warn' | 'error';

// One store per process: the server bundle and Next.js's compiled routes each load this module.
const shared = globalThis as unknown as { requestContext?: AsyncLocalStorage<{ requestId: string }> };
shared.requestContext ??= new AsyncLocalStorage();
const requestContext = shared.requestContext;

/** Runs `fn` (and everything it starts) as part of the request `requestId`. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

/**
 * A JSON logger at LOG_LEVEL. The server's logs go to stdout, their warnings and errors to stderr; a
 * program whose stdout is its result (the crawler's summary) logs everything to stderr.
 */
export function jsonLogger(output: 'split' | 'stderr'): pino.Logger {
  const streams: pino.StreamEntry[] =
    output === 'stderr'
      ? [{ level: 'trace', stream: pino.destination({ dest: 2, sync: true }) }]
      : [
          { level: 'trace', stream: pino.destination({ dest: 1, sync: true }) },
          { level: 'warn', stream: pino.destination({ dest: 2, sync: true }) },
        ];
  return pino(
    {
      level: getLogLevel(),
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = requestContext.getStore()?.requestId;
        return requestId ? { requestId } : {};
      },
    },
    // Each line once, to the stream for its level.
    pino.multistream(streams, { dedupe: true }),
  );
}

let server: pino.Logger | undefined;

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  server ??= jsonLogger('split');
  server[level](fields, msg);
}
