import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { nwbFixture } from '../test/support/fixtures';
import { unsupportedFilterFile } from '../test/support/unsupported-filter';
import { h5FileBytes } from '../test/support/h5-file-bytes';
import { BlockReader } from '../hdf5/block-reader';
import { createLazyFile, type EmscriptenFs } from '../hdf5/emscripten-file';
import { blockRuns, buildHdf5Manifest } from './hdf5-manifest';
import { ManifestPool } from './manifest-pool';

const NWB = (['ecephys-kilosort-gzip.nwb', 'units-trials-dandi000009.nwb'] as const).map((name) => new Uint8Array(nwbFixture(name)));

const fetchFrom =
  (file: Uint8Array, log: [number, number][] = []) =>
  async (start: number, end: number) => {
    log.push([start, end]);
    return file.slice(start, end + 1);
  };

/** Everything a viewer shows without plotting: every attribute, shape and small dataset, by path. */
function structure(file: H5File): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (group: Group) => {
    out[`${group.path} attrs`] = Object.fromEntries(Object.values(group.attrs).map((a) => [a.name, a.json_value]));
    for (const name of group.keys()) {
      const child = group.get(name);
      if (child instanceof Group) visit(child);
      if (!(child instanceof Dataset)) continue;
      const size = (child.shape ?? []).reduce((n, d) => n * d, 1) * child.metadata.size;
      out[child.path] = {
        shape: child.shape,
        attrs: Object.fromEntries(Object.values(child.attrs).map((a) => [a.name, a.json_value])),
        value: size <= 64 * 1024 ? child.json_value : undefined,
      };
    }
  };
  visit(file);
  return out;
}

let opened = 0;
/** Opens the bytes as the viewer's worker does: an Emscripten file whose reads go through a BlockReader. */
async function openThrough(reader: BlockReader): Promise<H5File> {
  const { FS } = (await h5wasm.ready) as unknown as { FS: EmscriptenFs };
  const path = `/viewer-${opened++}.h5`;
  createLazyFile(FS, path, reader.size, (position, length) => reader.read(position, length));
  return new h5wasm.File(path, 'r');
}

