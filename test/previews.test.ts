/**
 * Recording previews on radosgw: the demo's NWB files (a 64-channel recording over 100 MB, recordings with
 * units, the Maxwell raw files that have no NWB series), the two NWB fixtures and files the crawler cannot
 * read, crawled; the previews checked as images against what the files hold (read with h5wasm), then
 * served by the route, with its caching; a second crawl draws nothing, a changed file is drawn again.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import h5wasm, { type Dataset } from 'h5wasm/node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlSummary } from '../crawler/crawl';
import { PREVIEW_LIMITS } from '../crawler/hdf5-preview';
import { PREVIEW_COLORS, PREVIEW_SIZE } from '../crawler/preview-image';
import { GET as previewRoute } from '../lib/api/preview';
import type { AppDatabase } from '../lib/db/index';
import type { DemoObject } from '../scripts/demo-bucket/index';
import { uploadDemoExperiments } from './support/demo-experiments';
import { nwbFixture } from './support/fixtures';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { pngPixels } from './support/png-pixels';
import { putObjects, testClient } from './support/s3';

const LARGE = 'ephys/2024-05-21-e-mouse_slice_4AP_intan64'; // the ≥100 MB file: 64 channels
const PLAIN = 'ephys/2023-12-05-e-KOLF2.1J_bicuculline_nwb'; // recording and units only
const RAW = 'ephys/2023-04-02-e-hc328_unperturbed'; // Maxwell .raw.h5 files, no NWB
const FIXTURES = 'ephys/2022-01-01-e-fixtures';
const DEMO = [LARGE, PLAIN, RAW];

let client: S3Client;
let bucket: string;
let dir: ReturnType<typeof tempDir>;
let db: AppDatabase;
let objects: DemoObject[];
let first: CrawlSummary;

interface PreviewRow {
  key: string;
  uuid: string;
  status: 'drawn' | 'skipped';
  png: Buffer | null;
  description: string | null;
  reason: string | null;
  reads: number;
  bytes_read: number;
}

const previews = () =>
  db.$client
    .prepare(
      `SELECT o.key, o.uuid, p.status, p.png, p.description, p.reason, p.reads, p.bytes_read
       FROM file_previews p JOIN objects o ON o.id = p.object_id AND p.etag = o.etag ORDER BY o.key`,
    )
    .all() as PreviewRow[];
const previewOf = (key: string) => previews().find((p) => p.key === key);

/** What an NWB file holds that a preview draws, read with h5wasm. */
function holds(path: string): { channels: number; units: number } {
  const file = new h5wasm.File(path, 'r');
  try {
    const data = file.get('acquisition/ElectricalSeries/data') as Dataset | null;
    const units = file.get('units/id') as Dataset | null;
    return { channels: data?.shape?.[1] ?? 0, units: units?.shape?.[0] ?? 0 };
  } finally {
    file.close();
  }
}

const route = (uuid: string, headers: Record<string, string> = {}, method = 'GET') =>
  previewRoute(new Request(`http://localhost/files/${uuid}/preview.png`, { method, headers }), { params: Promise.resolve({ uuid }) });

beforeAll(async () => {
  await h5wasm.ready;
  client = testClient();
  ({ bucket, objects } = await uploadDemoExperiments(client, 'previews', DEMO));
  const nwb = nwbFixture('ecephys-kilosort-gzip.nwb');
  await putObjects(client, bucket, {
    [`${FIXTURES}/metadata.json`]: '{"notes": {"purpose": "files written by other tools"}}',
    [`${FIXTURES}/shared/kilosort.nwb`]: nwb,
    [`${FIXTURES}/shared/units_only.nwb`]: nwbFixture('units-trials-dandi000009.nwb'),
    [`${FIXTURES}/shared/truncated.nwb`]: nwb.subarray(0, Math.floor(nwb.length / 3)),
    [`${FIXTURES}/shared/not_hdf5.nwb`]: 'a CSV named .nwb\n'.repeat(2000),
  });
  dir = tempDir('previews');
  db = openTempIndex(dir.path);
  first = await crawlInto(db, bucket);
  expect(first.status).toBe('succeeded');
  process.env.DATABASE_PATH = join(dir.path, 'search.db');
  process.env.S3_BUCKET = bucket;
}, 300_000);

afterAll(() => {
  db?.$client.close();
  dir?.remove();
  client?.destroy();
});

