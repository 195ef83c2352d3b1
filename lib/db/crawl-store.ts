import Database from 'better-sqlite3';
import { and, eq, getTableColumns, inArray, isNull, like, ne, or, sql } from 'drizzle-orm';
import type { SQLiteInsertValue } from 'drizzle-orm/sqlite-core';
import { v5 as uuidv5 } from 'uuid';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';
import type { Manifest } from '../../hdf5/manifest';
import { HDF5_EXTENSIONS } from '../../hdf5/signature';
import type { AppDatabase } from './index';
import { perConnection } from './prepared';
import {
  crawlRuns,
  experiments,
  filePreviews,
  hdf5Manifests,
  objects,
  type CrawlKind,
  type CrawlStatus,
  type ManifestStatus,
  type NewExperiment,
} from './schema';

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

// Every experiment column but the id and the first crawl time is replaced when an experiment is rewritten.
// The recording facts are the manifest phase's (setRecordingFacts): a metadata rewrite keeps them.
const RECORDING_COLUMNS = [
  'recordingText',
  'dataTypes',
  'recordingFlags',
  'maxChannels',
  'maxSeconds',
  'rates',
  'hdf5Files',
  'nwbFiles',
  'unitCount',
] as const;
const rewrittenColumns = Object.entries(getTableColumns(experiments)).filter(
  ([name]) => name !== 'id' && name !== 'firstCrawledAt' && !(RECORDING_COLUMNS as readonly string[]).includes(name),
);

// A first crawl runs these tens of thousands of times: building the SQL through the query builder each time
// cost more than executing it.
const statements = perConnection((db: AppDatabase) => ({
  upsertExperiment: db
    .insert(experiments)
    .values(
      Object.fromEntries(
        [...rewrittenColumns.map(([name]) => name), 'firstCrawledAt'].map((name) => [name, sql.placeholder(name)]),
      ) as SQLiteInsertValue<typeof experiments>,
    )
    .onConflictDoUpdate({
      target: experiments.path,
      set: Object.fromEntries(rewrittenColumns.map(([name, column]) => [name, sql.raw(`excluded.${column.name}`)])),
    })
    .returning({ id: experiments.id })
    .prepare(),
  // An update's SET takes placeholders only inside sql``, which skips the columns' Date mapping: the
  // timestamps are passed as the stored milliseconds.
  updateExperimentFiles: db
    .update(experiments)
    .set({
      objectCount: sql`${sql.placeholder('objectCount')}`,
      totalBytes: sql`${sql.placeholder('totalBytes')}`,
      fileText: sql`${sql.placeholder('fileText')}`,
      newestModified: sql`${sql.placeholder('newestModifiedMs')}`,
      lastCrawledAt: sql`${sql.placeholder('lastCrawledAtMs')}`,
    })
    .where(eq(experiments.path, sql.placeholder('path')))
    .returning({ id: experiments.id })
    .prepare(),
  experimentByPath: db
    .select({ id: experiments.id, metadataKey: experiments.metadataKey, metadataEtag: experiments.metadataEtag })
    .from(experiments)
    .where(eq(experiments.path, sql.placeholder('path')))
    .prepare(),
  objectsOf: db
    .select({ key: objects.key, size: objects.size, etag: objects.etag, lastModified: objects.lastModified })
    .from(objects)
    .where(eq(objects.experimentId, sql.placeholder('experimentId')))
    .prepare(),
  upsertObject: db
    .insert(objects)
    .values({
      uuid: sql.placeholder('uuid'),
      experimentId: sql.placeholder('experimentId'),
      key: sql.placeholder('key'),
      size: sql.placeholder('size'),
      etag: sql.placeholder('etag'),
      lastModified: sql.placeholder('lastModified'),
    })
    .onConflictDoUpdate({
      target: objects.key,
      set: {
        experimentId: sql`excluded.experiment_id`,
        size: sql`excluded.size`,
        etag: sql`excluded.etag`,
        lastModified: sql`excluded.last_modified`,
      },
    })
    .prepare(),
}));

export function loadExperimentState(db: AppDatabase, path: string): StoredExperimentState | undefined {
  const { experimentByPath, objectsOf } = statements(db);
  const row = experimentByPath.get({ path });
  if (!row) return undefined;
  const stored = objectsOf.all({ experimentId: row.id });
  return { ...row, objects: new Map(stored.map((o) => [o.key, o])) };
}

/** Every column of an experiment row but its id and crawl times. */
export type ExperimentFields = Required<Omit<NewExperiment, 'id' | 'firstCrawledAt' | 'lastCrawledAt' | (typeof RECORDING_COLUMNS)[number]>>;

/** What changes when only an experiment's files changed: its stored metadata columns stay as they are. */
export type ExperimentFileFields = Pick<ExperimentFields, 'path' | 'objectCount' | 'totalBytes' | 'newestModified' | 'fileText'>;

const BATCH = 500;