describe('HDF5 manifests', () => {
  it.each(NWB.map((bytes, i) => [i, bytes] as const))(
    'hold every byte the structure of NWB fixture %i needs: a walk from the manifest alone sees the whole file',
    async (_, bytes) => {
      const result = await buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) });
      if (result.status !== 'built') throw new Error(`not built: ${JSON.stringify(result)}`);
      const { manifest } = result;
      for (const [i, [start, length]] of manifest.ranges.entries()) {
        const offset = manifest.ranges.slice(0, i).reduce((n, [, l]) => n + l, 0);
        expect(manifest.bytes.subarray(offset, offset + length)).toEqual(bytes.subarray(start, start + length));
      }
      const offline = new BlockReader({
        size: bytes.length,
        etag: 'x',
        manifest,
        transport: (start, end) => {
          throw new Error(`the walk needed bytes ${start}-${end}, which the manifest does not hold`);
        },
      });
      const fromManifest = await openThrough(offline);
      const fromFile = await openThrough(
        new BlockReader({ size: bytes.length, etag: 'x', transport: (start, end) => ({ bytes: bytes.slice(start, end + 1), etag: null }) }),
      );
      try {
        expect(structure(fromManifest)).toEqual(structure(fromFile));
      } finally {
        fromManifest.close();
        fromFile.close();
      }
      expect(offline.stats.requests).toBe(0);
    },
  );

  it('reads the structure of a 1 GB-style recording without its chunks: the manifest stays small', async () => {
    const [bytes] = NWB;
    const fetched: [number, number][] = [];
    const result = await buildHdf5Manifest(bytes!.length, { fetchRange: fetchFrom(bytes!, fetched) }, { limits: { maxRead: 16 * 1024 } });
    if (result.status !== 'built') throw new Error(`not built: ${JSON.stringify(result)}`);
    // The fixture's data chunks are the reads over 16 KiB here: none may be in the manifest.
    const unlimited = await buildHdf5Manifest(bytes!.length, { fetchRange: fetchFrom(bytes!) });
    if (unlimited.status !== 'built') throw new Error('not built');
    expect(result.manifest.bytes.length).toBeLessThan(unlimited.manifest.bytes.length);
    expect(result.fetches).toBe(fetched.length);
  });

  it("holds a recording's chunk index: a view anywhere in it reads its chunk and nothing else", async () => {
    // 400 chunks of 10,000 rows × 4 channels (80 KB each, over the 64 KiB a manifest read may be): HDF5's
    // B-tree of them has several leaves, which a view in the middle would otherwise fetch first.
    const rows = 4_000_000;
    const bytes = new Uint8Array(
      await h5FileBytes((file) => {
        file.create_dataset({ name: 'data', data: new Int16Array(rows * 4), shape: [rows, 4], chunks: [10_000, 4] });
      }),
    );
    const result = await buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) });
    if (result.status !== 'built') throw new Error(`not built: ${JSON.stringify(result)}`);
    expect(result.manifest.bytes.length).toBeLessThan(64 * 1024);
    const log: [number, number][] = [];
    const reader = new BlockReader({
      size: bytes.length,
      etag: 'x',
      transport: (start, end) => {
        log.push([start, end]);
        return { bytes: bytes.slice(start, end + 1), etag: null };
      },
      manifest: result.manifest,
      readAheadBlocks: 0,
      largeReadBytes: Number.POSITIVE_INFINITY,
    });
    const file = await openThrough(reader);
    const data = file.get('data') as Dataset;
    for (const row of [1_234_567, 2_000_000, 3_999_999, 555_555]) {
      const before = log.length;
      data.slice([
        [row, row + 1],
        [0, 4],
      ]);
      // One request: the chunk's own bytes (its 80 KB in 64 KiB blocks), no index node first.
      expect(log.length - before, `row ${row}`).toBe(1);
      const [start, end] = log.at(-1)!;
      expect(end - start + 1).toBeLessThanOrEqual(3 * 64 * 1024);
    }
    file.close();
  });

  it('probes the chunk index without keeping chunks: chunks smaller than a manifest read stay out of it', async () => {
    // Chunks of 5,000 rows × 4 channels, 40 KB: under the 64 KiB a structure read may be, over an index node.
    const rows = 2_000_000;
    const bytes = new Uint8Array(
      await h5FileBytes((file) => {
        file.create_dataset({ name: 'data', data: Int16Array.from({ length: rows * 4 }, (_, i) => i % 251), shape: [rows, 4], chunks: [5_000, 4] });
      }),
    );
    const result = await buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) });
    if (result.status !== 'built') throw new Error(`not built: ${JSON.stringify(result)}`);
    // The first element's chunk is the walk's own (as before), the 63 probes' chunks are not: about 2.5 MB.
    expect(result.manifest.bytes.length).toBeLessThan(150 * 1024);
  });

  it('records the structure of a dataset whose filter h5wasm lacks: only its data read fails', async () => {
    const bytes = new Uint8Array(await unsupportedFilterFile());
    const result = await buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) });
    expect(result.status).toBe('built');
  });

  it('tells a file that is not HDF5 from one HDF5 cannot walk, and passes S3 errors on unchanged', async () => {
    const text = new TextEncoder().encode('channel,time\n'.repeat(10_000));
    expect(await buildHdf5Manifest(text.length, { fetchRange: fetchFrom(text) })).toEqual({ status: 'not_hdf5' });
    expect(await buildHdf5Manifest(3, { fetchRange: fetchFrom(text) })).toEqual({ status: 'not_hdf5' });

    // The signature and superblock, then nothing: the root group's header points into zeros.
    const [bytes] = NWB;
    const broken = new Uint8Array(bytes!.length);
    broken.set(bytes!.subarray(0, 96));
    const result = await buildHdf5Manifest(broken.length, { fetchRange: fetchFrom(broken) });
    expect(result.status).toBe('unreadable');
    expect(result.status === 'unreadable' && result.error).toMatch(/HDF5|open/);

    const refused = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    await expect(buildHdf5Manifest(bytes!.length, { fetchRange: () => Promise.reject(refused) })).rejects.toBe(refused);
  });

  it('runs builds in worker threads, retiring each after its share, with the same results', async () => {
    const pool = new ManifestPool({ buildsPerWorker: 1 });
    try {
      const results = await Promise.all([...NWB, ...NWB].map((bytes) => pool.build(bytes.length, { read: fetchFrom(bytes) })));
      const direct = await Promise.all(NWB.map((bytes) => buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) })));
      expect(results.map((r) => r.status === 'built' && r.manifest.ranges)).toEqual(
        [...direct, ...direct].map((r) => r.status === 'built' && r.manifest.ranges),
      );
      const refused = new Error('SlowDown');
      await expect(pool.build(NWB[0]!.length, { read: () => Promise.reject(refused) })).rejects.toBe(refused);
    } finally {
      await pool.close();
    }
  });

  it('records a file whose build runs out of time as unreadable; the builds beside it restart and finish', async () => {
    const pool = new ManifestPool({ fileTimeLimitMs: 1500 });
    try {
      const [bytes] = NWB;
      // After its first blocks, this file's reads never answer, as a loop that never ends would not.
      let reads = 0;
      const stalled = (start: number, end: number) => (reads++ < 2 ? fetchFrom(bytes!)(start, end) : new Promise<Uint8Array>(() => {}));
      // The other file's first read is slow: it is still running when the first deadline passes.
      const healthyReads: [number, number][] = [];
      const slowFirst = async (start: number, end: number) => {
        healthyReads.push([start, end]);
        if (healthyReads.length === 1) await new Promise((resolve) => setTimeout(resolve, 2500));
        return fetchFrom(bytes!)(start, end);
      };
      const [hung, healthy] = await Promise.all([pool.build(bytes!.length, { read: stalled }), pool.build(bytes!.length, { read: slowFirst })]);
      expect(hung).toEqual({ status: 'unreadable', error: 'its structure took HDF5 over 1.5 s to walk; the walk was stopped' });
      // Started again in a new worker: its first block was asked for twice.
      expect(healthyReads.filter(([start]) => start === 0)).toHaveLength(2);
      const direct = await buildHdf5Manifest(bytes!.length, { fetchRange: fetchFrom(bytes!) });
      expect(healthy.status === 'built' && healthy.manifest.ranges).toEqual(direct.status === 'built' && direct.manifest.ranges);
    } finally {
      await pool.close();
    }
  });
});

describe('blockRuns', () => {
  it('turns the blocks a call ran into, in any order, into sorted runs of bounded length', () => {
    expect(blockRuns([7, 3, 4, 5, 100, 2, 4])).toEqual([
      [2, 5],
      [7, 7],
      [100, 100],
    ]);
    // A read near the end and one near the start are two ranges, never one spanning the file or inverted.
    expect(blockRuns([16_000_000, 0])).toEqual([
      [0, 0],
      [16_000_000, 16_000_000],
    ]);
    expect(
      blockRuns(
        Array.from({ length: 40 }, (_, i) => i),
        16,
      ),
    ).toEqual([
      [0, 15],
      [16, 31],
      [32, 39],
    ]);
    expect(blockRuns([])).toEqual([]);
  });
});
