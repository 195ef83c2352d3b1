import { format, stripVTControlCharacters } from 'node:util';
import { log } from '@/lib/log';

/**
 * Next.js writes free text through console (its start-up lines, and the errors it catches while rendering,
 * stack traces over many lines): in the server, each console call becomes one JSON log line like our own,
 * so that every line a log collector reads parses.
 */
export function sendConsoleToLog(): void {
  const as =
    (level: 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const msg = stripVTControlCharacters(format(...args)).trim();
      if (msg) log(level, msg);
    };
  console.log = console.info = console.debug = as('info');
  console.warn = as('warn');
  console.error = as('error');
}
