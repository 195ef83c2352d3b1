import 'server-only';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig } from './config';
import { MIGRATIONS_FOLDER } from './db/migrate';
import { healthFacts } from './db/queries';

/** What /api/health reports: enough for a load balancer to decide, and for a person to see why. */
export interface Health {
  ok: boolean;
  /** Why the index is not healthy, one sentence each; empty when it is. */
  problems: string[];
  migrations: { applied: number; known: number };
  experiments: number;
  /** The last full crawl (which alone removes what left the bucket). */
  lastCrawl: CrawlRunFacts | null;
  lastGoodCrawlFinishedAt: Date | null;
  /** The last pass over the recent folders (crawl --recent), and how long ago it finished: how late a new experiment can be. */
  lastRecentPass: (CrawlRunFacts & { ageSeconds: number | null }) | null;
  maxCrawlAgeHours: number;
}

interface CrawlRunFacts {
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

function knownMigrations(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export function checkHealth(now = new Date()): Health {
  const maxCrawlAgeHours = getConfig().healthMaxCrawlAgeHours;
  const { appliedMigrations: applied, experiments, lastCrawl: last, lastGoodCrawlFinishedAt: good, lastRecentPass: recent } = healthFacts();
  const known = knownMigrations();

  const problems: string[] = [];
  if (applied < known) problems.push(`${known - applied} of ${known} migrations are not applied`);
  if (experiments === 0) problems.push('no experiments are indexed: no crawl has finished yet');
  // At once, not only when the index has grown stale: a crawl that fails will fail again on the schedule.
  if (last?.status === 'failed') {
    problems.push(`the last crawl (started ${last.startedAt.toISOString()}) failed: ${last.error ?? 'no reason was recorded'}`);
  }
  if (recent?.status === 'failed') {
    problems.push(`the last recent pass (started ${recent.startedAt.toISOString()}) failed: ${recent.error ?? 'no reason was recorded'}`);
  }
  if (good === null) problems.push('no crawl has finished successfully');
  else if (now.getTime() - good > maxCrawlAgeHours * 3600_000) {
    problems.push(`the last successful crawl finished ${((now.getTime() - good) / 3600_000).toFixed(1)} h ago, more than ${maxCrawlAgeHours} h`);
  }
  return {
    ok: problems.length === 0,
    problems,
    migrations: { applied, known },
    experiments,
    lastCrawl: last,
    lastGoodCrawlFinishedAt: good === null ? null : new Date(good),
    lastRecentPass: recent && {
      ...recent,
      ageSeconds: recent.finishedAt === null ? null : Math.round((now.getTime() - recent.finishedAt.getTime()) / 1000),
    },
    maxCrawlAgeHours,
  };
}
