/**
 * `npm run bench:while-crawling`: searches through the server's search threads (lib/search/pool.ts, two of
 * them, from source) over a copy of the search benchmark's index (100,000 experiments, 1,000,000 objects)
 * while another connection changes an experiment every 1.5 s, as a crawl that finds changes commits: a
 * search every 10 ms, three to seven letters of common words, a third with a facet, none from an answer cache.
 * Each change moves the index's generation, so each thread loads its catalog again (0.25-0.4 s) once
 * SEARCH_STALE_SECONDS have passed since it last did; prints the searches' p50, p99 and slowest, with when
 * they were sent.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --seconds N (16), --changes N (8),
 *        --stale-seconds N (5: SEARCH_STALE_SECONDS's default).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { searchParamsSchema, toSearchRequest } from '../contracts/search-params';
import { percentile } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(
  z.object({
    experiments: countFlag(100_000),
    objects: countFlag(1_000_000),
    seconds: countFlag(16, 1, 3600),
    changes: countFlag(8, 0, 1000),
    'stale-seconds': countFlag(5, 0, 3600),
  }),
);
const CHANGE_EVERY_MS = 1_500;
const SEARCH_EVERY_MS = 10;
const WORDS = ['organoid', 'mouse', 'spike', 'trace', 'culture', 'electrode', 'recording', 'neuron', 'human', 'sample'];
const FACETS = [{}, {}, { species: 'human' }];

const source = await benchIndex({ experiments: flags.experiments, objects: flags.objects });
const dir = mkdtempSync(join(tmpdir(), 'bgs-bench-while-crawling-'));
try {
  const file = join(dir, 'search.db');
  copyFileSync(source, file);
  // The threads read the index and their settings from the environment, as in the server.
  Object.assign(process.env, { DATABASE_PATH: file, S3_BUCKET: 'braingeneers', SEARCH_STALE_SECONDS: String(flags['stale-seconds']) });
  const { openDatabase } = await import('../lib/db/index');
  const { parseSearchQuery } = await import('../lib/search/parse');
  const { SearchPool } = await import('../lib/search/pool');
  const { startWorkerThread } = await import('../lib/worker-thread');
  const pool = new SearchPool(
    (place) => startWorkerThread(new URL('../lib/search/worker.mjs', import.meta.url), new URL('../lib/search/worker.ts', import.meta.url), place),
    2,
    30_000,
  );
  await pool.ready;
  const writer = openDatabase(file).$client;
  const change = writer.prepare("UPDATE experiments SET purpose = purpose || ' (changed)' WHERE id = (SELECT min(id) + ? FROM experiments)");

  const timed: { at: number; ms: number; q: string }[] = [];
  const sent: Promise<void>[] = [];
  const started = performance.now();
  let changes = 0;
  for (let i = 0; performance.now() - started < flags.seconds * 1000; i++) {
    const q = WORDS[i % WORDS.length]!.slice(0, 3 + (i % 5));
    const request = toSearchRequest(searchParamsSchema.parse({ q, ...FACETS[i % FACETS.length] }));
    const at = performance.now();
    sent.push(
      pool.search(request, parseSearchQuery(q).match).then(() => void timed.push({ at: (at - started) / 1000, ms: performance.now() - at, q })),
    );
    if (changes < flags.changes && at - started > (changes + 1) * CHANGE_EVERY_MS) change.run(changes++);
    await new Promise((resolve) => setTimeout(resolve, SEARCH_EVERY_MS));
  }
  await Promise.all(sent);
  await pool.close();
  writer.close();

  const sorted = timed.map((t) => t.ms).sort((a, b) => a - b);
  console.log(
    `\n${timed.length} searches in ${flags.seconds} s through 2 search threads, ${changes} changes ${CHANGE_EVERY_MS / 1000} s apart, SEARCH_STALE_SECONDS=${flags['stale-seconds']}`,
  );
  console.log(`p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms`);
  console.log('slowest searches:');
  for (const { q, ms, at } of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 6))
    console.log(`  ${ms.toFixed(1)} ms  q=${JSON.stringify(q)}, sent ${at.toFixed(2)} s in`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
