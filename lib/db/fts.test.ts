import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteExperiments, writeExperiments, type ExperimentFields, type ExperimentWrite } from './crawl-store';
import { openDatabase, type AppDatabase } from './index';

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
