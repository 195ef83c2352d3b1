import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hdf5FileCost } from '../../crawler/context';
import { EXPERIMENTS } from '../../scripts/demo-bucket/catalog';
import { generateDemoObjects } from '../../scripts/demo-bucket/index';
import { fixturePath } from '../../test/support/fixtures';
import { percentile } from './app-server';

/**
 * Real HDF5 files for the crawl benchmark, of every kind the lab's bucket holds: pynwb and DANDI files (the
 * test fixtures), the demo generator's NWB files (LFP and trials, an extension type, an ImageSeries, a
 * 105 MB recording) and a raw Maxwell file. Each kind is put in place of placeholder files of the synthetic
 * bucket, so that a crawl walks them as it would the lab's.
 */

export interface Hdf5Kind {
  kind: string;
  bytes: Buffer;
  /** How many of the bucket's files it replaces at most (the large recording once). */
  copies?: number;
}

const demoFile = (objects: { key: string; body: Buffer | { path: string } }[], pattern: RegExp) => {
  const found = objects.find((o) => pattern.test(o.key));
  if (!found) throw new Error(`no demo file matches ${pattern}`);
  return Buffer.isBuffer(found.body) ? found.body : readFileSync(found.body.path);
};

export async function hdf5Kinds(): Promise<Hdf5Kind[]> {
  const wanted = ['2023-08-12-e-GABA_v0', '2024-09-19-e-hc328_DIV150_nwb', '2024-07-30-ei-H9_GCaMP_maxwell', '2024-05-21-e-mouse_slice_4AP_intan64'];
  const demo = await generateDemoObjects({
    cacheDir: join(tmpdir(), 'bgs-demo-files'),
    experiments: EXPERIMENTS.filter((e) => wanted.includes(e.uuid)),
  });
  return [
    { kind: 'pynwb ecephys, Kilosort units (fixture)', bytes: readFileSync(fixturePath('nwb', 'ecephys-kilosort-gzip.nwb')) },
    { kind: 'DANDI 000009 units and trials (fixture)', bytes: readFileSync(fixturePath('nwb', 'units-trials-dandi000009.nwb')) },
    { kind: 'demo NWB: LFP, trials, waveforms', bytes: demoFile(demo, /GABA_v0\/shared\/data_GABA_BL_\d+\.nwb$/) },
    { kind: 'demo NWB: ndx-events TTLs', bytes: demoFile(demo, /DIV150_nwb\/shared\/.*\.nwb$/) },
    { kind: 'demo NWB: ImageSeries', bytes: demoFile(demo, /GCaMP_maxwell\/shared\/.*\.nwb$/) },
    { kind: 'demo Maxwell .raw.h5 (closed filter)', bytes: demoFile(demo, /GABA_v0\/original\/data\/.*\.raw\.h5$/) },
    { kind: 'demo NWB 64 ch × 72 s, LFP, waveforms', bytes: demoFile(demo, /intan64\/shared\/.*\.nwb$/), copies: 1 },
  ];
}

/** Puts the kinds in place of the bucket's `.nwb` and `.raw.h5` placeholders, in turn; returns each key's kind. */
export function placeHdf5Files(objects: Map<string, string | Uint8Array>, kinds: Hdf5Kind[], count: number): Map<string, string> {
  const placed = new Map<string, string>();
  const used = new Map<Hdf5Kind, number>();
  const turns = { raw: 0, nwb: 0 };
  for (const key of [...objects.keys()]) {
    if (placed.size >= count) break;
    const slot = key.endsWith('.raw.h5') ? 'raw' : key.endsWith('.nwb') ? 'nwb' : undefined;
    if (!slot) continue;
    // Raw kinds replace raw files and NWB kinds NWB files, each in turn while it has copies left.
    const fitting = kinds.filter((k) => k.kind.includes('.raw.h5') === (slot === 'raw') && (used.get(k) ?? 0) < (k.copies ?? Infinity));
    const kind = fitting[turns[slot]++ % fitting.length];
    if (!kind) continue;
    objects.set(key, kind.bytes);
    placed.set(key, kind.kind);
    used.set(kind, (used.get(kind) ?? 0) + 1);
  }
  return placed;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

function byKindOf(costs: Hdf5FileCost[], kinds: Map<string, string>): Map<string, Hdf5FileCost[]> {
  const byKind = new Map<string, Hdf5FileCost[]>();
  for (const cost of costs) {
    const kind = kinds.get(cost.key) ?? 'not HDF5 (placeholder text)';
    byKind.set(kind, [...(byKind.get(kind) ?? []), cost]);
  }
  return byKind;
}

/** Per kind: files, median range requests, bytes and milliseconds per file, against the file's size. */
export function costTable(costs: Hdf5FileCost[], kinds: Map<string, string>, summaryBytes: Map<string, number>): string[] {
  const rows = [...byKindOf(costs, kinds)].map(([kind, list]) => {
    const size = median(list.map((c) => c.size));
    const bytes = median(list.map((c) => c.bytes));
    const summary = median(list.map((c) => summaryBytes.get(c.key) ?? 0));
    const outcomes = [...new Set(list.map((c) => c.outcome))].join(', ');
    return `| ${kind} | ${list.length} | ${outcomes} | ${(size / 1e6).toFixed(2)} | ${median(list.map((c) => c.reads))} | ${(bytes / 1024).toFixed(0)} (${((100 * bytes) / size).toFixed(2)} %) | ${median(list.map((c) => c.ms)).toFixed(0)} | ${(summary / 1024).toFixed(1)} |`;
  });
  return [
    '| file kind | files | outcome | MB each | range GETs per file | KiB read per file (of the file) | ms per file (waits for a walk thread included) | summary KiB in the index |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

/** Per kind of HDF5 file: previews drawn and skipped, and the median range requests and bytes of S3 its data took. */
export function previewCostTable(costs: Hdf5FileCost[], kinds: Map<string, string>): string[] {
  const rows = [...byKindOf(costs, kinds)].flatMap(([kind, list]) => {
    const looked = list.flatMap((c) => (c.preview ? [c.preview] : []));
    if (looked.length === 0) return [];
    const drawn = looked.filter((p) => p.status === 'drawn');
    const reads = median(drawn.map((p) => p.reads));
    const bytes = median(drawn.map((p) => p.bytes));
    return [
      `| ${kind} | ${drawn.length} | ${looked.length - drawn.length} | ${drawn.length ? reads : '-'} | ${drawn.length ? (bytes / 1024).toFixed(0) : '-'} |`,
    ];
  });
  return ['| file kind | drawn | skipped | range GETs of data per preview | KiB of data per preview |', '|---|---|---|---|---|', ...rows];
}
