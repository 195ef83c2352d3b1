import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { getConfig } from '../config';
import { openDatabase } from '../db/index';
import { QueryError } from './parse';
import { homeOf, type SearchReply, type SearchTask, type ThreadPlace, type ThreadReady } from './pool';
import { answerSearch, prepareSearch, type PreparedAnswer } from './run';

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

port.on('message', ({ id, request }: SearchTask) => {
  let reply: SearchReply;
  try {
    reply = { id, ...answerSearch(sqlite, request, searchStaleMs) };
  } catch (error) {
    reply = error instanceof QueryError ? { id, queryError: error.message } : { id, error: error instanceof Error ? error.message : String(error) };
  }
  // The answer's bytes are handed over, not copied.
  port.postMessage(reply, 'json' in reply ? [reply.json.buffer] : []);
});
