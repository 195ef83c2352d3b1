/**
 * Searching what the recordings hold, on radosgw: the demo's NWB files (written by the project's generator,
 * with LFP, units with waveforms, trials, an extension type, an ImageSeries, a file at another rate than its
 * metadata lists), a raw Maxwell file, and bad files, crawled and searched through the API's route handlers.
 * Expected values are read from the files themselves with h5wasm, not from the index.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import h5wasm, { type Dataset } from 'h5wasm/node';
import { NextRequest } from 'next/server';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../contracts/search-answer';
import { GET as experimentRoute } from '../lib/api/experiment';
import { GET as searchRoute } from '../lib/api/search';
import type { DemoObject } from '../scripts/demo-bucket/index';
import { uploadDemoExperiments } from './support/demo-experiments';
import { nwbFixture } from './support/fixtures';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { putObjects, testClient } from './support/s3';
import { unsupportedFilterFile } from './support/unsupported-filter';

const LFP = 'ephys/2023-08-12-e-GABA_v0'; // LFP, waveforms, trials; four recordings
const LARGE = 'ephys/2024-05-21-e-mouse_slice_4AP_intan64'; // the ≥100 MB file: 64 channels, LFP, waveforms
const EVENTS = 'ephys/2024-09-19-e-hc328_DIV150_nwb'; // ndx-events TTLs
const HALF_RATE = 'ephys/2025-04-08-e-KOLF2.1J_2D_culture_nwb'; // 10 kHz in the file, 20 kHz in the metadata
const IMAGES = 'integrated/2024-07-30-ei-H9_GCaMP_maxwell'; // an ImageSeries beside the recording
const PLAIN = 'ephys/2023-12-05-e-KOLF2.1J_bicuculline_nwb'; // recording and units only
const RAW = 'ephys/2023-04-02-e-hc328_unperturbed'; // Maxwell .raw.h5 files, no NWB
const BAD = 'ephys/2024-12-01-e-bad_files';
const DEMO = [LFP, LARGE, EVENTS, HALF_RATE, IMAGES, PLAIN, RAW];
const ALL = [...DEMO, BAD];

let client: S3Client;
let dir: ReturnType<typeof tempDir>;
let objects: DemoObject[];
let warnings: string[];

interface FileFacts {
  channels: number;
  rate: number;
  frames: number;
  units: number;
  types: Set<string>;
}

/** What an NWB file says of itself, read with h5wasm. */
function readNwb(path: string): FileFacts {
  const file = new h5wasm.File(path, 'r');
  try {
    const types = new Set<string>();
    const walk = (path: string) => {
      const entity = file.get(path) as { attrs: Record<string, { value: unknown }>; keys?: () => string[] } | null;
      const type = entity?.attrs.neurodata_type?.value;
      if (typeof type === 'string') types.add(type);
      if (entity && typeof entity.keys === 'function' && !path.startsWith('/specifications')) {
        for (const name of entity.keys()) walk(path === '/' ? `/${name}` : `${path}/${name}`);
      }
    };
    walk('/');
    const [frames, channels] = (file.get('acquisition/ElectricalSeries/data') as Dataset).shape!;
    const rate = (file.get('acquisition/ElectricalSeries/starting_time') as Dataset).attrs.rate!.value as number;
    const units = (file.get('units/id') as Dataset | null)?.shape?.[0] ?? 0;
    return { channels: channels!, rate, frames: frames!, units, types };
  } finally {
    file.close();
  }
}

const bytesOf = (o: DemoObject) => (Buffer.isBuffer(o.body) ? o.body : readFileSync(o.body.path));
const nwbOf = (experiment: string) => objects.filter((o) => o.key.startsWith(`${experiment}/`) && o.key.endsWith('.nwb'));
// The bad files' experiment has one readable recording: the file whose filter no browser decodes.
const facts = (experiment: string) =>
  experiment === BAD ? [readNwb(join(dir.path, 'closed_filter.nwb'))] : nwbOf(experiment).map((o) => readNwb((o.body as { path: string }).path));

async function search(params: Record<string, string>): Promise<{ status: number; body: SearchResponse & { error?: { message: string } } }> {
  const response = await searchRoute(new NextRequest(`http://localhost/api/search?${new URLSearchParams({ limit: '100', ...params })}`));
  return { status: response.status, body: await response.json() };
}
const found = async (q: string) => (await search({ q })).body.results.map((r) => r.path).sort();

