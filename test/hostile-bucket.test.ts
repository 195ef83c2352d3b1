import type { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as searchRoute } from '../lib/api/search';
import type { CrawlSummary } from '../crawler/crawl';
import { METADATA_LIMITS } from '../crawler/metadata';
import type { AppDatabase } from '../lib/db/index';
import { seededRandom } from '../scripts/seeded-random';
import { hostileBucket, type HostileBucket } from './support/hostile-bucket';
import { crawlInto, integrityCheck, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient } from './support/s3';

/**
 * The crawler against a bucket built to break it (test/support/hostile-bucket.ts), on radosgw: no content
 * may fail the run, every ordinary experiment is indexed, and each hostile one carries what went wrong.
 */

const TRUNCATIONS = {
  depth: new RegExp(`^only part of the metadata is searchable: it nests deeper than ${METADATA_LIMITS.depth} levels$`),
  values: /^only part of the metadata is searchable: it holds over 500,000 values$/,
  text: /^only part of the metadata is searchable: its text is over 1,000,000 characters$/,
};

let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;
let db: AppDatabase;
let hostile: HostileBucket;
let first: CrawlSummary;
let warnings: string[];

const crawlOnce = (target: AppDatabase, name: string, into: string[] = []) => crawlInto(target, name, { onWarning: (w) => into.push(w) });

type Row = {
  path: string;
  metadata_error: string | null;
  metadata_truncation: string | null;
  species: string | null;
  sample_type: string | null;
  purpose: string | null;
};
const rows = () =>
  new Map(
    (db.$client.prepare('SELECT path, metadata_error, metadata_truncation, species, sample_type, purpose FROM experiments').all() as Row[]).map(
      (r) => [r.path, r],
    ),
  );

beforeAll(async () => {
  client = testClient();
  bucket = await createTestBucket(client, 'hostile');
  hostile = await hostileBucket({ seed: 12 });
  await putObjects(client, bucket, hostile.objects);
  dir = tempDir('hostile');
  db = openTempIndex(dir.path);
  warnings = [];
  first = await crawlOnce(db, bucket, warnings);
}, 300_000);

afterAll(() => {
  db?.$client.close();
  dir?.remove();
  client?.destroy();
});

