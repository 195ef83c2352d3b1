/**
 * `npm run bench:search`: /api/search over a synthetic index of 100,000 experiments and 1,000,000 objects.
 * Prints, per query kind and for the whole mix: the in-process search time (one query at a time: the floor)
 * and the HTTP latency at 16 connections against the production server, with requests per second and the
 * index size on disk.
 *
 * Then the typing workload (bench/support/typing.ts): CONNECTIONS people each typing words of the index
 * letter by letter, a new query per keystroke, cache on as in production, with its p50/p99, the first two
 * keystrokes' p99, the slowest queries, and the same keystrokes' in-process floor.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --connections N (16), --seconds N (20),
 *        --seed N (1, the typing workload's), --rebuild (build the index again even if data/bench/ has it).
 */
import { statSync } from 'node:fs';
import { openDatabase } from '../lib/db/index';
import { searchParamsSchema, toSearchRequest, type SearchRequest } from '../contracts/search-params';
import { searchExperiments } from '../lib/search/run';
import { httpClient, percentile, runLoad, startAppServer, type LoadResult } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { BENCH_QUERIES } from './support/synthetic-index';
import { keystrokesOf, typedWords, type Keystroke } from './support/typing';
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
  }),
  ['rebuild'],
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

// The floor: each query in process, one at a time, after one warm-up pass.
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

const keystrokeUrl = (k: Keystroke) => `/api/search?${new URLSearchParams({ q: k.q, ...k.params })}`;

/**
 * People typing: each of CONNECTIONS takes the next word and sends its keystrokes one after another, each as
 * soon as the answer to the one before came, for SECONDS; the production server with its cache on.
 */
async function runTyping() {
  const index = openDatabase(DB);
  const words = keystrokesOf(typedWords(index.$client, flags.seed, 20_000), flags.seed);
  // The floor: the first 2,000 keystrokes in process, one at a time.
  const inProcess: number[] = [];
  for (const k of words.flat().slice(0, 2000)) {
    const start = performance.now();
    searchExperiments(index.$client, toSearchRequest(searchParamsSchema.parse({ ...k.params, q: k.q, limit: 20 })));
    inProcess.push(performance.now() - start);
  }
  index.$client.close();
  const server = await startAppServer(PORT, {
    DATABASE_PATH: DB,
    S3_BUCKET: 'braingeneers',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    SEARCH_CACHE_MB: '32',
  });
  const { send, close } = httpClient(PORT, CONNECTIONS);
  const timed: { k: Keystroke; ms: number }[] = [];
  let errors = 0;
  let nextWord = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline && nextWord < words.length) {
        for (const k of words[nextWord++]!) {
          if (performance.now() >= deadline) break;
          const start = performance.now();
          if ((await send('GET', keystrokeUrl(k))) !== 200) errors++;
          timed.push({ k, ms: performance.now() - start });
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  close();
  await server.stop();
  return { timed, errors, seconds, inProcess: inProcess.sort((a, b) => a - b), words: nextWord };
}

/** The production server over the same index, under CONNECTIONS concurrent clients for SECONDS. */
async function runHttp(cacheMb: number): Promise<LoadResult> {
  const server = await startAppServer(PORT, {
    DATABASE_PATH: DB,
    S3_BUCKET: 'braingeneers',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    SEARCH_CACHE_MB: String(cacheMb),
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

const cold = await runHttp(0);
const warm = await runHttp(32);
const typing = await runTyping();

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

const typed = typing.timed.map((t) => t.ms).sort((a, b) => a - b);
const firsts = typing.timed
  .filter((t) => t.k.typed <= 2)
  .map((t) => t.ms)
  .sort((a, b) => a - b);
console.log(
  `\ntyping (seed ${flags.seed}): ${CONNECTIONS} people, ${typing.words.toLocaleString('en-US')} words, ${typed.length.toLocaleString('en-US')} keystrokes in ${typing.seconds.toFixed(1)} s (${(typed.length / typing.seconds).toFixed(0)} req/s), ${typing.errors} errors, cache on`,
);
console.log('| | p50 ms | p99 ms | slowest ms |');
console.log('|---|---|---|---|');
console.log(`| every keystroke, HTTP | ${ms(percentile(typed, 50))} | ${ms(percentile(typed, 99))} | ${ms(typed.at(-1) ?? NaN)} |`);
console.log(`| first two keystrokes, HTTP | ${ms(percentile(firsts, 50))} | ${ms(percentile(firsts, 99))} | ${ms(firsts.at(-1) ?? NaN)} |`);
console.log(
  `| the first 2,000 keystrokes in process | ${ms(percentile(typing.inProcess, 50))} | ${ms(percentile(typing.inProcess, 99))} | ${ms(typing.inProcess.at(-1) ?? NaN)} |`,
);
console.log('slowest keystrokes:');
for (const { k, ms: took } of [...typing.timed].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
  console.log(`  ${ms(took)} ms  q=${JSON.stringify(k.q)}${Object.keys(k.params).length ? ` ${new URLSearchParams(k.params)}` : ''} (${k.source})`);
}
console.log('targets: p50 <= 10 ms, p99 <= 50 ms, first two keystrokes p99 <= 50 ms');
console.log(
  `rerun: npm run bench:search -- --experiments ${EXPERIMENTS} --objects ${OBJECTS} --connections ${CONNECTIONS} --seconds ${SECONDS} --seed ${flags.seed}`,
);