beforeAll(async () => {
  await h5wasm.ready;
  // Generated into a cache kept between runs: the demo's files are the same bytes every time.
  client = testClient();
  const uploaded = await uploadDemoExperiments(client, 'recordings', DEMO);
  const bucket = uploaded.bucket;
  objects = uploaded.objects;
  const nwb = nwbFixture('ecephys-kilosort-gzip.nwb');
  dir = tempDir('recordings');
  const closedFilter = await unsupportedFilterFile();
  writeFileSync(join(dir.path, 'closed_filter.nwb'), closedFilter);
  await putObjects(client, bucket, {
    [`${BAD}/metadata.json`]: '{"notes": {"purpose": "files the crawler cannot read"}}',
    [`${BAD}/shared/truncated.nwb`]: nwb.subarray(0, Math.floor(nwb.length / 3)),
    [`${BAD}/shared/not_hdf5.nwb`]: 'this is a CSV, named .nwb by mistake\n'.repeat(2000),
    [`${BAD}/shared/closed_filter.nwb`]: closedFilter,
  });
  const db = openTempIndex(dir.path);
  warnings = [];
  const summary = await crawlInto(db, bucket, { onWarning: (w) => warnings.push(w) });
  expect(summary.status).toBe('succeeded');
  db.$client.close();
  process.env.DATABASE_PATH = join(dir.path, 'search.db');
  process.env.S3_BUCKET = bucket;
}, 300_000);

afterAll(() => {
  dir?.remove();
  client?.destroy();
});

describe('searching what files hold', () => {
  it('type: finds a neurodata type in any case, an extension type too', async () => {
    const withType = (type: string) => ALL.filter((e) => facts(e).some((f) => f.types.has(type))).sort();
    expect(withType('LFP')).toEqual([LARGE, LFP].sort());
    expect(await found('type:LFP')).toEqual(withType('LFP'));
    expect(await found('type:lfp')).toEqual(withType('LFP'));
    expect(await found('type:TimeIntervals')).toEqual(withType('TimeIntervals'));
    expect(await found('type:TTLs')).toEqual([EVENTS]);
    expect(await found('type:ImageSeries')).toEqual([IMAGES]);
    expect(await found('type:Units')).toEqual(withType('Units'));
    expect(withType('Units').length).toBe(6);
    // Every type at once.
    expect(await found('type:Units type:LFP type:TimeIntervals')).toEqual([LFP]);
    expect(await found('type:NoSuchType')).toEqual([]);
  });

  it('has: finds units, spikes, LFP and trials', async () => {
    expect(await found('has:lfp')).toEqual([LARGE, LFP].sort());
    expect(await found('has:trials')).toEqual([LFP]);
    expect(await found('has:units has:spikes')).toEqual(ALL.filter((e) => facts(e).some((f) => f.units > 0)).sort());
    expect((await search({ q: 'has:neurons' })).status).toBe(400);
  });

  it('channels:, duration: and rate: compare with what the files record', async () => {
    const largest = (e: string, of: (f: FileFacts) => number) => Math.max(...facts(e).map(of), 0);
    const nwbExperiments = ALL.filter((e) => facts(e).length > 0);
    const channels = (e: string) => largest(e, (f) => f.channels);
    const seconds = (e: string) => largest(e, (f) => f.frames / f.rate);
    expect(await found('channels:>=64')).toEqual(nwbExperiments.filter((e) => channels(e) >= 64).sort());
    expect(await found('channels:>=64')).toEqual([LARGE]);
    expect(await found('channels:32')).toEqual(nwbExperiments.filter((e) => channels(e) === 32).sort());
    expect(await found('channels:<20')).toEqual(nwbExperiments.filter((e) => channels(e) < 20).sort());
    expect(await found('duration:>1m')).toEqual(nwbExperiments.filter((e) => seconds(e) > 60).sort());
    expect(await found('duration:>10s duration:<2min')).toEqual([LARGE]);
    expect(await found('duration:<=1s')).toEqual(nwbExperiments.filter((e) => seconds(e) <= 1).sort());
    // Any rate of any series: the 1 kHz LFP counts, and the file recorded at half its listed rate.
    expect(await found('rate:10k')).toEqual([HALF_RATE]);
    expect(await found('rate:1kHz')).toEqual([LARGE, LFP].sort());
    expect(await found('rate:>15k')).toEqual(nwbExperiments.filter((e) => facts(e).some((f) => f.rate > 15000)).sort());
    expect((await search({ q: 'channels:many' })).body.error?.message).toBe('channels: expects a value like channels:>=512');
  });

  it('finds the free text of the NWB fields: a session description finds its experiment', async () => {
    const description = (experiment: string) => {
      const file = new h5wasm.File((nwbOf(experiment)[0]!.body as { path: string }).path, 'r');
      try {
        return String((file.get('general/devices') as { keys(): string[] }).keys()[0]);
      } finally {
        file.close();
      }
    };
    // The Intan headstage is named only in the NWB files' devices, not in any metadata.json.
    expect(description(LARGE)).toBe('Intan RHD2164');
    const metadata = objects.filter((o) => o.key.endsWith('metadata.json'));
    expect(metadata.length).toBeGreaterThan(5);
    for (const o of metadata) expect(bytesOf(o).toString('utf8'), o.key).not.toContain('RHD2164');
    expect(await found('RHD2164')).toEqual([LARGE]);
    const hit = (await search({ q: 'RHD2164' })).body.results[0]!;
    expect(hit.snippet.some((s) => s.match && s.text === 'RHD2164')).toBe(true);
    expect(hit.files.map((f) => f.key)).toEqual(nwbOf(LARGE).map((o) => o.key));
  });

  it('shows each matching file with one line of what it holds', async () => {
    const [large] = facts(LARGE);
    const result = (await search({ q: 'type:LFP' })).body.results.find((r) => r.path === LARGE)!;
    const seconds = large!.frames / large!.rate;
    expect(result.files).toEqual([
      {
        uuid: expect.any(String),
        key: nwbOf(LARGE)[0]!.key,
        holds: `ElectricalSeries ${large!.channels} ch × ${seconds} s @ 20 kHz · LFP · ${large!.units} units`,
      },
    ]);
    expect(result.holds).toBe(`1 NWB file · ${large!.channels} ch · ${seconds} s · ${large!.units} units`);
    // Only the files that hold what is asked: GABA_v0's four NWB files all have trials, its raw files none.
    const trials = (await search({ q: 'has:trials' })).body.results[0]!;
    expect(trials.files.map((f) => f.key).sort()).toEqual(
      nwbOf(LFP)
        .map((o) => o.key)
        .sort(),
    );
    expect(trials.files.every((f) => f.holds?.includes(' trials'))).toBe(true);
    const events = (await search({ q: 'type:TTLs' })).body.results[0]!;
    expect(events.files[0]!.holds).toContain('TTLs (ndx-events)');
    const images = (await search({ q: 'type:ImageSeries' })).body.results[0]!;
    expect(images.files[0]!.holds).toContain('ImageSeries 32 × 32 px × 1 s @ 10 Hz');
  });

  it('counts experiments per neurodata type in the data facet, leaving out the table plumbing', async () => {
    const { facets } = (await search({ q: '' })).body;
    const count = (type: string) => facets.dataType.find((f) => f.value === type)?.count;
    const withType = (type: string) => ALL.filter((e) => facts(e).some((f) => f.types.has(type))).length;
    for (const type of ['ElectricalSeries', 'Units', 'LFP', 'TimeIntervals', 'TTLs', 'ImageSeries', 'ElectrodeGroup']) {
      expect(count(type), type).toBe(withType(type));
    }
    for (const plumbing of ['VectorData', 'VectorIndex', 'ElementIdentifiers', 'DynamicTableRegion'])
      expect(count(plumbing), plumbing).toBeUndefined();
    expect(facets.has.find((f) => f.value === 'lfp')?.count).toBe(2);
    // The facet narrows as the search does, and a facet value chosen on the page filters like type:.
    expect((await search({ q: '', data: 'LFP' })).body.results.map((r) => r.path).sort()).toEqual(await found('type:LFP'));
    expect((await search({ q: 'has:trials' })).body.facets.dataType.find((f) => f.value === 'LFP')?.count).toBe(1);
  });
});

