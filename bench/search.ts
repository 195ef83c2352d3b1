/**
 * `npm run bench:search`: /api/search over a synthetic index of 100,000 experiments and 1,000,000 objects.
 * Prints, per query kind and for the whole mix: the in-process search time (one query at a time: the floor)
 * and the HTTP latency at 16 connections against the production server, with requests per second and the
 * index size on disk.
 *
 * Then the typing workload (bench/support/typing.ts): CONNECTIONS people each typing words of the index
 * letter by letter, a new query per keystroke, cache on as in production, with its p50/p99, the first two
 * keystrokes' p99, the slowest queries, and the same keystrokes' in-process floor; first each keystroke as
 * soon as the one before was answered, then at the search page's own pace (a keystroke per debounce, the
 * most the page asks of a person) for CONNECTIONS and 4 × CONNECTIONS people.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --connections N (16), --seconds N (20),
 *        --seed N (1, the typing workload's), --rebuild (build the index again even if data/bench/ has it),
 *        --typing-only (only the typing workload).
 */
import { statSync } from 'node:fs';
import { openDatabase } from '../lib/db/index';
import { SEARCH_DEBOUNCE_MS, searchParamsSchema, toSearchRequest, type SearchRequest } from '../contracts/search-params';
import { searchExperiments } from '../lib/search/run';
import { httpClient, percentile, runLoad, startAppServer, type LoadResult } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { BENCH_QUERIES } from './support/synthetic-index';
import { keystrokesOf, typedWords, type Keystroke } from './support/typing';
import { serverMemory, startProbeProcess, type Probe } from './support/probes';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(
  z.object({
    experiments: countFlag(100_000),
    objects: countFlag(1_000_000),
    connections: countFlag(16, 1, 1024),
    seconds: countFlag(20, 1, 3600),
    seed: countFlag(1, 0, 1_000_000),
    rebuild: z.boolean().default(false),
    'typing-only': z.boolean().default(false),
  }),
  ['rebuild', 'typing-only'],
);
const { experiments: EXPERIMENTS, objects: OBJECTS, connections: CONNECTIONS, seconds: SECONDS } = flags;
const PORT = 3219;
const DB = await benchIndex({ experiments: EXPERIMENTS, objects: OBJECTS, rebuild: flags.rebuild });

const ms = (n: number) => n.toFixed(2);

function toRequest(query: (typeof BENCH_QUERIES)[number]): SearchRequest {
  return toSearchRequest(searchParamsSchema.parse({ ...query.params, q: query.q, limit: 20 }));
}

function toUrl(query: (typeof BENCH_QUERIES)[number]): string {
  return `/api/search?${new URLSearchParams({ q: query.q, ...query.params })}`;
}

const size = statSync(DB).size;

const keystrokeUrl = (k: Keystroke) => `/api/search?${new URLSearchParams({ q: k.q, ...k.params })}`;
const index = openDatabase(DB);
const words = keystrokesOf(typedWords(index.$client, flags.seed, 20_000), flags.seed);
// The floor: the first 2,000 keystrokes in process, one at a time.
const inProcess: number[] = [];
for (const k of words.flat().slice(0, 2000)) {
  const start = performance.now();
  searchExperiments(index.$client, toSearchRequest(searchParamsSchema.parse({ ...k.params, q: k.q, limit: 20 })));
  inProcess.push(performance.now() - start);
}
inProcess.sort((a, b) => a - b);
const fileUuids = index.$client.prepare('SELECT uuid FROM objects ORDER BY random() LIMIT 500').pluck().all() as string[];
index.$client.close();

interface Typing {
  /** Each keystroke's latency and when it was sent, in seconds from the run's start. */
  timed: { k: Keystroke; ms: number; at: number }[];
  /** Answers other than 200, as `q → status` (0: the request failed). */
  errors: string[];
  seconds: number;
  words: number;
  /** HEAD /data, GET /api/files and GET /api/health meanwhile, one at a time, from a process of their own. */
  probes: Record<Probe, number[]>;
  /** The server's processes' memory after the run (bench/support/probes.ts). */
  memory: Record<string, string[]>;
}

/**
 * People typing, each taking the next word of the list, on a fresh production server with its cache on.
 * `pace` undefined: each keystroke is sent as soon as the answer to the one before came (as fast as the
 * server answers: the issue's workload). A pace in ms: a keystroke every `pace` ms whether or not the one
 * before was answered, as the search page asks for a typist that fast (its debounce).
 */
