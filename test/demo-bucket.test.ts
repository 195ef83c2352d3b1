/**
 * The demo bucket generator: deterministic output, the layouts the crawler must handle, and a
 * real ≥100 MB NWB recording. The big file takes ~20 s to write, so it is generated once: the
 * second run reuses the cache, after the small cached NWB files were deleted or damaged so that
 * they (and everything in memory) are regenerated and compared byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import h5wasm, { Dataset, type Group } from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BROKEN_KEYS, generateDemoObjects, type DemoObject } from '../scripts/demo-bucket/index';
import { uploadDemoObjects } from '../scripts/demo-bucket/upload';
import { deletePrefix, testClient } from './support/s3';

const BIG = 100 * 1024 * 1024;
const PREFIXES = ['archive', 'ephys', 'fluidics', 'imaging', 'integrated'];

const sizeOf = (o: DemoObject): number => (Buffer.isBuffer(o.body) ? o.body.length : statSync(o.body.path).size);
const bytesOf = (o: DemoObject): Buffer => (Buffer.isBuffer(o.body) ? o.body : readFileSync(o.body.path));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const experimentOf = (key: string): string => key.split('/').slice(0, 2).join('/');

let cacheDir: string;
let first: DemoObject[];
let second: DemoObject[];
let firstSmallHashes: Map<string, string>;
let bigBefore: { ino: number; mtimeMs: number };
let firstRunMs: number;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'demo-bucket-test-'));
  const started = performance.now();
  first = await generateDemoObjects({ cacheDir });
  firstRunMs = performance.now() - started;
  firstSmallHashes = new Map(first.filter((o) => sizeOf(o) < BIG).map((o) => [o.key, sha(bytesOf(o))]));

  const files = first.filter((o): o is DemoObject & { body: { path: string } } => !Buffer.isBuffer(o.body));
  const big = files.find((o) => sizeOf(o) >= BIG);
  if (big) bigBefore = { ino: statSync(big.body.path).ino, mtimeMs: statSync(big.body.path).mtimeMs };
  // Damage the small cached files: deleted ones and truncated ones must both be rebuilt.
  files
    .filter((o) => sizeOf(o) < BIG)
    .forEach((o, i) => {
      if (i % 2) truncateSync(o.body.path, Math.floor(sizeOf(o) / 2));
      else rmSync(o.body.path);
    });
  second = await generateDemoObjects({ cacheDir });
}, 600_000);

afterAll(() => {
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

describe('determinism and caching', () => {
  it('gives the same keys and the same bytes on every run', () => {
    expect(second.map((o) => o.key)).toEqual(first.map((o) => o.key));
    for (const o of second) {
      if (sizeOf(o) < BIG) expect(sha(bytesOf(o)), o.key).toBe(firstSmallHashes.get(o.key));
    }
    console.info(`demo bucket: ${first.length} objects, first run ${(firstRunMs / 1000).toFixed(1)} s`);
  });

  it('reuses the big NWB file from the cache instead of writing it again', () => {
    const big = second.find((o) => !Buffer.isBuffer(o.body) && sizeOf(o) >= BIG);
    expect(big).toBeDefined();
    const path = (big!.body as { path: string }).path;
    expect({ ino: statSync(path).ino, mtimeMs: statSync(path).mtimeMs }).toEqual(bigBefore);
  });

  it('keeps everything but the big NWB file small', () => {
    const small = first.filter((o) => sizeOf(o) < BIG).reduce((n, o) => n + sizeOf(o), 0);
    expect(small).toBeLessThan(40 * 1024 * 1024);
  });
});

describe('bucket layout', () => {
  it('has every prefix and about 60 experiments', () => {
    expect([...new Set(first.map((o) => o.key.split('/')[0]))].sort()).toEqual(PREFIXES);
    const experiments = new Set(first.map((o) => experimentOf(o.key)));
    expect(experiments.size).toBeGreaterThanOrEqual(55);
    expect(experiments.size).toBeLessThanOrEqual(65);
    for (const e of experiments) expect(e.split('/')[1]).toMatch(/^20(2[0-5])-\d{2}-\d{2}-[efi]+-\S+$/);
  });

  it('has exactly one manifest-only imaging experiment, with its images', () => {
    const keys = new Set(first.map((o) => o.key));
    const manifestOnly = [...new Set(first.filter((o) => o.key.endsWith('/manifest.json')).map((o) => experimentOf(o.key)))].filter(
      (e) => !keys.has(`${e}/metadata.json`),
    );
    expect(manifestOnly).toHaveLength(1);
    expect(manifestOnly[0]).toMatch(/^imaging\//);
    expect(keys.has(`${manifestOnly[0]}/images/manifest.json`)).toBe(true);
    expect(first.some((o) => o.key.startsWith(`${manifestOnly[0]}/images/`) && o.key.endsWith('.png'))).toBe(true);
  });

  it('has an experiment without any metadata', () => {
    const withMetadata = new Set(first.filter((o) => /\/(metadata|manifest)\.json$/.test(o.key)).map((o) => experimentOf(o.key)));
    expect(new Set(first.map((o) => experimentOf(o.key))).size).toBeGreaterThan(withMetadata.size);
  });
});

describe('metadata.json', () => {
  const texts = () => first.filter((o) => o.key.endsWith('/metadata.json')).map((o) => [o.key, bytesOf(o).toString('utf8')] as const);
  const parsed = () =>
    new Map(
      texts()
        .filter(([key]) => !DEMO_BROKEN_KEYS.includes(key))
        .map(([key, text]) => [key, JSON.parse(text) as Record<string, unknown>]),
    );

  it('fails to parse exactly for the keys listed as broken', () => {
    expect(DEMO_BROKEN_KEYS.length).toBeGreaterThanOrEqual(1);
    const all = texts();
    expect(all.map(([k]) => k)).toEqual(expect.arrayContaining(DEMO_BROKEN_KEYS));
    for (const [key, text] of all) {
      if (DEMO_BROKEN_KEYS.includes(key)) {
        expect(() => JSON.parse(text), key).toThrow();
        continue;
      }
      const value: unknown = JSON.parse(text);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value), key).toBe(true);
      expect((value as { uuid?: unknown }).uuid, key).toBe(key.split('/')[1]);
    }
  });

  it('covers every layout the crawler must handle', () => {
    const docs = [...parsed().values()];
    const text = docs.map((d) => JSON.stringify(d)).join('\n');
    const notes = (d: Record<string, unknown>) => d.notes;
    expect(docs.some((d) => Array.isArray(d.ephys_experiments))).toBe(true);
    expect(docs.some((d) => typeof notes(d) === 'string')).toBe(true);
    expect(docs.some((d) => typeof (notes(d) as { comments?: unknown })?.comments === 'object')).toBe(true);
    expect(text).toMatch(/"optogenetic":"False"/);
    expect(docs.some((d) => d.timestamp === '')).toBe(true);
    expect(text).toMatch(/"timestamp":"\d{4}-\d{2}-\d{2} T\d{2}:\d{2}:\d{2};"/);
    expect(docs.some((d) => d.hardware === 'Maxwell' && /"path":"shared\/[^"]+\.nwb"/.test(JSON.stringify(d)))).toBe(true);
    expect(text).toMatch(/"hardware":"MEArec Simulated Recording"/);
    expect(text).toMatch(/"path":"s3:\/\/braingeneers\/ephys\//);
    for (const word of [
      'hc328',
      'e14',
      'H9',
      'KOLF2.1J',
      'human',
      'mouse',
      'organoid',
      'slice',
      '2D culture',
      'GABA',
      'bicuculline',
      'TTX',
      '4-AP',
      'Axion',
      'Intan',
    ]) {
      expect(text, word).toContain(word);
    }
  });

  it('points every recording block at an object of the bucket', () => {
    const keys = new Set(first.map((o) => o.key));
    for (const [key, doc] of parsed()) {
      const folder = experimentOf(key);
      const recordings = doc.ephys_experiments;
      const list = Array.isArray(recordings) ? recordings : Object.values((recordings ?? {}) as object);
      for (const recording of list as { blocks?: { path: string }[] }[]) {
        for (const block of recording.blocks ?? []) {
          const target = block.path.startsWith('s3://braingeneers/') ? block.path.slice('s3://braingeneers/'.length) : `${folder}/${block.path}`;
          expect(keys.has(target), `${key} → ${block.path}`).toBe(true);
        }
      }
    }
  });
});

describe('the big NWB recording', () => {
  it('has a chunked, gzip-compressed ElectricalSeries, electrodes and a units table', async () => {
    await h5wasm.ready;
    const big = first.find((o) => o.key.endsWith('.nwb') && sizeOf(o) >= BIG);
    expect(big, 'an NWB file of at least 100 MB').toBeDefined();
    const file = new h5wasm.File((big!.body as { path: string }).path, 'r');
    try {
      expect(String(file.attrs.nwb_version?.value)).toMatch(/^2\./);
      expect(file.attrs.neurodata_type?.value).toBe('NWBFile');
      for (const name of ['identifier', 'session_description', 'session_start_time', 'timestamps_reference_time', 'file_create_date']) {
        expect(file.get(name), name).toBeInstanceOf(Dataset);
      }
      const data = file.get('acquisition/ElectricalSeries/data');
      expect(data).toBeInstanceOf(Dataset);
      const series = data as Dataset;
      const [frames, channels] = series.shape ?? [];
      expect(channels).toBe(64);
      expect(frames).toBeGreaterThanOrEqual(20000 * 60);
      expect(series.dtype).toBe('<h');
      expect(series.metadata.chunks).toEqual([16384, 64]);
      expect(series.filters).toEqual([expect.objectContaining({ id: 1, cd_values: [4] })]);
      expect(series.attrs.conversion?.value).toBeCloseTo(0.195e-6, 12);
      expect(series.attrs.unit?.value).toBe('volts');
      expect((file.get('acquisition/ElectricalSeries/starting_time') as Dataset).attrs.rate?.value).toBe(20000);

      // A window of real-looking signal: a few µV of noise, different on every channel.
      const window = series.slice([[20000, 20000 + 4096], []]) as Int16Array;
      const rmsUv = (ch: number) => {
        let sum = 0;
        for (let t = 0; t < 4096; t++) sum += window[t * 64 + ch]! ** 2;
        return Math.sqrt(sum / 4096) * 0.195;
      };
      expect(rmsUv(0)).toBeGreaterThan(3);
      expect(rmsUv(0)).toBeLessThan(200);
      expect(window.slice(0, 64).some((v, c) => v !== window[64 + c])).toBe(true);

      const electrodes = file.get('general/extracellular_ephys/electrodes') as Group;
      expect(electrodes.attrs.colnames?.value).toEqual(expect.arrayContaining(['location', 'group', 'group_name']));
      expect((electrodes.get('id') as Dataset).shape).toEqual([64]);

      const units = file.get('units') as Group;
      expect(units.attrs.neurodata_type?.value).toBe('Units');
      expect(units.attrs.colnames?.value).toEqual(expect.arrayContaining(['spike_times']));
      const times = (units.get('spike_times') as Dataset).value as Float64Array;
      const index = (units.get('spike_times_index') as Dataset).value as Uint32Array;
      const ids = (units.get('id') as Dataset).value as BigInt64Array;
      expect(ids.length).toBeGreaterThan(0);
      expect(index.length).toBe(ids.length);
      expect(index[index.length - 1]).toBe(times.length);
      expect(times.reduce((max, t) => Math.max(max, t), 0)).toBeLessThan(frames! / 20000);
    } finally {
      file.close();
    }
  }, 60_000);
});

describe('NWB files with more than a recording', () => {
  /** Opens the demo's NWB file of this experiment (its first recording) and runs `read` on it. */
  async function withNwb<T>(experiment: string, read: (file: InstanceType<typeof h5wasm.File>) => T): Promise<T> {
    await h5wasm.ready;
    const found = first.find((o) => o.key.startsWith(`${experiment}/shared/`) && o.key.endsWith('.nwb'));
    expect(found, experiment).toBeDefined();
    const file = new h5wasm.File((found!.body as { path: string }).path, 'r');
    try {
      return read(file);
    } finally {
      file.close();
    }
  }
  const typeOf = (file: InstanceType<typeof h5wasm.File>, path: string) => (file.get(path) as Group | Dataset | null)?.attrs.neurodata_type?.value;

  it("keeps the LFP at 1 kHz beside the recording, and the units' mean waveforms", async () => {
    await withNwb('ephys/2024-05-21-e-mouse_slice_4AP_intan64', (file) => {
      expect(typeOf(file, 'processing/ecephys')).toBe('ProcessingModule');
      expect(typeOf(file, 'processing/ecephys/LFP')).toBe('LFP');
      expect(typeOf(file, 'processing/ecephys/LFP/ElectricalSeries')).toBe('ElectricalSeries');
      const raw = file.get('acquisition/ElectricalSeries/data') as Dataset;
      const lfp = file.get('processing/ecephys/LFP/ElectricalSeries/data') as Dataset;
      expect(lfp.shape).toEqual([raw.shape![0]! / 20, 64]);
      expect((file.get('processing/ecephys/LFP/ElectricalSeries/starting_time') as Dataset).attrs.rate?.value).toBe(1000);
      // The LFP is the recording averaged: its first sample is the mean of the first 20 frames.
      const frames = raw.slice([[0, 20], []]) as Int16Array;
      const mean = Array.from({ length: 64 }, (_, c) => Math.round(frames.filter((_, i) => i % 64 === c).reduce((n, v) => n + v, 0) / 20));
      expect(Array.from(lfp.slice([[0, 1], []]) as Int16Array)).toEqual(mean);
      const units = file.get('units') as Group;
      expect(units.attrs.colnames?.value).toEqual(expect.arrayContaining(['waveform_mean']));
      const ids = (units.get('id') as Dataset).shape![0];
      expect((units.get('waveform_mean') as Dataset).shape).toEqual([ids, 48]);
    });
  });

  it('has a trials table, an extension type, an ImageSeries, and a file at another rate than its metadata lists', async () => {
    await withNwb('ephys/2023-08-12-e-GABA_v0', (file) => {
      expect(typeOf(file, 'intervals/trials')).toBe('TimeIntervals');
      const count = (file.get('intervals/trials/id') as Dataset).shape![0]!;
      expect(count).toBeGreaterThan(0);
      expect((file.get('intervals/trials/start_time') as Dataset).shape).toEqual([count]);
    });
    await withNwb('ephys/2024-09-19-e-hc328_DIV150_nwb', (file) => {
      const ttls = file.get('acquisition/StimulationPulses') as Group;
      expect([ttls.attrs.neurodata_type?.value, ttls.attrs.namespace?.value]).toEqual(['TTLs', 'ndx-events']);
    });
    await withNwb('integrated/2024-07-30-ei-H9_GCaMP_maxwell', (file) => {
      expect(typeOf(file, 'acquisition/GCaMP')).toBe('ImageSeries');
      expect((file.get('acquisition/GCaMP/data') as Dataset).shape).toEqual([10, 32, 32]);
    });
    const rate = await withNwb(
      'ephys/2025-04-08-e-KOLF2.1J_2D_culture_nwb',
      (file) => (file.get('acquisition/ElectricalSeries/starting_time') as Dataset).attrs.rate?.value,
    );
    expect(rate).toBe(10_000);
    const metadata = first.find((o) => o.key === 'ephys/2025-04-08-e-KOLF2.1J_2D_culture_nwb/metadata.json')!;
    expect(JSON.stringify(JSON.parse(bytesOf(metadata).toString('utf8')))).toContain('"sample_rate":20000');
  });
});

