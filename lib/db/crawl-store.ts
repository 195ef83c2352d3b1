import { and, eq, inArray, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { AppDatabase } from './index';
import { crawlRuns, experiments, objects, type CrawlStatus, type NewExperiment } from './schema';

/**
 * Everything the crawler reads from and writes to the index. Each exported write is one transaction, so a
 * crawl killed at any moment leaves every experiment either as it was or fully updated.
 */

// UUIDv5 namespace for object ids (v5 of the DNS name search.braingeneers.gi.ucsc.edu). Never change it:
// file links in the wild are built from it.
const OBJECT_NAMESPACE = '646f98b7-7a68-5cf8-9abe-df4b902c3b99';

export function objectUuid(bucket: string, key: string): string {
  return uuidv5(`${bucket}/${key}`, OBJECT_NAMESPACE);
}

export interface ObjectState {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface StoredExperimentState {
  id: number;
  metadataKey: string | null;
  metadataEtag: string | null;
  objects: Map<string, ObjectState>;
}

export function loadExperimentState(db: AppDatabase, path: string): StoredExperimentState | undefined {
  const row = db
    .select({ id: experiments.id, metadataKey: experiments.metadataKey, metadataEtag: experiments.metadataEtag })
    .from(experiments)
    .where(eq(experiments.path, path))
    .get();
  if (!row) return undefined;
  const stored = db
    .select({ key: objects.key, size: objects.size, etag: objects.etag, lastModified: objects.lastModified })
    .from(objects)
    .where(eq(objects.experimentId, row.id))
    .all();
  return { ...row, objects: new Map(stored.map((o) => [o.key, o])) };
}

/** The experiment row's fields other than its id and crawl times. */
export type ExperimentFields = Omit<NewExperiment, 'id' | 'firstCrawledAt' | 'lastCrawledAt'>;

/** What changes when only an experiment's files changed: its stored metadata columns stay as they are. */
export type ExperimentFileFields = Pick<ExperimentFields, 'path' | 'objectCount' | 'totalBytes' | 'newestModified'>;

const BATCH = 500;

/**
 * Writes one experiment, its new or changed objects and the removal of its vanished ones, in one transaction.
 */
export function writeExperiment(
  db: AppDatabase,
  input: {
    bucket: string;
    fields: ExperimentFields | ExperimentFileFields;
    upsert: ObjectState[];
    remove: string[];
    crawledAt: Date;
  },
): void {
  const { bucket, fields, crawledAt } = input;
  db.transaction((tx) => {
    const { id } =
      'metadataSource' in fields
        ? tx
            .insert(experiments)
            .values({ ...fields, firstCrawledAt: crawledAt, lastCrawledAt: crawledAt })
            .onConflictDoUpdate({ target: experiments.path, set: { ...fields, lastCrawledAt: crawledAt } })
            .returning({ id: experiments.id })
            .get()
        : tx
            .update(experiments)
            .set({ ...fields, lastCrawledAt: crawledAt })
            .where(eq(experiments.path, fields.path))
            .returning({ id: experiments.id })
            .get()!;
    for (let i = 0; i < input.remove.length; i += BATCH) {
      tx.delete(objects)
        .where(and(eq(objects.experimentId, id), inArray(objects.key, input.remove.slice(i, i + BATCH))))
        .run();
    }
    for (const o of input.upsert) {
      const values = { size: o.size, etag: o.etag, lastModified: o.lastModified, experimentId: id };
      tx.insert(objects)
        .values({ ...values, key: o.key, uuid: objectUuid(bucket, o.key) })
        .onConflictDoUpdate({ target: objects.key, set: values })
        .run();
    }
  });
}

/** Marks experiments as seen by this crawl without touching anything else. */
export function touchExperiments(db: AppDatabase, paths: string[], crawledAt: Date): void {
  db.transaction((tx) => {
    for (let i = 0; i < paths.length; i += BATCH) {
      tx.update(experiments)
        .set({ lastCrawledAt: crawledAt })
        .where(inArray(experiments.path, paths.slice(i, i + BATCH)))
        .run();
    }
  });
}

/** Paths of indexed experiments, in the given prefixes or all of them. */
export function listExperimentPaths(db: AppDatabase, prefixes?: string[]): string[] {
  const query = db.select({ path: experiments.path }).from(experiments);
  const rows = prefixes ? query.where(inArray(experiments.prefix, prefixes)).all() : query.all();
  return rows.map((r) => r.path);
}

/** Removes experiments (their objects follow by cascade) in one transaction. */
export function deleteExperiments(db: AppDatabase, paths: string[]): void {
  db.transaction((tx) => {
    for (let i = 0; i < paths.length; i += BATCH) {
      tx.delete(experiments).where(inArray(experiments.path, paths.slice(i, i + BATCH))).run();
    }
  });
}

/** Dates of the oldest and newest indexed experiments. */
export function experimentDateRange(db: AppDatabase): { oldest: string | null; newest: string | null } {
  return db
    .select({ oldest: sql<string | null>`min(${experiments.date})`, newest: sql<string | null>`max(${experiments.date})` })
    .from(experiments)
    .get()!;
}

export interface CrawlRunTotals {
  experimentsNew: number;
  experimentsUpdated: number;
  experimentsUnchanged: number;
  experimentsDeleted: number;
  experimentsFailed: number;
  objects: number;
  s3Requests: Record<string, number>;
}

/**
 * Starts a run record. Runs still marked running were killed (a crawl always closes its record), so they
 * are marked interrupted first.
 */
export function startCrawlRun(db: AppDatabase, options: Record<string, unknown>, startedAt: Date): number {
  return db.transaction((tx) => {
    tx.update(crawlRuns).set({ status: 'interrupted' }).where(eq(crawlRuns.status, 'running')).run();
    return tx
      .insert(crawlRuns)
      .values({ startedAt, status: 'running', options })
      .returning({ id: crawlRuns.id })
      .get().id;
  });
}

export function finishCrawlRun(
  db: AppDatabase,
  id: number,
  result: { status: Exclude<CrawlStatus, 'running'>; finishedAt: Date; totals: CrawlRunTotals; error?: string },
): void {
  db.update(crawlRuns)
    .set({ status: result.status, finishedAt: result.finishedAt, error: result.error ?? null, ...result.totals })
    .where(eq(crawlRuns.id, id))
    .run();
}
