/**
 * `npm run bench:worst`: the most expensive searches the query language lets anyone build, sent without
 * pause by several clients to the production server (npm run build first) over the search benchmark's
 * index (100,000 experiments, 1,000,000 objects), while one client times HEAD /data/<uuid>,
 * GET /api/files/<uuid> and GET /api/health, one request at a time. Then the memory of each server
 * process before and after thousands of searches no cache has seen.
 *
 * Flags: --connections N (8), --seconds N (15), --unique N (4000), --experiments N (100000), --objects N (1000000).
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { probeUntil, serverMemory } from './support/probes';
import { httpClient, percentile, runLoad, startAppServer } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(
  z.object({
    connections: countFlag(8, 1, 256),
    seconds: countFlag(15, 1, 3600),
    unique: countFlag(4000, 1, 1_000_000),
    experiments: countFlag(100_000),
    objects: countFlag(1_000_000),
  }),
);
const PORT = 3231;
const DB = await benchIndex({ experiments: flags.experiments, objects: flags.objects });

// The commonest tokens of the index: every phrase of them matches nothing but reads all their places.
const COMMON = ['e', 'data', 'shared', 'original', 'derived', 'nwb', 'raw', 'h5', 'zip', 'maxwell', 'notes', 'purpose', 'organoid', 'human'];
const rotate = (list: string[], by: number) => [...list.slice(by % list.length), ...list.slice(0, by % list.length)];

/**
 * The i-th worst query, each unlike the others so no cache answers it: two phrases of 16 common tokens
 * (the longest phrase and the most words a query may have), 32 alternatives, a one-letter prefix under a
 * facet, and a dotted word of 250 tokens (refused by the parser).
 */
function worstQuery(i: number): { label: string; method: string; path: string; expected: number } {
  const phrase = (offset: number) => Array.from({ length: 16 }, (_, k) => rotate(COMMON, i + offset)[k % COMMON.length]).join('_');
  const kinds = [
    { label: 'two 16-token phrases', q: `${phrase(0)} ${phrase(7)}`, expected: 200 },
    {
      label: '32 alternatives',
      q: Array.from({ length: 32 }, (_, k) => rotate(COMMON, i)[k % COMMON.length] + (k >= COMMON.length ? String(k) : '')).join(' OR '),
      expected: 200,
    },
    { label: 'one letter, a facet', q: 'aeiouscd'[i % 8]!, params: { sample_type: 'organoid' }, expected: 200 },
    { label: '250-token word', q: `${'1.'.repeat(249)}${i % 10}`, expected: 400 },
  ];
  const kind = kinds[i % kinds.length]!;
  // A `to` date of its own, after every experiment's (dates end in 2100), makes each request new to the
  // answer cache, shared by every connection; it leaves out only undated experiments.
  const to = new Date(Date.UTC(2101, 0, 1 + i)).toISOString().slice(0, 10);
  const query = new URLSearchParams({ q: kind.q, to, ...('params' in kind ? kind.params : {}) });
  return { label: kind.label, method: 'GET', path: `/api/search?${query}`, expected: kind.expected };
}

const uuids = new Database(DB, { readonly: true }).prepare('SELECT uuid FROM objects ORDER BY random() LIMIT 500').pluck().all() as string[];

const server = await startAppServer(PORT, {
  DATABASE_PATH: DB,
  S3_BUCKET: 'braingeneers',
  S3_ENDPOINT: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'BENCHKEY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
});
const attack = httpClient(PORT, flags.connections);
const probe = httpClient(PORT, 1);

const probeFor = (seconds: number) => {
  const deadline = performance.now() + seconds * 1000;
  return probeUntil(probe.send, uuids, () => performance.now() >= deadline);
};

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 99).toFixed(2)} / ${sorted.at(-1)!.toFixed(1)}`;
};

// Warm-up: each probe's first answer in each process loads what it needs once.
for (const uuid of uuids.slice(0, 20)) {
  await probe.send('HEAD', `/data/${uuid}`);
  await probe.send('GET', `/api/files/${uuid}`);
  await probe.send('GET', '/api/health');
}
const started = serverMemory(server.pid);
const quiet = await probeFor(5);
const [loud, run] = await Promise.all([
  probeFor(flags.seconds),
  runLoad({ send: attack.send, connections: flags.connections, seconds: flags.seconds, next: worstQuery }),
]);

// Memory: searches no cache has seen, as typing people send them (a word and a number per request).
const before = serverMemory(server.pid);
const words = ['organoid', 'hc328', 'gaba', 'maxwell', 'slice', 'mouse', 'human', 'kilosort', 'baseline', 'chip'];
let sent = 0;
await Promise.all(
  Array.from({ length: flags.connections }, async () => {
    while (sent < flags.unique) {
      const i = sent++;
      await attack.send('GET', `/api/search?q=${words[i % words.length]}+${i}`);
    }
  }),
);
const after = serverMemory(server.pid);

attack.close();
probe.close();
await server.stop();

console.log(
  `\nworst-case searches: ${flags.connections} connections for ${flags.seconds} s over ${flags.experiments.toLocaleString('en-US')} experiments / ${flags.objects.toLocaleString('en-US')} objects`,
);
console.log(`${run.completed} searches, ${(run.completed / run.seconds).toFixed(1)}/s, ${run.errors} with another status than expected\n`);
console.log('| request | p50 / p99 / max ms |');
console.log('|---|---|');
for (const [label, values] of run.latencies) console.log(`| search: ${label} | ${summary(values)} |`);
for (const [label, values] of Object.entries(quiet)) console.log(`| ${label}, no search running | ${summary(values)} |`);
for (const [label, values] of Object.entries(loud)) console.log(`| ${label}, during the worst searches | ${summary(values)} |`);
console.log(
  `\nresident memory per process, private + mapped from the index (MB): at start → after the worst searches → after ${flags.unique.toLocaleString('en-US')} more no cache had seen:`,
);
for (const role of Object.keys(after))
  console.log(`- ${role}: ${(started[role] ?? []).join(', ')} → ${(before[role] ?? []).join(', ')} → ${after[role]!.join(', ')}`);
console.log(`\ntarget: HEAD /data, /api/files and /api/health answer in milliseconds while the worst searches run`);
console.log(
  `rerun: npm run bench:worst -- --connections ${flags.connections} --seconds ${flags.seconds} --unique ${flags.unique} --experiments ${flags.experiments} --objects ${flags.objects}`,
);
