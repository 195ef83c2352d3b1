import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { IndexStats } from '../../contracts/search-answer';
import { experimentDateRange } from './date-range';
import { getDb, type AppDatabase } from './index';
import { lastGoodCrawlFinishedAt } from './crawl-runs';
import { derivedFromIndex } from './index-derived';
import { perConnection } from './prepared';
import { crawlRuns, experiments, filePreviews, hdf5Manifests, objects, type CrawlKind } from './schema';

/** Every read the site makes from the index. */

/**
 * Counts for the search page: each search answer carries them, so they are derived once per commit, and at
 * once (0.3 ms at 100,000 experiments) rather than held like the answers: an answer a search thread computed
 * from a catalog it loaded in its turn, before the answers' hold ended, counted experiments the stats did not.
 */
export function getIndexStats(): IndexStats {
  return indexStats(getDb().$client, 0);
}

// Every commit: the stats carry when the last crawl finished, which a pass that changed nothing else moves.
const indexStats = derivedFromIndex((): IndexStats => {
  const db = getDb();
  const { oldest, newest } = experimentDateRange(db);
  const lastGood = lastGoodCrawlFinishedAt(db.$client);
  return {
    experiments: countExperiments(db),
    oldestDate: oldest,
    newestDate: newest,
    lastCrawlFinishedAt: lastGood === null ? null : new Date(lastGood).toISOString(),
  };
}, 'commits');

function countExperiments(db: AppDatabase): number {
  return db.select({ count: sql<number>`count(*)` }).from(experiments).get()!.count;
}

/** What /api/health judges the index by (lib/health.ts). */
export function healthFacts() {
  const db = getDb();
  const lastOf = (kind: CrawlKind) =>
    db
      .select({ status: crawlRuns.status, startedAt: crawlRuns.startedAt, finishedAt: crawlRuns.finishedAt, error: crawlRuns.error })
      .from(crawlRuns)
      .where(eq(crawlRuns.kind, kind))
      .orderBy(desc(crawlRuns.id))
      .limit(1)
      .get() ?? null;
  return {
    appliedMigrations: db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number,
    experiments: countExperiments(db),
    lastCrawl: lastOf('full'),
    lastGoodCrawlFinishedAt: lastGoodCrawlFinishedAt(db.$client),
    lastRecentPass: lastOf('recent'),
  };
}

// A file's preview as the site shows it: drawn, and of the file's current version.
const drawnPreviewOfObject = and(eq(filePreviews.objectId, objects.id), eq(filePreviews.etag, objects.etag), eq(filePreviews.status, 'drawn'));

// An experiment page's reads, prepared once: built by Drizzle at each call, they and the page cache's digest
// took 1.7 ms of a page's 16-20 ms render at 100,000 experiments; prepared, 0.6 ms.
const pageQueries = perConnection((db: AppDatabase) => {
  const ofExperiment = eq(objects.experimentId, sql.placeholder('experimentId'));
  return {
    experiment: db
      .select()
      .from(experiments)
      // By path, the unique key: with prefix and uuid as two conditions SQLite may pick the prefix index.
      .where(eq(experiments.path, sql.placeholder('path')))
      .prepare(),
    files: db
      .select({ uuid: objects.uuid, key: objects.key, size: objects.size, etag: objects.etag, lastModified: objects.lastModified })
      .from(objects)
      .where(ofExperiment)
      .orderBy(objects.key)
      .prepare(),
    hdf5Facts: db
      .select({ uuid: objects.uuid, status: hdf5Manifests.status, summary: hdf5Manifests.summary, error: hdf5Manifests.error })
      .from(objects)
      .innerJoin(hdf5Manifests, and(eq(hdf5Manifests.objectId, objects.id), eq(hdf5Manifests.etag, objects.etag)))
      .where(ofExperiment)
      .prepare(),
    previews: db
      .select({ uuid: objects.uuid, description: filePreviews.description, width: filePreviews.width, height: filePreviews.height })
      .from(objects)
      .innerJoin(filePreviews, drawnPreviewOfObject)
      .where(ofExperiment)
      .orderBy(objects.key)
      .prepare(),
  };
});

