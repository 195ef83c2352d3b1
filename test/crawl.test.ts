import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectUuid } from '../lib/db/crawl-store';
import { decodeDeflatedJson } from '../lib/db/deflated-json';
import type { AppDatabase } from '../lib/db/index';
import { BROKEN, fixtureBucketObjects, MANY_FILES, MANY_FILES_COUNT, SHAPES } from './support/fixture-bucket';
import { nwbFixture } from './support/fixtures';
import { unsupportedFilterFile } from './support/unsupported-filter';
import { crawlInto, dumpIndex, integrityCheck, openTempIndex, tempDir } from './support/index';
import { createTestBucket, deletePrefix, putObjects, testClient } from './support/s3';

let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;
let db: AppDatabase;

const EXPERIMENTS = Object.keys(SHAPES).length + Object.keys(BROKEN).length + 1;

const row = (path: string) => db.$client.prepare('SELECT * FROM experiments WHERE path = ?').get(path) as Record<string, unknown> | undefined;
const objectCount = (path: string) =>
  db.$client.prepare('SELECT count(*) FROM objects o JOIN experiments e ON e.id = o.experiment_id WHERE e.path = ?').pluck().get(path);
const search = (query: string) =>
  db.$client
    .prepare('SELECT e.path FROM experiments_fts f JOIN experiments e ON e.id = f.rowid WHERE experiments_fts MATCH ? ORDER BY e.path')
    .pluck()
    .all(query);

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'crawl');
  await putObjects(client, bucket, fixtureBucketObjects());
  dir = tempDir('crawl');
  db = openTempIndex(dir.path);
});

afterAll(() => {
  db?.$client.close();
  dir?.remove();
  client?.destroy();
});

