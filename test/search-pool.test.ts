import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_QUERIES, buildSyntheticIndex } from '../bench/support/synthetic-index';
import { openDatabase } from '../lib/db/index';
import { AppError } from '../lib/errors';
import { QueryError } from '../lib/search/parse';
import { homeOf, SearchPool, type ThreadPlace } from '../lib/search/pool';
import { noFilterValues } from '../contracts/filters';
import { paramsObject, searchParamsSchema, toSearchRequest, type SearchRequest } from '../contracts/search-params';
import { type EncodedAnswer, FIRST_QUESTIONS, SECOND_QUESTIONS, searchExperiments } from '../lib/search/run';
import { startWorkerThread } from '../lib/worker-thread';
import { tempDir } from './support/index';

/** Searches in worker threads (lib/search/pool.ts) over a synthetic index, compared with searches in place. */

let dir: ReturnType<typeof tempDir>;
let path: string;

/**
 * A search thread that only says which thread it is, after working for `q` milliseconds; ready at once, or
 * after `preparing` milliseconds. Asked `due`, it says its catalog is due to be loaded again; given its turn,
 * it takes 300 ms, answering "while refreshing" meanwhile; asked `refreshes`, it says how many turns it had.
 */
const TELLING_THREAD = `
const { parentPort, threadId, workerData } = require('node:worker_threads');
let refreshing = false;
let refreshes = 0;
setTimeout(() => parentPort.postMessage({ ready: true, prepared: [] }), workerData.preparing ?? 0);
parentPort.on('message', (message) => {
  if (message.refresh) {
    refreshing = true;
    return setTimeout(() => {
      refreshing = false;
      refreshes++;
      parentPort.postMessage({ refreshed: true });
    }, 300);
  }
  const { id, request } = message;
  if (request.q === 'due') parentPort.postMessage({ due: true });
  const until = Date.now() + (Number(request.q) || 0);
  while (Date.now() < until);
  const json = new TextEncoder().encode(JSON.stringify(refreshing ? 'while refreshing' : request.q === 'refreshes' ? refreshes : threadId));
  parentPort.postMessage({ id, json, keepForMs: Infinity }, [json.buffer]);
});`;
const tellingThread = (place: ThreadPlace & { preparing?: number }) => new Worker(TELLING_THREAD, { eval: true, workerData: place });
const parse = ({ json }: EncodedAnswer) => JSON.parse(new TextDecoder().decode(json));
const request = (q: string): SearchRequest => ({ q, ...noFilterValues(), limit: 20 });
const thread = (place: ThreadPlace) =>
  startWorkerThread(new URL('../lib/search/worker.mjs', import.meta.url), new URL('../lib/search/worker.ts', import.meta.url), place);

beforeAll(async () => {
  dir = tempDir('search-pool');
  path = join(dir.path, 'search.db');
  await buildSyntheticIndex({ path, experiments: 2000, objects: 10_000 });
  // The threads read the index named by the environment, as in the server.
  Object.assign(process.env, { DATABASE_PATH: path, S3_BUCKET: 'braingeneers' });
}, 120_000);

afterAll(() => dir?.remove());

/** For each of two threads, a match expression whose searches go to it first. */
const HOMED_AFFINITIES = [0, 1].map((home) => ['"a"', '"b"', '"c"', '"d"', '"e"', '"f"'].find((a) => homeOf(a, 2) === home)!);