describe('previews drawn at crawl time', () => {
  it('draws every NWB recording of the demo, traces where it has a series, spikes where it has units', async () => {
    const nwb = objects.filter((o) => o.key.endsWith('.nwb'));
    expect(nwb.length).toBeGreaterThanOrEqual(3);
    for (const o of nwb) {
      const facts = holds((o.body as { path: string }).path);
      const row = previewOf(o.key);
      expect(row, o.key).toMatchObject({ status: 'drawn' });
      const traced = await pngPixels(row!.png!, PREVIEW_COLORS.trace, 8);
      const spiked = await pngPixels(row!.png!, PREVIEW_COLORS.spike, 8);
      expect(traced).toMatchObject({ width: PREVIEW_SIZE.width, height: PREVIEW_SIZE.height });
      // Not blank: traces in every band that holds them; the raster below them when there are units.
      expect(
        traced.near.slice(0, 4).every((n) => n > 100),
        o.key,
      ).toBe(facts.channels > 0);
      expect(spiked.near.slice(5).reduce((a, b) => a + b) > 20, o.key).toBe(facts.units > 0);
      const channels = Math.min(PREVIEW_LIMITS.drawnChannels, facts.channels);
      expect(row!.description).toContain(facts.channels > channels ? `${channels} of ${facts.channels} channels` : `${channels} channels`);
      if (facts.units > 0) expect(row!.description).toContain(`${facts.units} units`);
      // Bounded: what the data took from S3, past the structure.
      expect(row!.bytes_read).toBeLessThanOrEqual(PREVIEW_LIMITS.maxFetchedBytes);
    }
  });

  it('draws the fixtures: a recording with units, and a units table alone as a raster', async () => {
    const kilosort = previewOf(`${FIXTURES}/shared/kilosort.nwb`)!;
    expect(kilosort.description).toMatch(/^Preview: the first 0\.04 s of ElectricalSeries .*6 of 10 channels.*13 units/);
    const unitsOnly = previewOf(`${FIXTURES}/shared/units_only.nwb`)!;
    expect(unitsOnly.description).toMatch(/^Preview: the spikes of its 4 units over the first/);
    expect((await pngPixels(unitsOnly.png!, PREVIEW_COLORS.trace)).near[0]).toBe(0);
  });

  it('records why a file has no preview, and keeps none for files that are not HDF5 or cannot be read', () => {
    const raw = previews().filter((p) => p.key.startsWith(`${RAW}/`));
    expect(raw.length).toBeGreaterThan(0);
    for (const p of raw) expect(p).toMatchObject({ status: 'skipped', reason: 'it holds no time series and no units', png: null });
    expect(previewOf(`${FIXTURES}/shared/truncated.nwb`)).toBeUndefined();
    expect(previewOf(`${FIXTURES}/shared/not_hdf5.nwb`)).toBeUndefined();
    const drawn = previews().filter((p) => p.status === 'drawn').length;
    expect(first.manifests).toMatchObject({ previewsDrawn: drawn, previewsSkipped: previews().length - drawn });
  });

  it('serves a preview as a PNG, cacheable by its ETag; 404 with the reason for a file with none', async () => {
    const row = previewOf(`${FIXTURES}/shared/kilosort.nwb`)!;
    const response = await route(row.uuid);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(Buffer.from(await response.arrayBuffer()).equals(row.png!)).toBe(true);
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{20}"$/);
    const again = await route(row.uuid, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await route(row.uuid, {}, 'HEAD');
    expect(head.headers.get('content-length')).toBe(String(row.png!.length));

    const raw = previews().find((p) => p.key.startsWith(`${RAW}/`))!;
    const none = await route(raw.uuid);
    expect(none.status).toBe(404);
    expect((await none.json()).error.message).toBe('this file has no preview: it holds no time series and no units');
    const metadata = db.$client.prepare("SELECT uuid FROM objects WHERE key LIKE '%/metadata.json' LIMIT 1").pluck().get() as string;
    expect((await route(metadata)).status).toBe(404);
    expect((await route('00000000-0000-5000-8000-000000000000')).status).toBe(404);
    expect((await route('../etc/passwd')).status).toBe(400);
  });

  it('draws nothing again for unchanged files, and draws a changed file again', async () => {
    const again = await crawlInto(db, bucket);
    expect(again.manifests).toMatchObject({ previewsDrawn: 0, previewsSkipped: 0, previewReads: 0 });
    const key = `${FIXTURES}/shared/kilosort.nwb`;
    const before = previewOf(key)!;
    await putObjects(client, bucket, { [key]: readFileSync(join(import.meta.dirname, 'fixtures/nwb/units-trials-dandi000009.nwb')) });
    const changed = await crawlInto(db, bucket);
    expect(changed.manifests.previewsDrawn).toBe(1);
    const after = previewOf(key)!;
    expect(after.description).toMatch(/^Preview: the spikes of its 4 units/);
    expect(after.png!.equals(before.png!)).toBe(false);
    // Summaries built again from the stored manifests leave the previews of those versions as they are.
    db.$client.prepare("UPDATE hdf5_manifests SET summary = NULL WHERE status = 'built'").run();
    const resummarised = await crawlInto(db, bucket);
    expect(resummarised.manifests.fromStored).toBeGreaterThan(0);
    expect(resummarised.manifests).toMatchObject({ previewsDrawn: 0, previewsSkipped: 0 });
  });
});