export function getExperiment({ prefix, uuid }: { prefix: string; uuid: string }) {
  const { experiment: byPath, files } = pageQueries(getDb());
  const experiment = byPath.get({ path: `${prefix}/${uuid}` });
  if (!experiment) return undefined;
  return { experiment, files: files.all({ experimentId: experiment.id }) };
}

/** The newest `count` experiments by their folder's date, the newest first. */
export function newestExperiments(count: number): { prefix: string; uuid: string; path: string }[] {
  return getDb()
    .select({ prefix: experiments.prefix, uuid: experiments.uuid, path: experiments.path })
    .from(experiments)
    .orderBy(desc(experiments.date), desc(experiments.id))
    .limit(count)
    .all();
}

/**
 * A digest of everything an experiment's page is rendered from: its row (but the time of the last crawl,
 * which the page does not show), its files (getExperiment) and what the crawler learned of them
 * (experimentHdf5Facts); undefined when there is no such experiment. The front process keeps a rendered
 * page while this stays the same (server/page-cache.ts); a page that reads more of the index must add it here.
 */
export function experimentPageVersion(path: string): string | undefined {
  const { experiment, files, manifests, previews } = experimentPageStatements(getDb().$client);
  const row = experiment.get(path) as [id: number, ...unknown[]] | undefined;
  if (!row) return undefined;
  const hash = createHash('sha1').update(JSON.stringify(row));
  for (const file of files.all(row[0])) hash.update(JSON.stringify(file));
  for (const manifest of manifests.all(row[0]) as unknown[][]) {
    for (const cell of manifest) hash.update(cell instanceof Buffer ? cell : JSON.stringify(cell));
  }
  for (const preview of previews.all(row[0])) hash.update(JSON.stringify(preview));
  return hash.digest('base64url');
}

const experimentPageStatements = perConnection((sqlite: AppDatabase['$client']) => {
  const columns = (
    sqlite.prepare("SELECT name FROM pragma_table_info('experiments') WHERE name NOT IN ('id', 'last_crawled_at')").pluck().all() as string[]
  )
    .map((name) => `"${name}"`)
    .join(', ');
  return {
    experiment: sqlite.prepare(`SELECT id, ${columns} FROM experiments WHERE path = ?`).raw(),
    files: sqlite.prepare('SELECT uuid, key, size, etag, last_modified FROM objects WHERE experiment_id = ? ORDER BY key').raw(),
    manifests: sqlite
      .prepare(
        `SELECT o.uuid, m.etag, m.status, m.summary, m.error, m.built_at FROM objects o JOIN hdf5_manifests m ON m.object_id = o.id
         WHERE o.experiment_id = ? ORDER BY o.key`,
      )
      .raw(),
    // Which files have a preview and what it says: its image is drawn again only with a new version of the file.
    previews: sqlite
      .prepare(
        `SELECT o.uuid, p.etag, p.status, p.description, p.width, p.height FROM objects o JOIN file_previews p ON p.object_id = o.id
         WHERE o.experiment_id = ? ORDER BY o.key`,
      )
      .raw(),
  };
});

/**
 * What the crawler learned of each HDF5 file of an experiment, in its current version: what it holds, or
 * why it could not be read. Files not walked yet (or not HDF5 by name) are not in it.
 */
export function experimentHdf5Facts(experimentId: number) {
  const rows = pageQueries(getDb()).hdf5Facts.all({ experimentId });
  return new Map(rows.map(({ uuid, ...facts }) => [uuid, facts]));
}

/** The previews drawn of an experiment's files, in their current versions, by file uuid: what each shows and its size. */
export function experimentPreviews(experimentId: number) {
  const rows = pageQueries(getDb()).previews.all({ experimentId });
  // A drawn preview is written with all three (crawl-store.ts saveManifests).
  return new Map(rows.map(({ uuid, description, width, height }) => [uuid, { alt: description ?? '', width: width ?? 0, height: height ?? 0 }]));
}

