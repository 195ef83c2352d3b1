import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { getConfig } from '../config';
import { openDatabase } from '../db/index';
import { QueryError } from './parse';
import { getCatalog } from './catalog';
import {
  homeOf,
  type RefreshTurn,
  type SearchReply,
  type SearchTask,
  type ThreadDue,
  type ThreadPlace,
  type ThreadReady,
  type ThreadRefreshed,
} from './pool';
import { answerSearch, prepareSearch, refreshSearch, type PreparedAnswer } from './run';

/**
 * A search thread (lib/search/pool.ts): its own read-only connection to the index, one search at a time.
 * It runs below the thread that takes requests, so under load the cores go to HEADs and health checks
 * first; on Linux the priority of a thread is its own.
 */

const SEARCH_NICENESS = 4;
try {
  setPriority(SEARCH_NICENESS);
} catch {
  // Not permitted here: the thread searches at the process's priority.
}

const port = parentPort!;
const { databasePath, searchStaleMs } = getConfig();
const sqlite = openDatabase(databasePath, { readonly: true }).$client;
const { thread, threads } = workerData as ThreadPlace;
let prepared: PreparedAnswer[] = [];
try {
  prepared = prepareSearch(sqlite, searchStaleMs, (match) => homeOf(match, threads) === thread);
} catch {
  // An index that cannot be read yet: the searches will say why.
}
port.postMessage(
  { ready: true, prepared } satisfies ThreadReady,
  prepared.map(({ answer }) => answer.json.buffer),
);

/**
 * The catalog is loaded again between searches (ThreadDue), this long before its hold past a change ends
 * (SEARCH_STALE_SECONDS): room for every thread's turn, one after another, before the first search after the
 * hold would load it.
 */
const RELOAD_ROOM_MS = 750;
const CHECK_DUE_MS = 100;
const dueAfterMs = Math.max(0, searchStaleMs - threads * RELOAD_ROOM_MS);
let asked = false;
setInterval(() => {
  if (asked || !getCatalog.due(sqlite, dueAfterMs)) return;
  asked = true;
  port.postMessage({ due: true } satisfies ThreadDue);
}, CHECK_DUE_MS).unref();

port.on('message', (message: SearchTask | RefreshTurn) => {
  if ('refresh' in message) {
    try {
      refreshSearch(sqlite);
    } catch {
      // The next search loads it, or says why it cannot.
    }
    asked = false;
    return port.postMessage({ refreshed: true } satisfies ThreadRefreshed);
  }
  const { id, request } = message;
  let reply: SearchReply;
  try {
    reply = { id, ...answerSearch(sqlite, request, searchStaleMs) };
  } catch (error) {
    reply = error instanceof QueryError ? { id, queryError: error.message } : { id, error: error instanceof Error ? error.message : String(error) };
  }
  // The answer's bytes are handed over, not copied.
  port.postMessage(reply, 'json' in reply ? [reply.json.buffer] : []);
});
