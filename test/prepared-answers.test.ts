import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticIndex } from '../bench/support/synthetic-index';
import { searchParamsSchema, toSearchRequest, type SearchRequest } from '../contracts/search-params';
import { openDatabase } from '../lib/db/index';
import { searchJson, startSearchThreads } from '../lib/search/index';
import type { PreparedAnswer } from '../lib/search/run';
import { tempDir } from './support/index';

/**
 * The answers a starting search thread prepared (lib/search/run.ts prepareSearch), kept by the process that
 * takes requests as it starts (lib/search/index.ts): its own file, as the search threads are the process's.
 * The thread here prepares answers the test names and answers any other search with "computed …", so what
 * comes back says where it came from.
 */

const STALE_MS = 200;
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const encoded = (text) => new TextEncoder().encode(JSON.stringify(text));
const prepared = workerData.map(({ request, text, keepForMs }) => ({ request, answer: { json: encoded(text), keepForMs } }));
parentPort.postMessage({ ready: true, prepared }, prepared.map(({ answer }) => answer.json.buffer));
parentPort.on('message', ({ id, request }) => {
  const json = encoded('computed ' + request.q);
  parentPort.postMessage({ id, json, keepForMs: Infinity }, [json.buffer]);
});`;

let dir: ReturnType<typeof tempDir>;
const request = (q: string): SearchRequest => toSearchRequest(searchParamsSchema.parse({ q }));
const answerTo = async (q: string) => JSON.parse(new TextDecoder().decode(await searchJson(request(q)))) as string;

beforeAll(async () => {
  dir = tempDir('prepared-answers');
  const path = join(dir.path, 'search.db');
  await buildSyntheticIndex({ path, experiments: 50, objects: 100 });
  Object.assign(process.env, { DATABASE_PATH: path, S3_BUCKET: 'braingeneers', SEARCH_STALE_SECONDS: String(STALE_MS / 1000) });
  const prepared: (Omit<PreparedAnswer, 'answer'> & { text: string; keepForMs: number })[] = [
    { request: request('r'), text: 'prepared r', keepForMs: Infinity },
    { request: request('s'), text: 'prepared s, of a catalog held past a commit', keepForMs: 0 },
  ];
  await startSearchThreads(() => new Worker(THREAD, { eval: true, workerData: prepared }), 1);
}, 60_000);

afterAll(() => dir?.remove());

describe('answers prepared by a starting search thread', () => {
  it('are kept for the first people typing, and only those that may be; a commit to the index ends them', async () => {
    expect(await answerTo('r')).toBe('prepared r');
    expect(await answerTo('r')).toBe('prepared r');
    // A capital asks the same question (lib/search/run.ts answerKey).
    expect(await answerTo('R')).toBe('prepared r');
    // Of a catalog that no longer was the index's: never kept, computed when asked.
    expect(await answerTo('s')).toBe('computed s');
    expect(await answerTo('t')).toBe('computed t');

    // Any commit of another connection (the crawler) moves the index on.
    const writer = openDatabase(process.env.DATABASE_PATH!);
    writer.$client.exec("UPDATE experiments SET purpose = 'changed' WHERE id = (SELECT min(id) FROM experiments)");
    writer.$client.close();
    await new Promise((resolve) => setTimeout(resolve, STALE_MS + 50));
    expect(await answerTo('r')).toBe('computed r');
  });
});
