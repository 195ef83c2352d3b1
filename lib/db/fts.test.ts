import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteExperiments,
  finishCrawlRun,
  saveManifests,
  startCrawlRun,
  touchExperiments,
  writeExperiments,
  type ExperimentFields,
  type ExperimentWrite,
} from './crawl-store';
import { openDatabase, type AppDatabase } from './index';
import { derivedFromIndex } from './index-derived';

let dir: string;
let db: AppDatabase;

const crawledAt = new Date('2026-01-01T00:00:00Z');
const file = (key: string, etag = 'e1') => ({ key, size: 10, etag, lastModified: crawledAt });

function experiment(overrides: Partial<ExperimentFields> = {}): ExperimentFields {
  return {
    uuid: '2023-04-02-e-hc328_unperturbed',
    prefix: 'ephys',
    path: 'ephys/2023-04-02-e-hc328_unperturbed',
    metadataSource: 'metadata.json',
    metadataKey: 'ephys/2023-04-02-e-hc328_unperturbed/metadata.json',
    metadataEtag: 'abc',
    metadataRaw: '{}',
    metadataError: null,
    metadataTruncation: null,
    metadataText: 'notes.biology.species human\nnotes.biology.cell_line hc328',
    date: '2023-04-02',
    species: 'human',
    sampleType: 'organoid',
    cellLine: 'hc328',
    hardware: 'Maxwell',
    chipIds: null,
    channelCount: null,
    sampleRate: null,
    recordingNames: [],
    purpose: 'baseline activity of hc328 organoids',
    objectCount: 1,
    totalBytes: 10,
    newestModified: crawledAt,
    fileText: '',
    ...overrides,
  };
}

const write = (change: ExperimentWrite) => writeExperiments(db, 'b', crawledAt, [change]);

const matchExperiments = (query: string) =>
  db.$client
    .prepare('SELECT e.path FROM experiments_fts JOIN experiments e ON e.id = experiments_fts.rowid WHERE experiments_fts MATCH ? ORDER BY e.path')
    .pluck()
    .all(query);

// File names are searched in the file_text column of experiments_fts.
const matchFiles = (query: string) =>
  db.$client
    .prepare(
      "SELECT e.path FROM experiments_fts JOIN experiments e ON e.id = experiments_fts.rowid WHERE experiments_fts MATCH 'file_text : ' || ? ORDER BY e.path",
    )
    .pluck()
    .all(query);

