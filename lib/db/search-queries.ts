import type Database from 'better-sqlite3';
import { FILTER_NAMES, FILTERS, MEASURE_NAMES, MEASURES } from '../../contracts/filters';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';
import type { SearchResult } from '../../contracts/search-answer';
import { decodeDeflatedJson } from './deflated-json';
import { perConnection } from './prepared';

/**
 * The search's reads of the index: the catalog's columns, the full-text match and the rows of a page.
 * Only names of ours reach this SQL; values are bound.
 */

// Column weights for bm25 over experiments_fts(uuid, path, purpose, metadata_text, file_text, recording_text):
// the uuid and the purpose say what an experiment is; the metadata and what its recordings say of themselves
// mention many words in passing, and file names rank last.
const EXPERIMENT_WEIGHTS = '10.0, 2.0, 5.0, 1.0, 0.5, 1.0';

const statements = perConnection((sqlite: Database.Database) => ({
  // Values, not row objects: building 100,000 objects tripled the cost of a first keystroke's match.
  experimentRanks: sqlite
    .prepare(`SELECT rowid, bm25(experiments_fts, ${EXPERIMENT_WEIGHTS}) FROM experiments_fts WHERE experiments_fts MATCH ?`)
    .raw(),
  experimentIds: sqlite.prepare('SELECT rowid FROM experiments_fts WHERE experiments_fts MATCH ?').pluck(),
  // Covered by the experiments_catalog index, so the scan does not read the metadata text. Dates come as
  // yyyymmdd numbers: a hundred thousand date strings cost more than SQLite's conversion. The filters'
  // columns follow id and date, in FILTER_NAMES order, then the measures' in MEASURE_NAMES order; rows as
  // arrays, not objects: building 100,000 row objects took 40% of a reload.
  catalogRows: sqlite
    .prepare(
      `SELECT id, coalesce(CAST(replace(date, '-', '') AS INTEGER), 0),
              ${[...FILTER_NAMES.map((name) => FILTERS[name].column), ...MEASURE_NAMES.map((name) => MEASURES[name].column)].join(', ')}
       FROM experiments`,
    )
    .raw(),
  resultRows: sqlite.prepare(
    `SELECT id, uuid, path, prefix, date, species, sample_type AS sampleType, cell_line AS cellLine, hardware,
            channel_count AS channelCount, purpose, metadata_error AS metadataError,
            metadata_text AS metadataText, file_text AS fileText, recording_text AS recordingText,
            hdf5_files AS hdf5Files, nwb_files AS nwbFiles, max_channels AS maxChannels, max_seconds AS maxSeconds,
            unit_count AS unitCount,
            (SELECT json_object('uuid', o.uuid, 'alt', p.description, 'width', p.width, 'height', p.height)
             FROM objects o JOIN file_previews p ON p.object_id = o.id AND p.etag = o.etag AND p.status = 'drawn'
             WHERE o.experiment_id = experiments.id ORDER BY o.key LIMIT 1) AS preview
     FROM experiments WHERE id IN (SELECT value FROM json_each(?))`,
  ),
  resultHdf5Files: sqlite.prepare(
    `SELECT o.experiment_id AS experimentId, o.uuid, o.key, m.summary FROM objects o
     JOIN hdf5_manifests m ON m.object_id = o.id AND m.etag = o.etag
     WHERE o.experiment_id IN (SELECT value FROM json_each(?)) AND m.summary IS NOT NULL ORDER BY o.key`,
  ),
  resultObjects: sqlite.prepare(
    `SELECT experiment_id AS experimentId, uuid, key FROM objects
     WHERE experiment_id IN (SELECT value FROM json_each(?)) ORDER BY key`,
  ),
}));

export type FtsQuery = { kind: 'experimentRanks' | 'experimentIds'; expression: string };

export interface FtsResults {
  /** [experiment id, bm25 rank (lower is better)]. */
  experimentRanks: [id: number, rank: number][];
  experimentIds: number[];
}

/**
 * The only place an FTS5 MATCH is run. `expression` always comes from `parseSearchQuery`, which quotes every
 * token; it is bound as a parameter, never put into the SQL text.
 */
export function runFts<Q extends FtsQuery>(sqlite: Database.Database, query: Q): FtsResults[Q['kind']] {
  return statements(sqlite)[query.kind].all(query.expression) as FtsResults[Q['kind']];
}

export type CatalogRow = [id: number, date: number, ...values: (string | number | null)[]];

/** Every experiment's id, date, filter values and measures (contracts/filters.ts), for the search's catalog. */
export function catalogRows(sqlite: Database.Database): CatalogRow[] {
  return statements(sqlite).catalogRows.all() as CatalogRow[];
}

export interface ResultRow extends Omit<SearchResult, 'snippet' | 'files' | 'holds' | 'preview'> {
  metadataText: string;
  fileText: string;
  recordingText: string;
  hdf5Files: number;
  nwbFiles: number;
  maxChannels: number | null;
  maxSeconds: number | null;
  unitCount: number;
  /** ResultPreview as JSON, or null. */
  preview: string | null;
}

/** The rows of a page's experiments, with the texts their snippets come from. */
export function resultRows(sqlite: Database.Database, ids: number[]): ResultRow[] {
  return statements(sqlite).resultRows.all(JSON.stringify(ids)) as ResultRow[];
}

/** The objects of these experiments, by key. */
export function resultObjects(sqlite: Database.Database, experimentIds: number[]): { experimentId: number; uuid: string; key: string }[] {
  return statements(sqlite).resultObjects.all(JSON.stringify(experimentIds)) as { experimentId: number; uuid: string; key: string }[];
}

/** The current versions' summaries of these experiments' HDF5 files, by key. */
export function resultHdf5Files(
  sqlite: Database.Database,
  experimentIds: number[],
): { experimentId: number; uuid: string; key: string; summary: Hdf5Summary }[] {
  const rows = statements(sqlite).resultHdf5Files.all(JSON.stringify(experimentIds)) as {
    experimentId: number;
    uuid: string;
    key: string;
    summary: Buffer | string;
  }[];
  // Written by the crawler from the contract's type (crawler/hdf5-summary.ts).
  return rows.map((row) => ({ ...row, summary: decodeDeflatedJson<Hdf5Summary>(row.summary) }));
}
