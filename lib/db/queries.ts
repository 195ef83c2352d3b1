import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb } from './index';
import { crawlRuns, experiments, objects } from './schema';

/** Every read the site makes from the index. */

export interface IndexStats {
  experiments: number;
  oldestDate: string | null;
  newestDate: string | null;
  lastCrawlFinishedAt: Date | null;
}

export function getIndexStats(): IndexStats {
  const db = getDb();
  // Separate subqueries: min() and max() together in one SELECT make SQLite scan the whole date index.
  const counts = db
    .select({
      experiments: sql<number>`(SELECT count(*) FROM ${experiments})`,
      oldestDate: sql<string | null>`(SELECT min(${experiments.date}) FROM ${experiments})`,
      newestDate: sql<string | null>`(SELECT max(${experiments.date}) FROM ${experiments})`,
    })
    .from(sql`(SELECT 1)`)
    .get()!;
  const lastRun = db
    .select({ finishedAt: crawlRuns.finishedAt })
    .from(crawlRuns)
    .where(sql`${crawlRuns.status} IN ('succeeded', 'partial')`)
    .orderBy(desc(crawlRuns.finishedAt))
    .limit(1)
    .get();
  return { ...counts, lastCrawlFinishedAt: lastRun?.finishedAt ?? null };
}

export function listNewestExperiments({ limit }: { limit: number }) {
  return getDb()
    .select({
      uuid: experiments.uuid,
      prefix: experiments.prefix,
      path: experiments.path,
      date: experiments.date,
      species: experiments.species,
      sampleType: experiments.sampleType,
      hardware: experiments.hardware,
      purpose: experiments.purpose,
      objectCount: experiments.objectCount,
      metadataError: experiments.metadataError,
    })
    .from(experiments)
    .orderBy(sql`${experiments.date} DESC NULLS LAST`, experiments.path)
    .limit(limit)
    .all();
}

export function getExperiment({ prefix, uuid }: { prefix: string; uuid: string }) {
  const db = getDb();
  const experiment = db
    .select()
    .from(experiments)
    .where(and(eq(experiments.prefix, prefix), eq(experiments.uuid, uuid)))
    .get();
  if (!experiment) return undefined;
  const files = db
    .select({ uuid: objects.uuid, key: objects.key, size: objects.size, etag: objects.etag, lastModified: objects.lastModified })
    .from(objects)
    .where(eq(objects.experimentId, experiment.id))
    .orderBy(objects.key)
    .all();
  return { experiment, files };
}