describe('upload', () => {
  it('creates the bucket, streams files intact, and skips unchanged objects next time', async () => {
    const client = testClient();
    const bucket = `demo-upload-${createHash('sha256').update(cacheDir).digest('hex').slice(0, 8)}`;
    try {
      const total = first.reduce((n, o) => n + sizeOf(o), 0);
      expect(await uploadDemoObjects(client, bucket, first)).toEqual({ uploaded: first.length, skipped: 0, bytes: total });
      expect(await uploadDemoObjects(client, bucket, first)).toEqual({ uploaded: 0, skipped: first.length, bytes: 0 });

      // A streamed body must arrive as plain bytes (not aws-chunked framing): same size, same range.
      const big = first.find((o) => !Buffer.isBuffer(o.body) && sizeOf(o) >= BIG)!;
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: big.key }));
      expect(head.ContentLength).toBe(sizeOf(big));
      expect(head.ContentType).toBe('application/x-hdf5');
      const offset = 50_000_000;
      const part = await client.send(new GetObjectCommand({ Bucket: bucket, Key: big.key, Range: `bytes=${offset}-${offset + 4095}` }));
      const remote = Buffer.from(await part.Body!.transformToByteArray());
      expect(remote.equals(bytesOf(big).subarray(offset, offset + 4096))).toBe(true);
    } finally {
      await deletePrefix(client, bucket, '');
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    }
  }, 300_000);
});
