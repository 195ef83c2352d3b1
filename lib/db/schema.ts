import { sql } from 'drizzle-orm';
import { blob, index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';
import { deflatedJson } from './deflated-json';

/** Where an experiment's metadata came from. */
export const METADATA_SOURCES = ['metadata.json', 'manifest.json', 'none'] as const;
export type MetadataSource = (typeof METADATA_SOURCES)[number];

export const experiments = sqliteTable(
  'experiments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The folder name, e.g. `2023-04-02-e-hc328_unperturbed`; not unique across prefixes. */
    uuid: text('uuid').notNull(),
    prefix: text('prefix').notNull(),
    /** `<prefix>/<uuid>`, without a trailing slash. */
    path: text('path').notNull().unique(),
    metadataSource: text('metadata_source', { enum: METADATA_SOURCES }).notNull(),
    metadataKey: text('metadata_key'),
    metadataEtag: text('metadata_etag'),
    metadataRaw: text('metadata_raw'),
    metadataError: text('metadata_error'),
    /** What of a readable document the index left out, and why (crawler/metadata.ts METADATA_LIMITS). */
    metadataTruncation: text('metadata_truncation'),
    /** Flattened metadata (`key.path value` lines) for full-text search. */
    metadataText: text('metadata_text').notNull().default(''),
    /** The experiment's file paths below its folder, one per line, so file names find the experiment. */
    fileText: text('file_text').notNull().default(''),
    /** `YYYY-MM-DD`. */
    date: text('date'),
    species: text('species'),
    sampleType: text('sample_type'),
    cellLine: text('cell_line'),
    hardware: text('hardware'),
    chipIds: text('chip_ids'),
    channelCount: integer('channel_count'),
    sampleRate: real('sample_rate'),
    /** JSON array of recording names. */
    recordingNames: text('recording_names', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    purpose: text('purpose'),
    // What the experiment's HDF5 files hold (crawler/recording-facts.ts), kept up to date by the crawl's
    // manifest phase: never rewritten with the metadata.
    /** The free text of its NWB files (sessions, subjects, devices, locations, types), for full-text search. */
    recordingText: text('recording_text').notNull().default(''),
    /** Neurodata types of its files, space-separated. */
    dataTypes: text('data_types').notNull().default(''),
    /** What its files have: `units`, `spikes`, `lfp`, `trials`, space-separated. */
    recordingFlags: text('recording_flags').notNull().default(''),
    /** The most channels of any of its files' series. */
    maxChannels: integer('max_channels'),
    /** The longest of its files' series, in seconds. */
    maxSeconds: real('max_seconds'),
    /** The sample rates of its files' series, space-separated. */
    rates: text('rates').notNull().default(''),
    /** Its HDF5 files that could be summarised, and how many of them are NWB. */
    hdf5Files: integer('hdf5_files').notNull().default(0),
    nwbFiles: integer('nwb_files').notNull().default(0),
    /** The units of its files' units tables, together. */
    unitCount: integer('unit_count').notNull().default(0),
    objectCount: integer('object_count').notNull().default(0),
    totalBytes: integer('total_bytes').notNull().default(0),
    newestModified: integer('newest_modified', { mode: 'timestamp_ms' }),
    firstCrawledAt: integer('first_crawled_at', { mode: 'timestamp_ms' }).notNull(),
    lastCrawledAt: integer('last_crawled_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('experiments_uuid').on(t.uuid),
    index('experiments_prefix_date').on(t.prefix, t.date),
    index('experiments_date').on(t.date),
    // Covers the search catalog's load (lib/search/catalog.ts): without it, reading six columns scans the
    // whole table with its metadata text (1 s at 100,000 experiments, after every crawl commit).
    index('experiments_catalog').on(
      t.id,
      t.date,
      t.prefix,
      t.species,
      t.sampleType,
      t.hardware,
      t.dataTypes,
      t.recordingFlags,
      t.maxChannels,
      t.maxSeconds,
      t.rates,
    ),
  ],
);

export const objects = sqliteTable(
  'objects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** UUIDv5 of bucket + key: stable across re-crawls and rebuilt databases. */
    uuid: text('uuid').notNull().unique(),
    experimentId: integer('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    key: text('key').notNull().unique(),
    size: integer('size').notNull(),
    etag: text('etag').notNull(),
    lastModified: integer('last_modified', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('objects_experiment').on(t.experimentId)],
);

/**
 * What the crawler learned of one version of an HDF5 file. `built`: its manifest (hdf5/manifest.ts) and
 * summary; `small`: its summary only, since the viewer reads a file this small whole; `not_hdf5` and
 * `unreadable` (HDF5 could not walk it; `error` says why) are kept too, so a file is tried once per
 * version, not every crawl.
 */
export const MANIFEST_STATUSES = ['built', 'small', 'not_hdf5', 'unreadable'] as const;
export type ManifestStatus = (typeof MANIFEST_STATUSES)[number];

export const hdf5Manifests = sqliteTable('hdf5_manifests', {
  objectId: integer('object_id')
    .primaryKey()
    .references(() => objects.id, { onDelete: 'cascade' }),
  /** The object's ETag the manifest was built from: a manifest of another version is never served. */
  etag: text('etag').notNull(),
  status: text('status', { enum: MANIFEST_STATUSES }).notNull(),
  /** Sorted, disjoint [start, length] pairs, as JSON. */
  ranges: text('ranges', { mode: 'json' }).$type<[number, number][]>(),
  bytes: blob('bytes', { mode: 'buffer' }),
  /** What the file holds (contracts/hdf5-summary.ts), as JSON; null for a row from before summaries. */
  summary: deflatedJson<Hdf5Summary>('summary'),
  error: text('error'),
  builtAt: integer('built_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A recording's preview (crawler/preview-image.ts), drawn by the crawler from one version of an HDF5 file:
 * `drawn` with its PNG and what it shows (its alt text), or `skipped` with the reason. Drawn again when the
 * object's ETag moves on.
 */
export const PREVIEW_STATUSES = ['drawn', 'skipped'] as const;

export const filePreviews = sqliteTable('file_previews', {
  objectId: integer('object_id')
    .primaryKey()
    .references(() => objects.id, { onDelete: 'cascade' }),
  /** The object's ETag the preview was drawn from. */
  etag: text('etag').notNull(),
  status: text('status', { enum: PREVIEW_STATUSES }).notNull(),
  png: blob('png', { mode: 'buffer' }),
  width: integer('width'),
  height: integer('height'),
  /** What the image shows, in words: its alt text. */
  description: text('description'),
  /** Why a file has no preview. */
  reason: text('reason'),
  /** S3 range requests and bytes its data took, past the file's structure. */
  reads: integer('reads').notNull().default(0),
  bytesRead: integer('bytes_read').notNull().default(0),
  drawnAt: integer('drawn_at', { mode: 'timestamp_ms' }).notNull(),
});

/** `partial`: the run finished but some experiments could not be read; they are retried next run. */
export const CRAWL_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'interrupted'] as const;
export type CrawlStatus = (typeof CRAWL_STATUSES)[number];

/**
 * `full`: a crawl of every experiment folder (which alone deletes what left the bucket); `recent`: a pass over
 * the folders dated within the last few days (crawler/crawl.ts, `recentDays`).
 */
export const CRAWL_KINDS = ['full', 'recent'] as const;
export type CrawlKind = (typeof CRAWL_KINDS)[number];

export const crawlRuns = sqliteTable('crawl_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: CRAWL_KINDS }).notNull().default('full'),
  startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
  finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  status: text('status', { enum: CRAWL_STATUSES }).notNull(),
  /** The flags the run was started with, as JSON. */
  options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  experimentsNew: integer('experiments_new').notNull().default(0),
  experimentsUpdated: integer('experiments_updated').notNull().default(0),
  experimentsUnchanged: integer('experiments_unchanged').notNull().default(0),
  experimentsDeleted: integer('experiments_deleted').notNull().default(0),
  experimentsFailed: integer('experiments_failed').notNull().default(0),
  objects: integer('objects').notNull().default(0),
  /** S3 requests by kind (every attempt), as JSON. */
  s3Requests: text('s3_requests', { mode: 'json' }).$type<Record<string, number>>().notNull().default(sql`'{}'`),
  error: text('error'),
});

/**
 * One row: a number that triggers (migration 0018) move whenever what search shows changes (an experiment
 * but its last_crawled_at, its objects, their manifests and previews), and only then: the search's catalog,
 * match sets and answers follow it (lib/db/index-derived.ts), not every commit (a recent pass with nothing
 * new still writes its crawl_runs row and touches last_crawled_at).
 */
export const indexGeneration = sqliteTable('index_generation', {
  id: integer('id').primaryKey(),
  generation: integer('generation').notNull(),
});

export type Experiment = typeof experiments.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type StoredObject = typeof objects.$inferSelect;
export type NewStoredObject = typeof objects.$inferInsert;
export type CrawlRun = typeof crawlRuns.$inferSelect;