describe('crawling a hostile bucket', () => {
  it('succeeds, and indexes every experiment, hostile or ordinary, and nothing else', () => {
    expect(first).toMatchObject({ status: 'succeeded', experiments: { failed: 0, new: hostile.cases.length + hostile.ordinary.size } });
    expect(integrityCheck(db)).toBe('ok');
    expect([...rows().keys()].sort()).toEqual([...hostile.cases.map((c) => c.path), ...hostile.ordinary.keys()].sort());
  });

  it('indexes the ordinary experiments as if the hostile ones were not there', () => {
    const indexed = rows();
    for (const [path, expected] of hostile.ordinary) {
      expect(indexed.get(path)).toMatchObject({
        metadata_error: null,
        metadata_truncation: null,
        species: expected.species,
        sample_type: expected.sampleType,
        purpose: expected.purpose,
      });
    }
  });

  it('records on each hostile experiment what went wrong: an error for a broken file, a truncation for a document over the limits', () => {
    const indexed = rows();
    for (const c of hostile.cases) {
      const row = indexed.get(c.path)!;
      if (c.broken) expect(row.metadata_error, c.what).toMatch(/^(metadata|manifest)\.json: /);
      else expect(row.metadata_error, c.what).toBeNull();
      if (c.truncation === undefined) expect(row.metadata_truncation, c.what).toBeNull();
      else expect(row.metadata_truncation, c.what).toMatch(TRUNCATIONS[c.truncation]);
    }
  });

  it('skips the folders named . and .., with a warning for each', () => {
    for (const path of hostile.notExperiments) expect(warnings.some((w) => w.includes(`/${path}/ is skipped`))).toBe(true);
  });

  it('stores every key exactly as it is in the bucket: carriage returns, line feeds, percent signs and dot segments', () => {
    const stored = new Set(db.$client.prepare('SELECT key FROM objects').pluck().all() as string[]);
    const expected = Object.keys(hostile.objects).filter((key) => !hostile.notExperiments.some((p) => key.startsWith(`${p}/`)));
    expect(stored.size).toBe(expected.length);
    for (const key of expected) expect(stored.has(key), JSON.stringify(key)).toBe(true);
  });

  it("records each crafted HDF5 file as unreadable with HDF5's reason", () => {
    const manifests = new Map(
      (
        db.$client.prepare('SELECT o.key, m.status, m.error FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id').all() as {
          key: string;
          status: string;
          error: string;
        }[]
      ).map((m) => [m.key, m]),
    );
    const files = hostile.cases.flatMap((c) => c.unreadableHdf5 ?? []);
    expect(files.length).toBeGreaterThan(4);
    for (const key of files) {
      expect(manifests.get(key), key).toMatchObject({ status: 'unreadable' });
      // The innermost HDF5 message or our own bound, never HDF5's source paths.
      expect(manifests.get(key)!.error).not.toMatch(/\/__w\//);
    }
    expect(first.manifests).toMatchObject({ unreadable: files.length, failed: 0 });
  });

  it('finds nothing to do in an unchanged hostile bucket', async () => {
    const again = await crawlOnce(db, bucket);
    expect(again).toMatchObject({ status: 'succeeded', experiments: { new: 0, updated: 0, failed: 0, deleted: 0 } });
    expect(again.s3Requests.GetObject ?? 0).toBe(0);
  });

  it('answers 2,000 random queries over it with 200 or a 400 naming what is wrong, never a 500', async () => {
    Object.assign(process.env, { DATABASE_PATH: join(dir.path, 'search.db'), S3_BUCKET: bucket });
    const next = seededRandom(2000);
    const pieces = [
      '"',
      '-',
      ':',
      'OR',
      '*',
      '(',
      ')',
      'species:',
      'after:2023',
      'before:',
      'prefix:',
      'sample_type:"',
      '\\',
      '\u0000',
      '\ud800',
      '🧠',
      'é',
      '%ff',
      '1.1.1',
      '_',
      '/',
      'e',
      'ordinary',
      'folder',
      'nwb',
      ' ',
      '  ',
      '\t',
      '\n',
      'NEAR(',
      '^',
      '{',
      '}',
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const q = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]!).join(next() < 0.5 ? '' : ' ');
      const params = new URLSearchParams({
        q,
        ...(next() < 0.2 ? { sort: ['relevance', 'newest', 'oldest', 'bogus'][Math.floor(next() * 4)]! } : {}),
        ...(next() < 0.1 ? { cursor: q.slice(0, 20) } : {}),
      });
      const response = await searchRoute(new Request(`http://localhost/api/search?${params}`));
      const body = (await response.json()) as { error?: { message: string }; total?: number };
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 400) expect(body.error?.message, q).toMatch(/\w/);
      else expect([response.status, typeof body.total], q).toEqual([200, 'number']);
    }
    expect(statuses.get(200)).toBeGreaterThan(500);
    expect([...statuses.keys()].sort()).toEqual([200, 400]);
  });

  it('keeps the rest of a batch when the index refuses one experiment, and records the refusal on it', async () => {
    const small = await createTestBucket(client, 'refused');
    const paths = Array.from({ length: 10 }, (_, i) => `ephys/2024-05-${String(i + 1).padStart(2, '0')}-e-batch_${i}`);
    await putObjects(
      client,
      small,
      Object.fromEntries(paths.map((p, i) => [`${p}/metadata.json`, JSON.stringify({ notes: { purpose: i === 4 ? 'refuse-me' : `kept ${i}` } })])),
    );
    const other = tempDir('refused');
    const target = openTempIndex(other.path);
    try {
      // A real refusal from SQLite, as a value it cannot store would give: the trigger rejects the row with its metadata.
      target.$client.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON experiments WHEN NEW.metadata_raw LIKE '%refuse-me%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
      );
      const summary = await crawlOnce(target, small);
      expect(summary).toMatchObject({ status: 'succeeded', experiments: { new: 10, failed: 0 } });
      const stored = target.$client.prepare('SELECT path, purpose, metadata_error FROM experiments ORDER BY path').all() as {
        path: string;
        purpose: string | null;
        metadata_error: string | null;
      }[];
      expect(stored.map((r) => r.path)).toEqual(paths);
      expect(stored[4]).toMatchObject({ metadata_error: "the index could not store this experiment's metadata: refused by the test" });
      expect(stored.filter((r) => r.metadata_error === null)).toHaveLength(9);
    } finally {
      target.$client.close();
      other.remove();
    }
  });
});
