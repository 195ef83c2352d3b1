import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_QUERIES, RARE_WORD_ROWS, RARE_WORDS, SYNTHETIC_BUCKET, buildSyntheticIndex } from '../bench/support/synthetic-index';
import { deriveFields } from '../crawler/derive';
import { flattenMetadata } from '../crawler/metadata';
import { hdf5Summary } from '../contracts/hdf5-summary';
import { objectUuid } from '../lib/db/crawl-store';
import { decodeDeflatedJson } from '../lib/db/deflated-json';
import { recordingFacts } from '../lib/recordings/facts';
import { openDatabase, type AppDatabase } from '../lib/db/index';

const EXPERIMENTS = 2000;
const OBJECTS = 20_000;

let dir: string;
let path: string;
let built: { seconds: number; bytes: number };
let progress: number[];
let db: AppDatabase;

const count = (sql: string, ...params: unknown[]) =>
  db.$client
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const experimentMatches = (match: string) => count('SELECT count(*) FROM experiments_fts WHERE experiments_fts MATCH ?', match);
// File names are searched through experiments_fts.file_text; their frequencies are counted on the keys.
const objectsNamed = (fragment: string) => count("SELECT count(*) FROM objects WHERE key LIKE '%' || ? || '%'", fragment);

/** A digest of everything generated, to compare builds. */
function digest(file: string): string {
  const other = openDatabase(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    for (const row of other.$client.prepare('SELECT * FROM experiments ORDER BY id').raw().iterate()) {
      hash.update(JSON.stringify(row));
    }
    for (const table of ['objects', 'hdf5_manifests']) {
      for (const row of other.$client.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().iterate()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  } finally {
    other.$client.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bgs-synthetic-'));
  path = join(dir, 'index.db');
  progress = [];
  built = await buildSyntheticIndex({
    path,
    experiments: EXPERIMENTS,
    objects: OBJECTS,
    seed: 7,
    onProgress: (done) => progress.push(done),
  });
  db = openDatabase(path);
});

afterAll(() => {
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('buildSyntheticIndex', () => {
  it('writes the requested counts, one succeeded crawl run, and reports time and size', () => {
    expect(count('SELECT count(*) FROM experiments')).toBe(EXPERIMENTS);
    expect(count('SELECT count(*) FROM objects')).toBe(OBJECTS);
    expect(count('SELECT sum(object_count) FROM experiments')).toBe(OBJECTS);
    expect(count('SELECT min(object_count) FROM experiments')).toBeGreaterThanOrEqual(1);
    expect(count('SELECT max(object_count) FROM experiments')).toBeLessThanOrEqual(40);
    // object_count and total_bytes agree with the experiment's objects.
    expect(
      count(`SELECT count(*) FROM experiments e JOIN (SELECT experiment_id, count(*) n, sum(size) bytes
               FROM objects GROUP BY experiment_id) o ON o.experiment_id = e.id
             WHERE o.n != e.object_count OR o.bytes != e.total_bytes`),
    ).toBe(0);
    const runs = db.$client.prepare('SELECT status, experiments_new, objects FROM crawl_runs').all();
    expect(runs).toEqual([{ status: 'succeeded', experiments_new: EXPERIMENTS, objects: OBJECTS }]);
    expect(built.seconds).toBeGreaterThan(0);
    expect(built.bytes).toBe(statSync(path).size);
    expect(progress.at(-1)).toBe(EXPERIMENTS);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('keeps the full-text tables consistent with their tables (FTS5 integrity-check)', () => {
    expect(count('SELECT count(*) FROM experiments_fts')).toBe(EXPERIMENTS);
    expect(() => db.$client.exec(`INSERT INTO experiments_fts(experiments_fts, rank) VALUES('integrity-check', 1)`)).not.toThrow();
  });

  it('names experiments and files the way the lab does', () => {
    const rows = db.$client.prepare('SELECT uuid, prefix, path, date FROM experiments').all() as {
      uuid: string;
      prefix: string;
      path: string;
      date: string;
    }[];
    for (const row of rows) {
      expect(row.uuid).toMatch(/^(2019|202[0-6])-\d{2}-\d{2}-(e|f|i|efi)-[\w.-]+$/);
      expect(row.path).toBe(`${row.prefix}/${row.uuid}`);
      expect(row.date).toBe(row.uuid.slice(0, 10));
    }
    const prefixes = new Map(
      (db.$client.prepare('SELECT prefix, count(*) n FROM experiments GROUP BY prefix').all() as { prefix: string; n: number }[]).map((r) => [
        r.prefix,
        r.n,
      ]),
    );
    expect([...prefixes.keys()].sort()).toEqual(['archive', 'ephys', 'fluidics', 'imaging', 'integrated']);
    expect(prefixes.get('ephys')! / EXPERIMENTS).toBeGreaterThan(0.5);
    for (const pattern of [
      '%/metadata.json',
      '%/original/data/%.raw.h5',
      '%/original/log/%.csv',
      '%/shared/%.nwb',
      '%/derived/kilosort2/%_phy.zip',
      '%/derived/kilosort2/%_acqm.zip',
      '%/derived/kilosort2/%_figure.zip',
    ]) {
      expect(count('SELECT count(*) FROM objects WHERE key LIKE ?', pattern), pattern).toBeGreaterThan(100);
    }
    // Recording names such as `rec4.2` and `Trace_20230812_17_00_14_GABA_BL_20247`.
    expect(count(`SELECT count(*) FROM objects WHERE key GLOB '*/rec[0-9].[0-9][._]*'`)).toBeGreaterThan(0);
    const trace = '*/Trace_20[0-9][0-9][0-9][0-9][0-9][0-9]_[0-9][0-9]_[0-9][0-9]_[0-9][0-9]_*_[0-9][0-9][0-9][0-9][0-9][._]*';
    expect(count('SELECT count(*) FROM objects WHERE key GLOB ?', trace)).toBeGreaterThan(0);
    const hardware = db.$client.prepare('SELECT DISTINCT hardware FROM experiments').pluck().all();
    expect(hardware).toEqual(expect.arrayContaining(['Maxwell', 'MEArec Simulated Recording', 'Axion Maestro Pro', 'Intan RHD2000']));
  });

  it('derives columns with the crawler and object uuids with objectUuid', () => {
    const rows = db.$client
      .prepare(
        `SELECT uuid, metadata_raw, metadata_text, date, species, sample_type sampleType, cell_line cellLine, hardware,
                chip_ids chipIds, channel_count channelCount, sample_rate sampleRate, recording_names, purpose
         FROM experiments WHERE metadata_error IS NULL AND metadata_raw IS NOT NULL AND id % 97 = 0`,
      )
      .all() as ({ uuid: string; metadata_raw: string; metadata_text: string; recording_names: string } & Record<string, unknown>)[];
    expect(rows.length).toBeGreaterThan(10);
    for (const { uuid, metadata_raw, metadata_text, recording_names, ...stored } of rows) {
      const metadata = JSON.parse(metadata_raw);
      expect(metadata_text).toBe(flattenMetadata(metadata).text);
      expect({ ...stored, recordingNames: JSON.parse(recording_names) }).toEqual(deriveFields(uuid, metadata));
    }
    const objects = db.$client.prepare('SELECT uuid, key FROM objects WHERE id % 499 = 0').all() as { uuid: string; key: string }[];
    for (const o of objects) expect(o.uuid).toBe(objectUuid(SYNTHETIC_BUCKET, o.key));
  });

  it('gives each HDF5 file a summary a crawl could have written, and each experiment the facts its summaries make', () => {
    const hdf5Objects = count(`SELECT count(*) FROM objects WHERE key LIKE '%.nwb' OR key LIKE '%.h5'`);
    expect(hdf5Objects).toBeGreaterThan(1000);
    expect(count('SELECT count(*) FROM hdf5_manifests')).toBe(hdf5Objects);
    const rows = db.$client
      .prepare(
        `SELECT e.id, e.recording_text recordingText, e.data_types dataTypes, e.recording_flags recordingFlags,
                e.max_channels maxChannels, e.max_seconds maxSeconds, e.rates, e.hdf5_files hdf5Files, e.nwb_files nwbFiles,
                e.unit_count unitCount
         FROM experiments e WHERE e.id % 53 = 0`,
      )
      .all() as { id: number }[];
    const summariesOf = db.$client.prepare(
      'SELECT m.summary FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE o.experiment_id = ? ORDER BY o.id',
    );
    let withTypes = 0;
    for (const { id, ...stored } of rows) {
      const summaries = (summariesOf.pluck().all(id) as Buffer[]).map((stored) => hdf5Summary.parse(decodeDeflatedJson(stored)));
      expect(stored).toEqual(recordingFacts(summaries));
      if ((stored as { dataTypes: string }).dataTypes !== '') withTypes++;
    }
    expect(withTypes).toBeGreaterThan(rows.length * 0.2);
    for (const flag of ['units', 'lfp', 'trials']) {
      expect(count("SELECT count(*) FROM experiments WHERE ' ' || recording_flags || ' ' LIKE ?", `% ${flag} %`), flag).toBeGreaterThan(10);
    }
  });

  it('controls word frequencies: common words in 30–40 % of experiments, rare words in a few', () => {
    for (const word of ['organoid', 'baseline', 'mouse']) {
      const share = experimentMatches(word) / EXPERIMENTS;
      expect(share, word).toBeGreaterThan(0.28);
      expect(share, word).toBeLessThan(0.42);
    }
    for (const word of RARE_WORDS) expect(experimentMatches(word), word).toBe(RARE_WORD_ROWS);
    const phrase = experimentMatches('"network bursts"') / EXPERIMENTS;
    expect(phrase).toBeGreaterThan(0.03);
    expect(phrase).toBeLessThan(0.12);
    expect(experimentMatches('hc3*')).toBeGreaterThan(0);
    expect(experimentMatches('hc3*')).toBeLessThan(EXPERIMENTS * 0.03);
    expect(objectsNamed('kilosort2') / OBJECTS).toBeGreaterThan(0.15);
    expect(objectsNamed('rec4.2')).toBeGreaterThan(0);
    expect(objectsNamed('rec4.2')).toBeLessThan(OBJECTS * 0.02);
  });

  it('offers benchmark queries of every kind in the issue', () => {
    const kinds = new Set(BENCH_QUERIES.map((q) => q.kind));
    for (const kind of ['common word', 'rare word', 'prefix fragment', 'phrase', 'filter only', 'file name']) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it('is deterministic for a seed, and refuses to write into a non-empty index', async () => {
    const again = join(dir, 'again.db');
    const other = join(dir, 'other.db');
    await buildSyntheticIndex({ path: again, experiments: EXPERIMENTS, objects: OBJECTS, seed: 7 });
    await buildSyntheticIndex({ path: other, experiments: EXPERIMENTS, objects: OBJECTS, seed: 8 });
    expect(digest(again)).toBe(digest(path));
    expect(digest(other)).not.toBe(digest(path));
    await expect(buildSyntheticIndex({ path: again, experiments: 10, objects: 100 })).rejects.toThrow(/already holds/);
  });
});
