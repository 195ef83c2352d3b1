/**
 * `npm run bench:search`: /api/search over a synthetic index of 100,000 experiments and 1,000,000 objects.
 * Prints, per query kind and for the whole mix: the in-process search time (one query at a time: the floor)
 * and the HTTP latency at 16 connections against the production server, with requests per second and the
 * index size on disk.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --connections N (16), --seconds N (20),
 *        --rebuild (build the index again even if data/bench/ has it).
 */
import { statSync } from 'node:fs';
import { openDatabase } from '../lib/db/index';
import { searchParamsSchema, toSearchRequest, type SearchRequest } from '../contracts/search-params';
import { searchExperiments } from '../lib/search/run';
import { httpClient, percentile, runLoad, startAppServer, type LoadResult } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { BENCH_QUERIES } from './support/synthetic-index';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(
  z.object({
    experiments: countFlag(100_000),
    objects: countFlag(1_000_000),
    connections: countFlag(16, 1, 1024),
    seconds: countFlag(20, 1, 3600),
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
console.log(`rerun: npm run bench:search -- --experiments ${EXPERIMENTS} --objects ${OBJECTS} --connections ${CONNECTIONS} --seconds ${SECONDS}`);
