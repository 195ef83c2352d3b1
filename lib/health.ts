import 'server-only';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig } from './config';
import { getDb } from './db/index';
import { MIGRATIONS_FOLDER } from './db/migrate';

/** What /api/health reports: enough for a load balancer to decide, and for a person to see why. */
export interface Health {
  ok: boolean;
  /** Why the index is not healthy, one sentence each; empty when it is. */
  problems: string[];
  migrations: { applied: number; known: number };
  experiments: number;
  lastCrawl: { status: string; startedAt: Date; finishedAt: Date | null; error: string | null } | null;
  lastGoodCrawlFinishedAt: Date | null;
  maxCrawlAgeHours: number;
}

function knownMigrations(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export function checkHealth(now = new Date()): Health {
  const sqlite = getDb().$client;
  const maxCrawlAgeHours = getConfig().healthMaxCrawlAgeHours;
  const applied = (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  const known = knownMigrations();
  const experiments = (sqlite.prepare('SELECT count(*) AS n FROM experiments').get() as { n: number }).n;
  const last = sqlite.prepare('SELECT status, started_at AS startedAt, finished_at AS finishedAt, error FROM crawl_runs ORDER BY id DESC LIMIT 1').get() as
    | { status: string; startedAt: number; finishedAt: number | null; error: string | null }
    | undefined;
  const good = sqlite
    .prepare("SELECT max(finished_at) AS at FROM crawl_runs WHERE status IN ('succeeded', 'partial')")
    .get() as { at: number | null };

  const problems: string[] = [];
  if (applied < known) problems.push(`${known - applied} of ${known} migrations are not applied`);
  if (experiments === 0) problems.push('no experiments are indexed: no crawl has finished yet');
  // At once, not only when the index has grown stale: a crawl that fails will fail again on the schedule.
  if (last?.status === 'failed') {
    problems.push(`the last crawl (started ${new Date(last.startedAt).toISOString()}) failed: ${last.error ?? 'no reason was recorded'}`);
  }
  if (good.at === null) problems.push('no crawl has finished successfully');
  else if (now.getTime() - good.at > maxCrawlAgeHours * 3600_000) {
    problems.push(`the last successful crawl finished ${((now.getTime() - good.at) / 3600_000).toFixed(1)} h ago, more than ${maxCrawlAgeHours} h`);
  }
  return {
    ok: problems.length === 0,
    problems,
    migrations: { applied, known },
    experiments,
    lastCrawl: last
      ? { status: last.status, startedAt: new Date(last.startedAt), finishedAt: last.finishedAt === null ? null : new Date(last.finishedAt), error: last.error }
      : null,
    lastGoodCrawlFinishedAt: good.at === null ? null : new Date(good.at),
    maxCrawlAgeHours,
  };
}