describe('SearchPool', () => {
  it('answers as a search in place does, several searches at once over two threads', async () => {
    const pool = new SearchPool(thread, 2, 30_000);
    try {
      const db = openDatabase(path, { readonly: true });
      const queries = BENCH_QUERIES.map((q) => request(q.q));
      const answers = await Promise.all(queries.map((r) => pool.search(r)));
      answers.forEach((answer, i) => {
        expect(parse(answer)).toEqual(searchExperiments(db.$client, queries[i]!));
        // Nothing committed since the threads loaded their catalogs: every answer may be kept.
        expect(answer.keepForMs).toBe(Infinity);
      });
      db.$client.close();
    } finally {
      await pool.close();
    }
  });

  it("is ready once each thread has loaded its catalog and a first keystroke's match sets, and answers as before", async () => {
    const pool = new SearchPool(thread, 2, 30_000);
    try {
      const prepared = await pool.ready;
      const db = openDatabase(path, { readonly: true });
      for (const q of ['s', 'o', 'organoid']) expect(parse(await pool.search(request(q)))).toEqual(searchExperiments(db.$client, request(q)));
      // The threads' prepared answers: no text, every single character and every two, asked as the search page
      // and the API ask them (the answer cache's key is made from the request), each by the one thread the pool
      // sends it to, and answered as a search in place answers them.
      const asked = (query: string) => JSON.stringify(toSearchRequest(searchParamsSchema.parse(paramsObject(new URLSearchParams(query)))));
      expect(prepared.map((p) => JSON.stringify(p.request)).sort()).toEqual(
        [...FIRST_QUESTIONS, ...SECOND_QUESTIONS].map((q) => asked(q ? `q=${q}` : '')).sort(),
      );
      expect(SECOND_QUESTIONS).toEqual(expect.arrayContaining(['aa', 'or', 'z9', '0a', '99']));
      for (const { request: asked, answer } of prepared) {
        expect(parse(answer)).toEqual(searchExperiments(db.$client, asked));
        expect(answer.keepForMs).toBe(Infinity);
      }
      expect(parse(prepared.find((p) => p.request.q === 'o')!.answer).total).toBeGreaterThan(0);
      db.$client.close();
    } finally {
      await pool.close();
    }
  });

  it('is ready when a thread cannot start, rather than never', async () => {
    const pool = new SearchPool(() => new Worker('throw new Error("no index")', { eval: true }), 1, 30_000);
    try {
      // Never ready, the test ends at its time limit.
      await expect(pool.ready).resolves.toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('sends the searches of one match expression to its thread while that is free, and leaves no thread idle', async () => {
    const pool = new SearchPool(tellingThread, 2, 30_000);
    try {
      await pool.ready;
      // Which thread ran a search, and in what order the searches ended (no time is asserted, only placement).
      const ended: string[] = [];
      const ran = async (ms: number, affinity: string, name = '') => {
        const thread = parse(await pool.search(request(String(ms)), affinity)) as number;
        ended.push(name);
        return thread;
      };
      // One at a time, both threads free each time: an expression's searches all go to one thread.
      const homes = new Map<string, number>();
      for (const expression of ['"organoid"', '"s"*', '"mouse"', '"hc328"', '"se"*', '"rec"*']) {
        homes.set(expression, await ran(0, expression));
        for (let i = 0; i < 5; i++) expect(await ran(0, expression)).toBe(homes.get(expression));
      }
      const [a, b] = [...new Set(homes.values())];
      expect(b).toBeDefined();
      const homedTo = (thread: number) => [...homes].find(([, home]) => home === thread)![0];
      // Its thread busy, a search goes to the other one rather than wait.
      const [long, other] = await Promise.all([ran(400, homedTo(a!)), ran(0, homedTo(a!))]);
      expect(other).not.toBe(long);
      // Both busy: the thread that frees first takes an older search of the other's before a newer one of its
      // own, once that one has waited 5 ms, rather than leave it to wait for the long search.
      ended.length = 0;
      await Promise.all([ran(600, homedTo(a!), 'long'), ran(100, homedTo(b!)), ran(0, homedTo(a!), 'older'), ran(300, homedTo(b!), 'newer')]);
      expect(ended.indexOf('older')).toBeLessThan(ended.indexOf('newer'));
    } finally {
      await pool.close();
    }
  });

  it('sends no search to a thread that replaced another while it prepares, when another is ready', async () => {
    // The third thread started (the one that replaces the first) takes a second to prepare.
    let started = 0;
    const pool = new SearchPool((place) => tellingThread({ ...place, preparing: ++started === 3 ? 1000 : 0 }), 2, 200);
    try {
      await pool.ready;
      const threadOf = async (ms: number, affinity: string) => parse(await pool.search(request(String(ms)), affinity)) as number;
      const [first, second] = HOMED_AFFINITIES;
      const other = await threadOf(0, second!);
      // Over its time limit, the first thread is replaced.
      await expect(pool.search(request('1000'), first!)).rejects.toThrow(AppError);
      // Its searches go to the other thread meanwhile.
      for (let i = 0; i < 3; i++) expect(await threadOf(0, first!)).toBe(other);
    } finally {
      await pool.close();
    }
  });

  it('lets one thread at a time load its catalog again, and sends it no search meanwhile', async () => {
    const pool = new SearchPool(tellingThread, 2, 30_000);
    try {
      await pool.ready;
      // Both due at once: the second takes its turn once the first has loaded (300 ms each).
      await Promise.all(HOMED_AFFINITIES.map((home) => pool.search(request('due'), home)));
      const answers: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        answers.push(parse(await pool.search(request('0'), HOMED_AFFINITIES[i % 2]!)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(answers).not.toContain('while refreshing');
      expect(new Set(answers).size).toBe(2);
      for (const home of HOMED_AFFINITIES) expect(parse(await pool.search(request('refreshes'), home))).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("loads a changed index between searches, before the catalog's hold past the change ends", async () => {
    // SEARCH_STALE_SECONDS=3: with two threads, each asks its turn 1.5 s after it loaded its catalog (RELOAD_ROOM_MS).
    process.env.SEARCH_STALE_SECONDS = '3';
    const pool = new SearchPool(thread, 2, 30_000);
    const writer = openDatabase(path);
    try {
      await pool.ready;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const name = (offset: number) =>
        writer.$client.prepare("UPDATE experiments SET purpose = 'quillwort' WHERE id = (SELECT min(id) + ? FROM experiments)").run(offset);
      // Searches of one affinity all go to its thread, one at a time: the answers are of one thread's catalog.
      const answerUntil = async (total: number, deadline: number) => {
        let answer = await pool.search(request('quillwort'), 'quillwort');
        while ((parse(answer).total !== total || answer.keepForMs !== Infinity) && performance.now() < deadline) {
          await sleep(50);
          answer = await pool.search(request('quillwort'), 'quillwort');
        }
        return answer;
      };
      // Past its hold, a thread's catalog is loaded (by a search or in its turn) once the index changes, then held 3 s.
      await sleep(3_100);
      name(0);
      const loaded = performance.now();
      expect(parse(await answerUntil(1, loaded + 2_900)).total).toBe(1);
      name(1);
      // Another change: no search loads it before 3 s after that load, after `loaded`; the thread's turn comes first.
      const answer = await answerUntil(2, loaded + 2_900);
      expect(parse(answer).total).toBe(2);
      expect(answer.keepForMs).toBe(Infinity);
    } finally {
      writer.$client.close();
      await pool.close();
      delete process.env.SEARCH_STALE_SECONDS;
    }
  }, 20_000);

  it('passes a query error back as one, and goes on', async () => {
    const pool = new SearchPool(thread, 1, 30_000);
    try {
      await expect(pool.search(request('after:2023-13'))).rejects.toThrow(QueryError);
      expect(parse(await pool.search(request('organoid'))).total).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('stops a search over its time limit with a 503 that says so', async () => {
    // A new thread takes longer than a millisecond to start, so the first search is over its limit.
    const pool = new SearchPool(thread, 1, 1);
    try {
      const error = await pool.search(request('organoid')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 503, message: 'the search took longer than 0.001 s and was stopped; try a narrower query' });
    } finally {
      await pool.close();
    }
  });
});
