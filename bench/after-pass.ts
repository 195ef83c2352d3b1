/**
 * `npm run bench:after-pass`: what the first searches cost after a crawl pass, on a copy of the search
 * benchmark's index (100,000 experiments, 1,000,000 objects), in process on a read-only connection as a
 * search thread has, SEARCH_STALE_SECONDS after the pass's last commit.
 *
 * Two passes over the newest 300 folders, as the scheduler's recent pass runs every minute: one that finds
 * nothing new (its run record and last_crawled_at: the index's generation stays, so do the catalog, match
 * sets and answers), and one that finds one experiment changed (the generation moves: the catalog is loaded
 * again and every match set computed again). Prints each search's time before and after each pass.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --stale-seconds N (5: SEARCH_STALE_SECONDS's default).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { searchParamsSchema, toSearchRequest } from '../contracts/search-params';
import { finishCrawlRun, startCrawlRun, touchExperiments } from '../lib/db/crawl-store';
import { openDatabase } from '../lib/db/index';
import { prepareSearch, searchExperiments } from '../lib/search/run';
import { benchIndex } from './support/bench-index';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(z.object({ experiments: countFlag(100_000), objects: countFlag(1_000_000), 'stale-seconds': countFlag(5, 0, 3600) }));
const searchStaleMs = flags['stale-seconds'] * 1000;
const source = await benchIndex({ experiments: flags.experiments, objects: flags.objects });
const dir = mkdtempSync(join(tmpdir(), 'bgs-bench-after-pass-'));
try {
  const file = join(dir, 'search.db');
  copyFileSync(source, file);
  const writer = openDatabase(file);
  const reader = openDatabase(file, { readonly: true }).$client;
  // First keystrokes of common words, each with a facet: no answer cache between them and the thread.
  const QUERIES = ['a', 'ma', 'or', 'cul', 'o', 'sp'];
  const searches = () =>
    QUERIES.map((q) => {
      const started = performance.now();
      searchExperiments(reader, toSearchRequest(searchParamsSchema.parse({ q, species: 'mouse' })), searchStaleMs);
      return performance.now() - started;
    });
  const recent = writer.$client.prepare('SELECT path FROM experiments ORDER BY date DESC LIMIT 300').pluck().all() as string[];
  const pass = async (change: () => void) => {
    const run = startCrawlRun(writer, 'recent', { recentDays: 3 }, new Date());
    touchExperiments(writer, recent, new Date());
    change();
    const totals = {
      experimentsNew: 0,
      experimentsUpdated: 0,
      experimentsUnchanged: recent.length,
      experimentsDeleted: 0,
      experimentsFailed: 0,
      objects: 0,
      s3Requests: {},
    };
    finishCrawlRun(writer, run, { status: 'succeeded', finishedAt: new Date(), totals });
    await new Promise((resolve) => setTimeout(resolve, searchStaleMs + 100));
  };
  const row = (label: string, times: number[]) =>
    console.log(`| ${label} | ${times.map((ms) => ms.toFixed(1)).join(' | ')} | ${times.reduce((a, b) => a + b, 0).toFixed(0)} |`);

  prepareSearch(reader, searchStaleMs);
  searches();
  console.log(`\nsearches with species=mouse, in process, ${searchStaleMs / 1000} s after a pass over the newest ${recent.length} folders\n`);
  console.log(`| | ${QUERIES.map((q) => `\`${q}\``).join(' | ')} | all ms |`);
  console.log(`|---|${QUERIES.map(() => '---|').join('')}---|`);
  row('before', searches());
  await pass(() => undefined);
  row('after a pass that found nothing new', searches());
  await pass(() => writer.$client.prepare("UPDATE experiments SET purpose = purpose || ' (changed)' WHERE path = ?").run(recent[0]));
  row('after a pass that changed one experiment', searches());
  row('again', searches());
  reader.close();
  writer.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