export interface ExperimentWrite {
  /** Everything, or only the file columns when the metadata did not change. */
  fields: ExperimentFields | ExperimentFileFields;
  /** New or changed objects. */
  upsert: ObjectState[];
  /** Keys of objects gone from the bucket. */
  remove: string[];
}

/**
 * Writes experiments with their new, changed and removed objects in one transaction. Each experiment is
 * whole or absent after a crash; grouping several per transaction saves a full-text segment flush per
 * experiment.
 */
function writeTogether(db: AppDatabase, bucket: string, crawledAt: Date, writes: ExperimentWrite[]): void {
  const { upsertExperiment, updateExperimentFiles, upsertObject } = statements(db);
  db.transaction((tx) => {
    for (const { fields, upsert, remove } of writes) {
      const { id } =
        'metadataSource' in fields
          ? upsertExperiment.get({ ...fields, firstCrawledAt: crawledAt, lastCrawledAt: crawledAt })!
          : updateExperimentFiles.get({
              ...fields,
              newestModifiedMs: fields.newestModified?.getTime() ?? null,
              lastCrawledAtMs: crawledAt.getTime(),
            })!;
      for (let i = 0; i < remove.length; i += BATCH) {
        tx.delete(objects)
          .where(and(eq(objects.experimentId, id), inArray(objects.key, remove.slice(i, i + BATCH))))
          .run();
      }
      for (const o of upsert) {
        upsertObject.run({
          uuid: objectUuid(bucket, o.key),
          experimentId: id,
          key: o.key,
          size: o.size,
          etag: o.etag,
          lastModified: o.lastModified,
        });
      }
    }
  });
}

// The index itself cannot be written (disk full, I/O error, locked, read-only, corrupt): no experiment's
// content is to blame, and the crawl must stop rather than record every experiment as broken.
const INDEX_UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CORRUPT|NOTADB|CANTOPEN|NOMEM|PROTOCOL|PERM|AUTH)/;

function isIndexUnavailable(error: unknown): boolean {
  return error instanceof Database.SqliteError && INDEX_UNAVAILABLE.test(error.code);
}

/**
 * Writes experiments, several per transaction. When a transaction fails because of what one experiment
 * holds, each is written alone, so the others are kept; the ones refused are returned with the reason.
 * Errors of the index itself are thrown.
 */