async function runTyping(people: number, pace?: number): Promise<Typing> {
  const server = await startAppServer(PORT, {
    DATABASE_PATH: DB,
    S3_BUCKET: 'braingeneers',
    S3_ENDPOINT: 'http://127.0.0.1:9',
  });
  // Paced people may have several answers outstanding: sockets enough that none waits for one.
  const { send, close } = httpClient(PORT, pace === undefined ? people : 4 * people);
  const timed: Typing['timed'] = [];
  const errors: string[] = [];
  let nextWord = 0;
  const prober = await startProbeProcess(PORT, fileUuids);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const type = async (k: Keystroke) => {
    const start = performance.now();
    const status = await send('GET', keystrokeUrl(k));
    if (status !== 200) errors.push(`${JSON.stringify(k.q)} → ${status}`);
    timed.push({ k, ms: performance.now() - start, at: (start - started) / 1000 });
  };
  await Promise.all(
    Array.from({ length: people }, async (_, person) => {
      const sent: Promise<void>[] = [];
      // Paced people start spread over one keystroke, as people do not type in step.
      let due = started + (pace === undefined ? 0 : (pace * person) / people);
      while (performance.now() < deadline && nextWord < words.length) {
        for (const k of words[nextWord++]!) {
          if (pace === undefined) await type(k);
          else {
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
            due += pace;
            sent.push(type(k));
          }
          if (performance.now() >= deadline) break;
        }
      }
      await Promise.all(sent);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const result = { timed, errors, seconds, words: nextWord, probes: await prober.stop(), memory: serverMemory(server.pid) };
  close();
  await server.stop();
  return result;
}

/** The production server over the same index, under CONNECTIONS concurrent clients for SECONDS. */
async function runHttp(cache: boolean): Promise<LoadResult> {
  const server = await startAppServer(PORT, {
    DATABASE_PATH: DB,
    S3_BUCKET: 'braingeneers',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    // On: SEARCH_CACHE_MB's default, as in production.
    ...(cache ? {} : { SEARCH_CACHE_MB: '0' }),
  });
  const { send, close } = httpClient(PORT, CONNECTIONS);
  // Warm-up: each query once (and, with a cache, into it).
  for (const query of BENCH_QUERIES) await send('GET', toUrl(query));

  const run = await runLoad({
    send,
    connections: CONNECTIONS,
    seconds: SECONDS,
    next: (i) => {
      const query = BENCH_QUERIES[i % BENCH_QUERIES.length]!;
      return { method: 'GET', path: toUrl(query), label: query.kind, expected: 200 };
    },
  });
  close();
  await server.stop();
  return run;
}

/** The floor: each query in process, one at a time, after one warm-up pass. */
function mixFloor(): Map<string, number[]> {
  const db = openDatabase(DB);
  const floor = new Map<string, number[]>();
  for (let round = 0; round < 6; round++) {
    for (const query of BENCH_QUERIES) {
      const start = performance.now();
      searchExperiments(db.$client, toRequest(query));
      if (round > 0) floor.set(query.kind, [...(floor.get(query.kind) ?? []), performance.now() - start]);
    }
  }
  db.$client.close();
  return floor;
}

/** The mix of BENCH_QUERIES: in process, then over HTTP without and with the answer cache. */
async function runMix(): Promise<void> {
  const floor = mixFloor();
  const cold = await runHttp(false);
  const warm = await runHttp(true);

  const all = (m: Map<string, number[]>) => [...m.values()].flat().sort((a, b) => a - b);
  console.log(
    `\n${EXPERIMENTS.toLocaleString('en-US')} experiments, ${OBJECTS.toLocaleString('en-US')} objects; index ${(size / 1e9).toFixed(2)} GB on disk`,
  );
  for (const [name, run] of [
    ['no cache', cold],
    ['cache', warm],
  ] as const) {
    console.log(
      `HTTP, ${name}: ${CONNECTIONS} connections for ${SECONDS} s: ${run.completed} requests, ${(run.completed / run.seconds).toFixed(0)} req/s, ${run.errors} errors`,
    );
  }
  console.log('\n| query kind | in-process p50 ms | HTTP no cache p50 / p99 ms | HTTP with cache p50 / p99 ms |');
  console.log('|---|---|---|---|');
  const row = (label: string, f: number[], c: number[], w: number[]) =>
    console.log(
      `| ${label} | ${ms(percentile(f, 50))} | ${ms(percentile(c, 50))} / ${ms(percentile(c, 99))} | ${ms(percentile(w, 50))} / ${ms(percentile(w, 99))} |`,
    );
  const sorted = (values: number[] | undefined) => [...(values ?? [])].sort((a, b) => a - b);
  for (const kind of new Set(BENCH_QUERIES.map((q) => q.kind))) {
    row(kind, sorted(floor.get(kind)), sorted(cold.latencies.get(kind)), sorted(warm.latencies.get(kind)));
  }
  const f = all(floor);
  row('**whole mix**', f, all(cold.latencies), all(warm.latencies));
  console.log(`\ntargets: HTTP p50 <= 10 ms, p99 <= 50 ms, HTTP p50 within 3x of in-process p50`);
  console.log('The mix repeats the same 25 queries: with the cache on, almost every request is a cache hit.');
}

if (!flags['typing-only']) await runMix();
const typing = await runTyping(CONNECTIONS);
const paced = [await runTyping(CONNECTIONS, SEARCH_DEBOUNCE_MS), await runTyping(4 * CONNECTIONS, SEARCH_DEBOUNCE_MS)];

const sortedMs = (timed: Typing['timed']) => timed.map((t) => t.ms).sort((a, b) => a - b);
const firstTwo = (timed: Typing['timed']) => sortedMs(timed.filter((t) => t.k.typed <= 2));
const typingRows = (run: Typing) => {
  const all = sortedMs(run.timed);
  const firsts = firstTwo(run.timed);
  console.log(`| every keystroke, HTTP | ${ms(percentile(all, 50))} | ${ms(percentile(all, 99))} | ${ms(all.at(-1) ?? NaN)} |`);
  console.log(`| first two keystrokes, HTTP | ${ms(percentile(firsts, 50))} | ${ms(percentile(firsts, 99))} | ${ms(firsts.at(-1) ?? NaN)} |`);
  for (const label of ['HEAD /data', 'GET /api/health'] as const) {
    const probed = [...run.probes[label]].sort((a, b) => a - b);
    console.log(
      `| ${label} meanwhile (${probed.length}) | ${ms(percentile(probed, 50))} | ${ms(percentile(probed, 99))} | ${ms(probed.at(-1) ?? NaN)} |`,
    );
  }
};
const memoryLine = (run: Typing) =>
  console.log(
    `memory after the run, private + mapped from the index (MB): ${Object.entries(run.memory)
      .map(([role, values]) => `${role} ${values.join(', ')}`)
      .join('; ')}`,
  );
const slowest = (run: Typing) => {
  console.log('slowest keystrokes:');
  for (const { k, ms: took, at } of [...run.timed].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
    const params = Object.keys(k.params).length ? ` ${new URLSearchParams(k.params)}` : '';
    console.log(`  ${ms(took)} ms  q=${JSON.stringify(k.q)}${params} (${k.source}), sent ${at.toFixed(2)} s into the run`);
  }
};
const heading = (run: Typing, who: string) =>
  console.log(
    `\ntyping (seed ${flags.seed}): ${who}, ${run.words.toLocaleString('en-US')} words, ${run.timed.length.toLocaleString('en-US')} keystrokes in ${run.seconds.toFixed(1)} s (${(run.timed.length / run.seconds).toFixed(0)} req/s), ${run.errors.length} errors${run.errors.length ? ` (${run.errors.slice(0, 5).join(', ')})` : ''}, cache on`,
  );
heading(typing, `${CONNECTIONS} people each sending a keystroke as soon as the one before was answered`);
console.log('| | p50 ms | p99 ms | slowest ms |');
console.log('|---|---|---|---|');
typingRows(typing);
memoryLine(typing);
console.log(
  `| the first 2,000 keystrokes in process | ${ms(percentile(inProcess, 50))} | ${ms(percentile(inProcess, 99))} | ${ms(inProcess.at(-1) ?? NaN)} |`,
);
slowest(typing);
console.log('targets: p50 <= 10 ms, p99 <= 50 ms, first two keystrokes p99 <= 50 ms; HEAD /data and /api/health p99 < 10 ms');
for (const run of paced) {
  heading(
    run,
    `${run === paced[0] ? CONNECTIONS : 4 * CONNECTIONS} people at the search page's pace (a keystroke every ${SEARCH_DEBOUNCE_MS} ms, its debounce)`,
  );
  console.log('| | p50 ms | p99 ms | slowest ms |');
  console.log('|---|---|---|---|');
  typingRows(run);
  memoryLine(run);
  slowest(run);
}
console.log(
  `rerun: npm run bench:search -- --experiments ${EXPERIMENTS} --objects ${OBJECTS} --connections ${CONNECTIONS} --seconds ${SECONDS} --seed ${flags.seed}`,
);