describe('GET /api/experiments/<prefix>/<uuid>', () => {
  const experiment = async (path: string) => {
    const [prefix, uuid] = path.split('/') as [string, string];
    const response = await experimentRoute(new Request(`http://localhost/api/experiments/${path}`), { params: Promise.resolve({ prefix, uuid }) });
    return (await response.json()) as {
      recordings: { holds: string | null; dataTypes: string[]; has: string[]; maxChannels: number | null; rates: number[]; units: number };
      files: { key: string; holds?: string; unreadable?: string }[];
    };
  };

  it('carries the recording facts and every HDF5 file line', async () => {
    const body = await experiment(LFP);
    const files = facts(LFP);
    expect(body.recordings).toMatchObject({
      has: ['units', 'spikes', 'lfp', 'trials'],
      maxChannels: Math.max(...files.map((f) => f.channels)),
      rates: [1000, 20000],
      units: files.reduce((n, f) => n + f.units, 0),
    });
    expect(body.recordings.dataTypes).toEqual(expect.arrayContaining(['LFP', 'TimeIntervals', 'Units', 'ElectricalSeries']));
    const hdf5 = body.files.filter((f) => /\.(nwb|h5)$/.test(f.key));
    expect(hdf5.length).toBeGreaterThan(4);
    expect(hdf5.every((f) => typeof f.holds === 'string')).toBe(true);
    // The raw Maxwell files are plain HDF5, compressed with MaxWell's own filter: their line names their
    // largest dataset and says a browser cannot decode it.
    expect((await experiment(RAW)).files.find((f) => f.key.endsWith('.raw.h5'))!.holds).toMatch(
      /^HDF5: \/recordings\/rec0000\/well000\/groups\/routed\/raw [\d,]+ × [\d,]+ <H · MaxWell Biosystems \(filter 400\): not viewable in a browser$/,
    );
  });

  it('gives each bad file its reason, and the crawl went on', async () => {
    const body = await experiment(BAD);
    const byName = Object.fromEntries(body.files.map((f) => [f.key.split('/').at(-1), f]));
    expect(byName['truncated.nwb']!.unreadable).toMatch(/\S/);
    expect(byName['not_hdf5.nwb']!.unreadable).toBe('not an HDF5 file (no HDF5 signature)');
    expect(byName['closed_filter.nwb']!.holds).toBe('ElectricalSeries 10 ch × 20 ms @ 20 kHz · deflate (filter 32004): not viewable in a browser');
    expect(warnings.some((w) => w.includes('truncated.nwb'))).toBe(true);
  });
});