export function writeExperiments(
  db: AppDatabase,
  bucket: string,
  crawledAt: Date,
  writes: ExperimentWrite[],
): { write: ExperimentWrite; reason: string }[] {
  const refused: { write: ExperimentWrite; reason: string }[] = [];
  const attempt = (batch: ExperimentWrite[]): unknown => {
    try {
      writeTogether(db, bucket, crawledAt, batch);
      return undefined;
    } catch (error) {
      if (isIndexUnavailable(error)) throw error;
      return error;
    }
  };
  if (attempt(writes) === undefined) return refused;
  for (const write of writes) {
    const error = attempt([write]);
    if (error !== undefined) refused.push({ write, reason: error instanceof Error ? error.message : String(error) });
  }
  return refused;
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
      tx.delete(experiments)
        .where(inArray(experiments.path, paths.slice(i, i + BATCH)))
        .run();
    }
  });
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
export function startCrawlRun(db: AppDatabase, kind: CrawlKind, options: Record<string, unknown>, startedAt: Date): number {
  return db.transaction((tx) => {
    tx.update(crawlRuns).set({ status: 'interrupted' }).where(eq(crawlRuns.status, 'running')).run();
    return tx.insert(crawlRuns).values({ kind, startedAt, status: 'running', options }).returning({ id: crawlRuns.id }).get().id;
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

/**
 * HDF5 files (by name) in these prefixes that the crawler has not learned about in their current version,
 * those whose manifest was stored before summaries were, and those summarised with no preview of their
 * current version yet (`stored`: the structure is walked from the stored manifest, with no read from S3);
 * only of the experiments at `paths` when given.
 */
export function listManifestWork(db: AppDatabase, prefixes: string[], paths?: string[]) {
  return db
    .select({
      id: objects.id,
      experimentId: objects.experimentId,
      key: objects.key,
      size: objects.size,
      etag: objects.etag,
      stored: sql<number>`${hdf5Manifests.etag} = ${objects.etag} AND ${hdf5Manifests.status} = 'built'`.mapWith(Boolean),
      /** Its current version has a preview (or a reason for none) already: it is not drawn again. */
      previewed: sql<number>`coalesce(${filePreviews.etag} = ${objects.etag}, 0)`.mapWith(Boolean),
    })
    .from(objects)
    .innerJoin(experiments, eq(experiments.id, objects.experimentId))
    .leftJoin(hdf5Manifests, eq(hdf5Manifests.objectId, objects.id))
    .leftJoin(filePreviews, eq(filePreviews.objectId, objects.id))
    .where(
      and(
        inArray(experiments.prefix, prefixes),
        paths && inArray(experiments.path, paths),
        // LIKE ignores ASCII case in SQLite: .NWB and .H5 count too.
        or(...HDF5_EXTENSIONS.map((ext) => like(objects.key, `%.${ext}`))),
        or(
          isNull(hdf5Manifests.objectId),
          ne(hdf5Manifests.etag, objects.etag),
          and(
            inArray(hdf5Manifests.status, ['built', 'small']),
            or(isNull(hdf5Manifests.summary), isNull(filePreviews.objectId), ne(filePreviews.etag, objects.etag)),
          ),
        ),
      ),
    )
    .all();
}

/** The manifest stored for this object (its current version's, as listManifestWork found it). */
export function storedManifest(db: AppDatabase, objectId: number): Manifest | undefined {
  const row = db
    .select({ ranges: hdf5Manifests.ranges, bytes: hdf5Manifests.bytes })
    .from(hdf5Manifests)
    .where(eq(hdf5Manifests.objectId, objectId))
    .get();
  return row?.ranges && row.bytes ? { ranges: row.ranges, bytes: new Uint8Array(row.bytes) } : undefined;
}

export interface ManifestWrite {
  objectId: number;
  etag: string;
  status: ManifestStatus;
  ranges?: [number, number][];
  bytes?: Uint8Array;
  summary?: Hdf5Summary;
  error?: string;
  preview?: PreviewWrite;
}

/** A file version's preview: its image and what it shows, or why it has none; with what its data cost. */
export type PreviewWrite = (
  | { status: 'drawn'; png: Uint8Array; width: number; height: number; description: string }
  | { status: 'skipped'; reason: string }
) & { reads: number; bytesRead: number };

/**
 * Records what building objects' manifests found, in one transaction. Batched because every commit of them
 * moves the index's generation (search answers show what files hold), which empties the site's search cache
 * and catalog.
 */
export function saveManifests(db: AppDatabase, writes: ManifestWrite[], builtAt: Date): void {
  db.transaction((tx) => {
    for (const { preview, ...write } of writes) {
      const row = {
        ...write,
        ranges: write.ranges ?? null,
        bytes: write.bytes ? Buffer.from(write.bytes.buffer, write.bytes.byteOffset, write.bytes.byteLength) : null,
        summary: write.summary ?? null,
        error: write.error ?? null,
        builtAt,
      };
      tx.insert(hdf5Manifests).values(row).onConflictDoUpdate({ target: hdf5Manifests.objectId, set: row }).run();
      if (preview) {
        const image = preview.status === 'drawn' ? preview : undefined;
        const previewRow = {
          objectId: write.objectId,
          etag: write.etag,
          status: preview.status,
          png: image ? Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength) : null,
          width: image?.width ?? null,
          height: image?.height ?? null,
          description: image?.description ?? null,
          reason: preview.status === 'skipped' ? preview.reason : null,
          reads: preview.reads,
          bytesRead: preview.bytesRead,
          drawnAt: builtAt,
        };
        tx.insert(filePreviews).values(previewRow).onConflictDoUpdate({ target: filePreviews.objectId, set: previewRow }).run();
      }
    }
  });
}

/** The ids of these experiments (those the crawl wrote), for what follows their writes. */
export function experimentIdsOf(db: AppDatabase, paths: string[]): number[] {
  const ids: number[] = [];
  for (let i = 0; i < paths.length; i += BATCH) {
    const rows = db
      .select({ id: experiments.id })
      .from(experiments)
      .where(inArray(experiments.path, paths.slice(i, i + BATCH)))
      .all();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** The summaries of these experiments' HDF5 files, in their current versions, by experiment. */
export function hdf5SummariesOf(db: AppDatabase, experimentIds: number[]): Map<number, Hdf5Summary[]> {
  const byExperiment = new Map<number, Hdf5Summary[]>(experimentIds.map((id) => [id, []]));
  for (let i = 0; i < experimentIds.length; i += BATCH) {
    const rows = db
      .select({ experimentId: objects.experimentId, summary: hdf5Manifests.summary })
      .from(objects)
      .innerJoin(hdf5Manifests, and(eq(hdf5Manifests.objectId, objects.id), eq(hdf5Manifests.etag, objects.etag)))
      .where(and(inArray(objects.experimentId, experimentIds.slice(i, i + BATCH)), sql`${hdf5Manifests.summary} IS NOT NULL`))
      .all();
    for (const { experimentId, summary } of rows) if (summary) byExperiment.get(experimentId)?.push(summary);
  }
  return byExperiment;
}

export type RecordingColumns = Pick<NewExperiment, (typeof RECORDING_COLUMNS)[number]>;

/** Writes what experiments' files hold (the recording columns), in one transaction. */
export function saveRecordingFacts(db: AppDatabase, facts: { experimentId: number; columns: RecordingColumns }[]): void {
  db.transaction((tx) => {
    for (const { experimentId, columns } of facts) tx.update(experiments).set(columns).where(eq(experiments.id, experimentId)).run();
  });
}