/** The image of an experiment's first drawn preview (by key), for its card. */
export function firstPreviewImage(experimentId: number): Buffer | undefined {
  const row = getDb()
    .select({ png: filePreviews.png })
    .from(objects)
    .innerJoin(filePreviews, drawnPreviewOfObject)
    .where(eq(objects.experimentId, experimentId))
    .orderBy(objects.key)
    .limit(1)
    .get();
  return row?.png ?? undefined;
}

/** The preview of this version of a file: its image, or why it has none (undefined: none tried yet). */
export function findPreview(file: Pick<IndexedFile, 'uuid' | 'etag'>) {
  return getDb()
    .select({ status: filePreviews.status, png: filePreviews.png, reason: filePreviews.reason, drawnAt: filePreviews.drawnAt })
    .from(filePreviews)
    .innerJoin(objects, eq(objects.id, filePreviews.objectId))
    .where(and(eq(objects.uuid, file.uuid), eq(filePreviews.etag, file.etag)))
    .get();
}

// Behind every /data HEAD and GET and /api/files: prepared once, 195 → 14 µs per lookup at 1,000,000 objects.
const fileByUuid = perConnection((db: AppDatabase) =>
  db
    .select({
      uuid: objects.uuid,
      key: objects.key,
      size: objects.size,
      etag: objects.etag,
      lastModified: objects.lastModified,
      experiment: { uuid: experiments.uuid, prefix: experiments.prefix, path: experiments.path },
    })
    .from(objects)
    .innerJoin(experiments, eq(experiments.id, objects.experimentId))
    .where(eq(objects.uuid, sql.placeholder('uuid')))
    .prepare(),
);

/** An indexed object by its stable uuid, with the experiment it belongs to. */
export function findIndexedFile(uuid: string) {
  return fileByUuid(getDb()).get({ uuid });
}

export type IndexedFile = NonNullable<ReturnType<typeof findIndexedFile>>;

/** The HDF5 manifest of this version of the file, if the crawler built one. */
export function findManifest(file: Pick<IndexedFile, 'uuid' | 'etag'>) {
  const row = getDb()
    .select({ ranges: hdf5Manifests.ranges, bytes: hdf5Manifests.bytes })
    .from(hdf5Manifests)
    .innerJoin(objects, eq(objects.id, hdf5Manifests.objectId))
    .where(and(eq(objects.uuid, file.uuid), eq(hdf5Manifests.etag, file.etag), eq(hdf5Manifests.status, 'built')))
    .get();
  return row?.ranges && row.bytes ? { ranges: row.ranges, bytes: row.bytes } : undefined;
}

/**
 * What the crawler learned of this version of an HDF5 file: what it holds, or why it could not be read
 * (undefined: not HDF5 by name, or not walked yet).
 */
export function findHdf5Facts(file: Pick<IndexedFile, 'uuid' | 'etag'>) {
  return getDb()
    .select({ status: hdf5Manifests.status, summary: hdf5Manifests.summary, error: hdf5Manifests.error })
    .from(hdf5Manifests)
    .innerJoin(objects, eq(objects.id, hdf5Manifests.objectId))
    .where(and(eq(objects.uuid, file.uuid), eq(hdf5Manifests.etag, file.etag)))
    .get();
}

/** Experiments with this uuid in any prefix (the lab's links without a prefix), at most `limit`. */
export function findExperimentsByUuid(uuid: string, limit = 10) {
  return getDb()
    .select({ prefix: experiments.prefix, uuid: experiments.uuid, date: experiments.date, purpose: experiments.purpose })
    .from(experiments)
    .where(eq(experiments.uuid, uuid))
    .orderBy(experiments.prefix)
    .limit(limit)
    .all();
}