// FTS5's own check that an external-content index matches its table exactly.
function expectFtsConsistent() {
  expect(() => db.$client.exec(`INSERT INTO experiments_fts(experiments_fts, rank) VALUES('integrity-check', 1)`)).not.toThrow();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bgs-fts-'));
  db = openDatabase(join(dir, 'search.db'));
});

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('full-text tables stay in sync with the index', () => {
  it('answers one- to five-character prefixes from prefix indexes: the rows are the ones a token scan finds', () => {
    write({ fields: experiment(), upsert: [], remove: [] });
    write({
      fields: experiment({ uuid: '2023-05-01-e-organoid_sweep', path: 'ephys/2023-05-01-e-organoid_sweep', purpose: 'sweep of organoids' }),
      upsert: [],
      remove: [],
    });
    const sql = db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'experiments_fts'").pluck().get() as string;
    expect(sql).toContain("prefix='1 2 3 4 5'");
    const ids = (match: string) =>
      db.$client.prepare('SELECT rowid FROM experiments_fts WHERE experiments_fts MATCH ? ORDER BY rowid').pluck().all(match);
    // A prefix index must find what the token lists find: `o` to `organ` every token starting so, `organo` (no index) too.
    expect(ids('"o"*')).toEqual(ids('"or"*'));
    expect(ids('"or"*')).toEqual(ids('"org"*'));
    for (const [shorter, longer] of [
      ['org', 'orga'],
      ['orga', 'organ'],
      ['organ', 'organo'],
    ])
      expect(ids(`"${shorter}"*`)).toEqual(ids(`"${longer}"*`));
    expect(ids('"h"*').length).toBeGreaterThan(0);
    expect(ids('"sw"*')).toHaveLength(1);
  });

  it('has no object full-text table since file names moved into experiments_fts (migration 0007)', () => {
    expect(db.$client.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'objects_fts%'").pluck().all()).toEqual([]);
  });

  it('on insert', () => {
    write({
      fields: experiment({ fileText: 'shared/rec4.2.nwb' }),
      upsert: [file('ephys/2023-04-02-e-hc328_unperturbed/shared/rec4.2.nwb')],
      remove: [],
    });
    expect(matchExperiments('hc328')).toEqual(['ephys/2023-04-02-e-hc328_unperturbed']);
    expect(matchExperiments('human')).toHaveLength(1);
    expect(matchFiles('"rec4.2"')).toEqual(['ephys/2023-04-02-e-hc328_unperturbed']);
    expectFtsConsistent();
  });

  it('on update of metadata: old words gone, new words found', () => {
    write({ fields: experiment(), upsert: [], remove: [] });
    write({
      fields: experiment({ metadataText: 'notes.biology.species mouse', purpose: 'GABA dose response' }),
      upsert: [],
      remove: [],
    });
    expect(matchExperiments('human')).toEqual([]);
    expect(matchExperiments('mouse')).toHaveLength(1);
    expect(matchExperiments('GABA')).toHaveLength(1);
    expectFtsConsistent();
  });

  it('on update of files only: stored metadata kept, removed files no longer found', () => {
    const base = 'ephys/2023-04-02-e-hc328_unperturbed';
    write({ fields: experiment({ fileText: 'a_phy.zip\nb_acqm.zip' }), upsert: [file(`${base}/a_phy.zip`), file(`${base}/b_acqm.zip`)], remove: [] });
    expect(matchFiles('acqm')).toEqual([base]);
    write({
      fields: { path: base, objectCount: 1, totalBytes: 10, newestModified: crawledAt, fileText: 'a_phy.zip' },
      upsert: [file(`${base}/a_phy.zip`, 'e2')],
      remove: [`${base}/b_acqm.zip`],
    });
    expect(matchFiles('acqm')).toEqual([]);
    expect(matchFiles('phy')).toEqual([base]);
    expect(matchExperiments('hc328')).toHaveLength(1);
    expectFtsConsistent();
  });

  it('on delete: the experiment and, by cascade, its objects leave the index', () => {
    const base = 'ephys/2023-04-02-e-hc328_unperturbed';
    write({ fields: experiment({ fileText: 'shared/x.nwb' }), upsert: [file(`${base}/shared/x.nwb`)], remove: [] });
    deleteExperiments(db, [base]);
    expect(matchExperiments('hc328')).toEqual([]);
    expect(matchFiles('nwb')).toEqual([]);
    expect(db.$client.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(0);
    expectFtsConsistent();
  });
});

describe('the index generation moves when what search shows changes, and only then (migration 0018)', () => {
  const generation = () => db.$client.prepare('SELECT generation FROM index_generation WHERE id = 1').pluck().get() as number;
  const PATH = 'ephys/2023-04-02-e-hc328_unperturbed';
  /** Whether `change` moved the generation. */
  const moves = (change: () => void) => {
    const before = generation();
    change();
    return generation() !== before;
  };
  const totals = {
    experimentsNew: 0,
    experimentsUpdated: 0,
    experimentsUnchanged: 1,
    experimentsDeleted: 0,
    experimentsFailed: 0,
    objects: 1,
    s3Requests: {},
  };

  it('moves with experiments, their objects, manifests and previews', () => {
    expect(moves(() => write({ fields: experiment(), upsert: [file(`${PATH}/a.raw.h5`)], remove: [] }))).toBe(true);
    expect(moves(() => write({ fields: experiment({ purpose: 'a new purpose' }), upsert: [], remove: [] }))).toBe(true);
    expect(moves(() => write({ fields: experiment({ purpose: 'a new purpose' }), upsert: [file(`${PATH}/a.raw.h5`, 'e2')], remove: [] }))).toBe(true);
    const objectId = db.$client.prepare('SELECT id FROM objects').pluck().get() as number;
    // What the manifest phase learns of a file, and the recording facts it then writes on the experiment.
    const preview = { status: 'skipped' as const, reason: 'no series', reads: 0, bytesRead: 0 };
    expect(moves(() => saveManifests(db, [{ objectId, etag: 'e2', status: 'unreadable', error: 'not HDF5', preview }], crawledAt))).toBe(true);
    expect(moves(() => db.$client.prepare("UPDATE file_previews SET reason = 'no NWB series'").run())).toBe(true);
    expect(moves(() => db.$client.prepare('UPDATE experiments SET max_channels = 64 WHERE path = ?').run(PATH))).toBe(true);
    expect(moves(() => deleteExperiments(db, [PATH]))).toBe(true);
  });

  it('stays at a pass that finds nothing new: its run record, last_crawled_at, rewrites of the same values', () => {
    write({ fields: experiment(), upsert: [], remove: [] });
    expect(
      moves(() => {
        const run = startCrawlRun(db, 'recent', {}, crawledAt);
        touchExperiments(db, [PATH], new Date(crawledAt.getTime() + 60_000));
        write({ fields: experiment(), upsert: [], remove: [] });
        db.$client.prepare('UPDATE experiments SET max_channels = max_channels WHERE path = ?').run(PATH);
        finishCrawlRun(db, run, { status: 'succeeded', finishedAt: crawledAt, totals });
      }),
    ).toBe(false);
  });

  it('follows every column of experiments but last_crawled_at', () => {
    const trigger = db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'experiments_generation_au'").pluck().get() as string;
    const columns = db.$client.prepare("SELECT name FROM pragma_table_info('experiments')").pluck().all() as string[];
    expect(columns.length).toBeGreaterThan(30);
    for (const column of columns) expect(trigger.includes(`OLD.\`${column}\` IS NOT NEW.\`${column}\``), column).toBe(column !== 'last_crawled_at');
  });

  it("keeps a value derived from content over another connection's commits that changed nothing it shows", () => {
    write({ fields: experiment(), upsert: [], remove: [] });
    const reader = openDatabase(join(dir, 'search.db'), { readonly: true }).$client;
    try {
      const derivations = { content: 0, commits: 0 };
      const ofContent = derivedFromIndex(() => ++derivations.content, 'content');
      const ofCommits = derivedFromIndex(() => ++derivations.commits, 'commits');
      const both = () => [ofContent(reader, 0), ofCommits(reader, 0)];
      expect(both()).toEqual([1, 1]);
      const run = startCrawlRun(db, 'recent', {}, crawledAt);
      touchExperiments(db, [PATH], new Date(crawledAt.getTime() + 60_000));
      finishCrawlRun(db, run, { status: 'succeeded', finishedAt: crawledAt, totals });
      expect(both()).toEqual([1, 2]);
      expect(ofContent.keepFor(reader)).toBe(Infinity);
      write({ fields: experiment({ purpose: 'changed' }), upsert: [], remove: [] });
      expect(ofContent.keepFor(reader)).toBe(0);
      expect(both()).toEqual([2, 3]);
    } finally {
      reader.close();
    }
  });
});