describe('crawling a bucket on radosgw', () => {
  it('first crawl indexes every experiment, every object and every metadata shape', async () => {
    const summary = await crawlInto(db, bucket);
    expect(summary).toMatchObject({
      status: 'succeeded',
      experiments: { new: EXPERIMENTS, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
      oldestDate: '2019-07-07',
      newestDate: '2024-06-01',
    });
    expect(summary.objects).toBe(Object.keys(fixtureBucketObjects()).length);
    // One GET per metadata document, except the one over the size limit, which is judged from the listing.
    expect(summary.s3Requests.GetObject).toBe(Object.keys(SHAPES).length - 1 + Object.keys(BROKEN).length - 1 + 1);
    // The HDF5-named objects here are a few bytes, shorter than HDF5's signature: not HDF5, known without a read.
    const hdf5Named = Object.keys(fixtureBucketObjects()).filter((key) => /\.(nwb|h5|hdf5)$/i.test(key)).length;
    expect(summary.manifests).toMatchObject({ built: 0, small: 0, notHdf5: hdf5Named, unreadable: 0, failed: 0 });
    expect(integrityCheck(db)).toBe('ok');

    expect(row(SHAPES.maxwellOld)).toMatchObject({
      uuid: '2023-08-12-e-GABA_v0',
      prefix: 'ephys',
      metadata_source: 'metadata.json',
      metadata_error: null,
      date: '2023-08-12',
      species: 'mouse',
      sample_type: 'organoid',
      cell_line: 'e14',
      hardware: 'Maxwell',
      chip_ids: '20325, 20247, 20402',
      channel_count: 971,
      sample_rate: 20000,
      object_count: 4,
    });
    expect(row(SHAPES.maxwellNwb)).toMatchObject({ hardware: 'Maxwell', species: 'mouse' });
    expect(row(SHAPES.mearec)).toMatchObject({ hardware: 'MEArec Simulated Recording', channel_count: 4, sample_rate: 32000 });
    expect(row(SHAPES.listStyle)).toMatchObject({ hardware: 'Intan', purpose: 'Acute slice, bicuculline wash-in at minute 10' });
    expect(JSON.parse(row(SHAPES.listStyle)!.recording_names as string)).toEqual(['slice1_baseline', 'slice1_bicuculline']);
    expect(row(SHAPES.commentsObject)).toMatchObject({ species: 'human', purpose: 'closed-loop feeding of hc328 organoids', channel_count: 1024 });
    expect(row(SHAPES.manifestOnly)).toMatchObject({
      metadata_source: 'manifest.json',
      metadata_key: `${SHAPES.manifestOnly}/images/manifest.json`,
      date: '2024-02-02',
    });
    expect(row(SHAPES.noMetadata)).toMatchObject({ metadata_source: 'none', metadata_raw: null, object_count: 2 });

    // Every flattened value is searchable, with the uuid and path.
    expect(search('bicuculline')).toEqual([SHAPES.listStyle]);
    expect(search('hc328')).toEqual([SHAPES.commentsObject]);
    expect(search('brightfield')).toEqual([SHAPES.manifestOnly]);
    expect(search('mearec')).toEqual([SHAPES.mearec]);
  });

  it('records every broken metadata.json as the experiment error and still indexes the experiment', () => {
    const expected: Record<keyof typeof BROKEN, RegExp> = {
      invalidJson: /invalid JSON/,
      bom: /byte-order mark/,
      notObject: /expected a JSON object, found an array/,
      binary: /not UTF-8/,
      tooLarge: /over the 10485760-byte limit/,
    };
    for (const [name, path] of Object.entries(BROKEN) as [keyof typeof BROKEN, string][]) {
      const experiment = row(path);
      expect(experiment, path).toBeDefined();
      expect(experiment!.metadata_error, path).toMatch(expected[name]);
      expect(experiment!.date, path).toMatch(/^2020-01-0\d$/);
      expect(objectCount(path), path).toBe(2);
    }
    expect(row(BROKEN.invalidJson)!.metadata_raw).toContain('"notes": {');
  });

  it('records all objects of an experiment with more than 1,000 keys, with stable UUIDv5 ids', () => {
    expect(objectCount(MANY_FILES)).toBe(MANY_FILES_COUNT);
    const key = `${MANY_FILES}/original/data/chunk_01000.bin`;
    const id = db.$client.prepare('SELECT uuid FROM objects WHERE key = ?').pluck().get(key) as string;
    expect(isUuid(id) && uuidVersion(id)).toBe(5);
    expect(id).toBe(objectUuid(bucket, key));
    expect(objectUuid('other-bucket', key)).not.toBe(id);
  });

  it('re-crawl with nothing changed makes zero GETs and changes nothing', async () => {
    const before = dumpIndex(db);
    const summary = await crawlInto(db, bucket);
    expect(summary.status).toBe('succeeded');
    expect(summary.experiments).toEqual({ new: 0, updated: 0, unchanged: EXPERIMENTS, deleted: 0, failed: 0 });
    expect(summary.s3Requests.GetObject ?? 0).toBe(0);
    expect(summary.s3Requests.ListObjectsV2).toBeGreaterThan(0);
    expect(dumpIndex(db)).toEqual(before);
  });

  it('picks up changed metadata with exactly one GET', async () => {
    const changed = JSON.parse(fixtureBucketObjects()[`${SHAPES.mearec}/metadata.json`] as string);
    changed.notes = 'Re-simulated with TTX block';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${SHAPES.mearec}/metadata.json`, Body: JSON.stringify(changed) }));
    const summary = await crawlInto(db, bucket);
    expect(summary.experiments).toMatchObject({ updated: 1, unchanged: EXPERIMENTS - 1 });
    expect(summary.s3Requests.GetObject).toBe(1);
    expect(row(SHAPES.mearec)!.purpose).toBe('Re-simulated with TTX block');
    expect(search('TTX')).toEqual([SHAPES.mearec]);
    expect(integrityCheck(db)).toBe('ok');
  });

  it('picks up a new file without reading the metadata again', async () => {
    const key = `${SHAPES.maxwellNwb}/derived/kilosort2/data_GABA_BL_20325_acqm.zip`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'acqm' }));
    const summary = await crawlInto(db, bucket);
    expect(summary.experiments).toMatchObject({ updated: 1, unchanged: EXPERIMENTS - 1 });
    expect(summary.s3Requests.GetObject ?? 0).toBe(0);
    expect(objectCount(SHAPES.maxwellNwb)).toBe(3);
    expect(row(SHAPES.maxwellNwb)!.species).toBe('mouse');
  });

  it('removes an experiment deleted from the bucket, with its objects and search entries', async () => {
    await deletePrefix(client, bucket, `${SHAPES.listStyle}/`);
    const summary = await crawlInto(db, bucket);
    expect(summary.experiments).toMatchObject({ deleted: 1, unchanged: EXPERIMENTS - 1 });
    expect(row(SHAPES.listStyle)).toBeUndefined();
    expect(objectCount(SHAPES.listStyle)).toBe(0);
    expect(search('bicuculline')).toEqual([]);
    expect(integrityCheck(db)).toBe('ok');
  });

  it('--dry-run reports what would change and writes nothing', async () => {
    await putObjects(client, bucket, { 'fluidics/2025-01-01-f-new_chip/metadata.json': '{"notes": {"purpose": "new"}}' });
    const before = dumpIndex(db);
    const runs = db.$client.prepare('SELECT count(*) FROM crawl_runs').pluck().get();
    const summary = await crawlInto(db, bucket, { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, experiments: { new: 1 } });
    expect(summary.s3Requests.GetObject ?? 0).toBe(0);
    expect(dumpIndex(db)).toEqual(before);
    expect(db.$client.prepare('SELECT count(*) FROM crawl_runs').pluck().get()).toBe(runs);
  });

  it('--prefix crawls and prunes only the named prefixes', async () => {
    await deletePrefix(client, bucket, `${SHAPES.noMetadata}/`);
    const summary = await crawlInto(db, bucket, { prefixes: ['imaging'] });
    expect(summary.experiments).toEqual({ new: 0, updated: 0, unchanged: 1, deleted: 0, failed: 0 });
    expect(row(SHAPES.noMetadata)).toBeDefined();
    expect(row('fluidics/2025-01-01-f-new_chip')).toBeUndefined();
  });

  it('--count N indexes only the newest N experiments and deletes nothing', async () => {
    const sample = tempDir('count');
    const sampleDb = openTempIndex(sample.path);
    try {
      const summary = await crawlInto(sampleDb, bucket, { count: 3 });
      expect(summary.experiments).toMatchObject({ new: 3, deleted: 0 });
      const paths = sampleDb.$client.prepare('SELECT path FROM experiments ORDER BY path').pluck().all();
      expect(paths).toEqual([SHAPES.manifestOnly, 'fluidics/2025-01-01-f-new_chip', SHAPES.commentsObject].sort());
    } finally {
      sampleDb.$client.close();
      sample.remove();
    }
  });

  it('--delete rebuilds from the bucket: everything re-read, everything gone from the bucket dropped', async () => {
    const summary = await crawlInto(db, bucket, { rebuild: true, prefixes: ['ephys', 'archive', 'imaging', 'integrated', 'fluidics'] });
    expect(summary.status).toBe('succeeded');
    expect(summary.experiments.deleted).toBe(1);
    expect(summary.experiments.new).toBe(1);
    expect(summary.experiments.unchanged).toBe(0);
    expect(row(SHAPES.noMetadata)).toBeUndefined();
    const clean = tempDir('clean');
    const cleanDb = openTempIndex(clean.path);
    try {
      await crawlInto(cleanDb, bucket);
      expect(dumpIndex(db)).toEqual(dumpIndex(cleanDb));
    } finally {
      cleanDb.$client.close();
      clean.remove();
    }
  });

  it('a bucket that cannot be listed fails the run with a clear message and leaves the index intact', async () => {
    const before = dumpIndex(db);
    const summary = await crawlInto(db, `${bucket}-missing`);
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/^cannot list s3:\/\/crawl-[0-9a-f]+-missing\/\w+\/: NoSuchBucket \(HTTP 404\): the bucket does not exist$/);
    expect(dumpIndex(db)).toEqual(before);
    const run = db.$client.prepare('SELECT status, error FROM crawl_runs ORDER BY id DESC LIMIT 1').get();
    expect(run).toMatchObject({ status: 'failed', error: summary.error });
  });

  it("builds the manifest and summary of each HDF5 file once per version: its bytes are the file's own", async () => {
    const experiment = 'ephys/2024-02-02-e-manifest_check';
    const key = `${experiment}/shared/recording.nwb`;
    const [first, second] = (['ecephys-kilosort-gzip.nwb', 'units-trials-dandi000009.nwb'] as const).map(nwbFixture);
    const manifestOf = () =>
      db.$client
        .prepare(
          'SELECT m.status, m.etag = o.etag AS current, m.ranges, m.bytes FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE o.key = ?',
        )
        .get(key) as { status: string; current: number; ranges: string; bytes: Buffer };
    const expectFileBytes = (file: Buffer) => {
      const { status, current, ranges, bytes } = manifestOf();
      expect({ status, current }).toEqual({ status: 'built', current: 1 });
      const expected = Buffer.concat((JSON.parse(ranges) as [number, number][]).map(([start, length]) => file.subarray(start, start + length)));
      expect(bytes.equals(expected)).toBe(true);
      expect(bytes.length).toBeGreaterThan(1000);
    };

    await putObjects(client, bucket, {
      [`${experiment}/metadata.json`]: '{"notes": {"purpose": "manifest check"}}',
      [key]: first!,
      [`${experiment}/shared/notes.h5`]: 'not hdf5\n'.repeat(40_000),
      [`${experiment}/shared/small.nwb`]: await unsupportedFilterFile(),
    });
    const summaryOf = (name: string) =>
      db.$client
        .prepare('SELECT m.status, m.summary, m.ranges FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE o.key = ?')
        .get(`${experiment}/shared/${name}`) as { status: string; summary: Buffer | null; ranges: string | null } | undefined;
    let summary = await crawlInto(db, bucket);
    // small.nwb is under the viewer's whole-file read: a summary, no manifest kept.
    expect(summary.manifests).toMatchObject({ built: 1, small: 1, notHdf5: 1, unreadable: 0, failed: 0 });
    // The walk reads the structure, not the data: a few ranges, far less than the files.
    expect(summary.manifests.reads).toBeGreaterThanOrEqual(3);
    expect(summary.manifests.bytesRead).toBeLessThan(first!.length);
    expectFileBytes(first!);
    expect(decodeDeflatedJson(summaryOf('recording.nwb')!.summary!)).toMatchObject({ format: 'nwb', nwb: { units: 13, spikes: 788 } });
    expect(summaryOf('small.nwb')).toMatchObject({ status: 'small', ranges: null });
    expect(decodeDeflatedJson<{ series: unknown[] }>(summaryOf('small.nwb')!.summary!).series[0]).toMatchObject({ decodable: false });

    summary = await crawlInto(db, bucket);
    expect(summary.manifests).toMatchObject({ built: 0, small: 0, fromStored: 0, notHdf5: 0, unreadable: 0, failed: 0, reads: 0, bytesRead: 0 });
    expect(summary.s3Requests.GetObject ?? 0).toBe(0);

    // An index from before summaries: its stored manifest gives the summary, with no read of the file.
    const before = summaryOf('recording.nwb')!.summary;
    db.$client.prepare("UPDATE hdf5_manifests SET summary = NULL WHERE status = 'built'").run();
    summary = await crawlInto(db, bucket);
    expect(summary.manifests).toMatchObject({ built: 0, small: 0, fromStored: 1, failed: 0, reads: 0 });
    expect(summary.s3Requests.GetObject ?? 0).toBe(0);
    expect(summaryOf('recording.nwb')!.summary).toEqual(before);

    await putObjects(client, bucket, { [key]: second! });
    summary = await crawlInto(db, bucket);
    expect(summary.manifests).toMatchObject({ built: 1, small: 0, notHdf5: 0, unreadable: 0, failed: 0 });
    expectFileBytes(second!);
    expect(decodeDeflatedJson(summaryOf('recording.nwb')!.summary!)).toMatchObject({ nwb: { trials: 412 } });
    expect(integrityCheck(db)).toBe('ok');
  });

  it("keeps each experiment's recording facts in step with its files: a metadata change keeps them, a removed file takes its own", async () => {
    const experiment = 'ephys/2024-02-03-e-recording_facts';
    const facts = () =>
      db.$client
        .prepare(
          'SELECT data_types, recording_flags, max_channels, max_seconds, rates, recording_text, nwb_files, unit_count FROM experiments WHERE path = ?',
        )
        .get(experiment) as Record<string, string | number | null>;
    const storedSummary = (name: string) =>
      decodeDeflatedJson<{ nwb: { sessionDescription: string; units: number } }>(
        db.$client
          .prepare('SELECT m.summary FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE o.key = ?')
          .pluck()
          .get(`${experiment}/shared/${name}`) as Buffer,
      );
    await putObjects(client, bucket, {
      [`${experiment}/metadata.json`]: '{"notes": {"purpose": "facts check"}}',
      [`${experiment}/shared/units.nwb`]: nwbFixture('units-trials-dandi000009.nwb'),
      [`${experiment}/shared/ecephys.nwb`]: nwbFixture('ecephys-kilosort-gzip.nwb'),
    });
    await crawlInto(db, bucket);
    const both = facts();
    expect(String(both.data_types).split(' ')).toEqual(expect.arrayContaining(['Units', 'TimeIntervals', 'ElectricalSeries']));
    expect(both.recording_flags).toBe('units spikes trials');
    expect(both.nwb_files).toBe(2);
    expect(both.unit_count).toBe(storedSummary('units.nwb').nwb.units + storedSummary('ecephys.nwb').nwb.units);
    expect(both.max_channels).toBeGreaterThan(0);
    expect(both.recording_text).toContain(storedSummary('units.nwb').nwb.sessionDescription);
    expect(search('recording_text:units')).toContain(experiment);

    await putObjects(client, bucket, { [`${experiment}/metadata.json`]: '{"notes": {"purpose": "facts check, again"}}' });
    await crawlInto(db, bucket);
    expect(facts()).toEqual(both);

    await deletePrefix(client, bucket, `${experiment}/shared/units.nwb`);
    await crawlInto(db, bucket);
    const one = facts();
    expect(String(one.data_types).split(' ')).not.toContain('TimeIntervals');
    expect(one.recording_flags).not.toContain('trials');
    expect(one.max_channels).toBe(both.max_channels);

    await deletePrefix(client, bucket, `${experiment}/shared/`);
    await crawlInto(db, bucket);
    expect(facts()).toEqual({
      data_types: '',
      recording_flags: '',
      max_channels: null,
      max_seconds: null,
      rates: '',
      recording_text: '',
      nwb_files: 0,
      unit_count: 0,
    });
    expect(integrityCheck(db)).toBe('ok');
  });
});
