import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm';
import pLimit from 'p-limit';
import type { Hdf5Summary } from '../contracts/hdf5-summary';
import { createLazyFile, type EmscriptenFs } from '../hdf5/emscripten-file';
import { ManifestBytes, packManifest, type Manifest } from '../hdf5/manifest';
import { HEAD_BYTES, hasHdf5Signature } from '../hdf5/signature';
import { hasPreviewContent, PREVIEW_LIMITS, readPreview, type PreviewData } from './hdf5-preview';
import { summarizeHdf5, type WalkedObject, type WalkedValue } from './hdf5-summary';

/**
 * Builds an HDF5 file's manifest (see hdf5/manifest.ts) by doing what the viewer will do: h5wasm
 * opens the file, walks every group, reads every attribute, every small dataset, and one element of each
 * large one (which reads its chunk index; the chunk itself is refused). h5wasm reads synchronously and S3
 * does not, so each h5wasm call runs over the bytes fetched so far: a read outside them fails with EIO, the
 * missing blocks are fetched, and the call is tried again. A second walk from a fresh open, which the
 * fetched bytes serve whole, records exactly what the manifest must hold, and what each object is, for the
 * file's summary (hdf5-summary.ts). A file whose manifest is stored already is walked over it alone, with
 * no read from S3, for its summary.
 */

/** Fetches bytes [start, end] (inclusive). */
export type FetchRange = (start: number, end: number) => Promise<Uint8Array>;

/** What the preview phase read (hdf5-preview.ts) and what it cost, or why the file has no preview. */
export type PreviewOutcome = { status: 'read'; data: PreviewData; fetches: number; fetchedBytes: number } | { status: 'skipped'; reason: string };

export type ManifestResult =
  | { status: 'built'; manifest: Manifest; summary: Hdf5Summary; fetches: number; fetchedBytes: number; preview?: PreviewOutcome }
  | { status: 'not_hdf5' }
  | { status: 'unreadable'; error: string };

/**
 * Where the walk's bytes come from: S3, or a manifest stored before (no read leaves it for the structure;
 * a preview's data comes from `fetchRange` when there is one).
 */
export type WalkSource = { fetchRange: FetchRange } | { stored: Manifest; fetchRange?: FetchRange };

export interface ManifestLimits {
  /** Reads longer than this are data (a compressed chunk, a large contiguous dataset), never part of a manifest. */
  maxRead: number;
  /** Datasets up to this many bytes are read whole: NWB keeps start times, rates and table columns in them. */
  smallDataset: number;
  /** A file whose structure is larger gets no manifest; the viewer reads it over the network as before. */
  maxManifest: number;
  /** Round trips before giving up on a file whose structure is scattered everywhere. */
  maxFetches: number;
  /** Bytes fetched from S3 before giving up (a 1 GB recording's structure takes about 1 MB). */
  maxFetchedBytes: number;
}

const DEFAULT_LIMITS: ManifestLimits = {
  maxRead: 64 * 1024,
  smallDataset: 64 * 1024,
  maxManifest: 4 * 1024 * 1024,
  maxFetches: 200,
  maxFetchedBytes: 32 * 1024 * 1024,
};

export interface ManifestBuildOptions {
  limits?: Partial<ManifestLimits>;
  /** Told when each synchronous h5wasm call starts (true) and ends (false): the pool's watchdog reads it. */
  onCall?: (running: boolean) => void;
  /** Also read what the file's preview draws, once its summary says what the file holds. */
  preview?: boolean;
}

const BLOCK = HEAD_BYTES;
// Blocks one range request asks for at most; a call that ran into more is answered by several.
const MAX_BLOCKS_PER_FETCH = 16;
// A preview reads whole chunks of data, often megabytes: fewer, longer requests.
const MAX_PREVIEW_BLOCKS_PER_FETCH = 128;
// The end of a file holds what HDF5 writes last (often the root group's metadata): fetched with the start.
const TAIL = 256 * 1024;
const EIO = 29;

interface Emscripten {
  FS: EmscriptenFs & {
    unlink(path: string): void;
    ErrnoError: new (errno: number) => Error;
  };
  activate_throwing_error_handler(): number;
}

let module: Promise<Emscripten> | undefined;

function h5(): Promise<Emscripten> {
  module ??= h5wasm.ready.then((m) => {
    const emscripten = m as unknown as Emscripten;
    // HDF5's default handler prints its error stack to stderr, which is the crawler's JSON log.
    emscripten.activate_throwing_error_handler();
    return emscripten;
  });
  return module;
}

// Previews read megabytes of data each, held until drawn: four at a time per worker bound that memory
// (4 × PREVIEW_LIMITS.maxFetchedBytes) whatever the crawl's concurrency; the structure walks go on beside them.
// A file waiting here waits within its time limit (manifest-pool.ts), which is far longer than four previews take.
const previewSlots = pLimit(4);

class GaveUp extends Error {}
class PreviewTooCostly extends Error {}

/** An S3 read that failed: the caller's error, passed on unchanged, since it is no fault of the file. */
class FetchFailed extends Error {
  constructor(readonly original: unknown) {
    super('fetch failed');
  }
}

let files = 0;

/**
 * The blocks a call ran into as sorted runs of consecutive blocks, none longer than `maxBlocks`: whatever
 * order and spread HDF5 read them in, no range is inverted and none is longer than it needs to be.
 */
export function blockRuns(blocks: Iterable<number>, maxBlocks = MAX_BLOCKS_PER_FETCH): [first: number, last: number][] {
  const runs: [number, number][] = [];
  for (const b of [...new Set(blocks)].sort((x, y) => x - y)) {
    const run = runs.at(-1);
    if (run && b === run[1] + 1 && b - run[0] < maxBlocks) run[1] = b;
    else runs.push([b, b]);
  }
  return runs;
}

// What a walked object keeps of a value: short strings and numbers, and short lists of them.
const MAX_KEPT_CHARS = 2000;
const MAX_KEPT_ITEMS = 100;
const MAX_WALKED_OBJECTS = 20_000;

function kept(value: unknown): WalkedValue | undefined {
  if (typeof value === 'string') return value.length <= MAX_KEPT_CHARS ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return kept(Array.from(value as unknown as ArrayLike<number | bigint>));
  if (Array.isArray(value) && value.length <= MAX_KEPT_ITEMS) {
    const items = value.map(kept);
    return items.every((item) => item !== undefined) ? (items as WalkedValue[]) : undefined;
  }
  return undefined;
}

/** An object's attributes as kept values; h5wasm reads each when asked, so this runs inside a step. */
function keptAttrs(entity: Group | Dataset): Record<string, WalkedValue> {
  const out: Record<string, WalkedValue> = {};
  for (const attr of Object.values(entity.attrs)) {
    const value = kept(attr.json_value);
    if (value !== undefined) out[attr.name] = value;
  }
  return out;
}

export async function buildHdf5Manifest(size: number, source: WalkSource, options: ManifestBuildOptions = {}): Promise<ManifestResult> {
  const { maxRead, smallDataset, maxManifest, maxFetches, maxFetchedBytes } = { ...DEFAULT_LIMITS, ...options.limits };
  if (size < 8) return { status: 'not_hdf5' }; // shorter than HDF5's signature
  const { FS } = await h5();
  const storedManifest = 'stored' in source ? source.stored : undefined;
  const stored = storedManifest && new ManifestBytes(storedManifest);
  const fetchRange: FetchRange = source.fetchRange ?? (() => Promise.reject(new Error('a stored manifest is not read past')));

  const blocks = new Map<number, Uint8Array>();
  let fetches = 0;
  let fetchedBytes = 0;
  // While reading a preview (after the structure), reads of any length are served, within its own budget.
  let previewing = false;
  const previewCost = { fetches: 0, fetchedBytes: 0 };
  const fetchBlocks = async (first: number, last: number) => {
    const start = first * BLOCK;
    const end = Math.min(size, (last + 1) * BLOCK) - 1;
    if (previewing) {
      // Counted when asked, not when answered: a call's fetches run at once, and together they must fit.
      if (previewCost.fetchedBytes + (end - start + 1) > PREVIEW_LIMITS.maxFetchedBytes)
        throw new PreviewTooCostly(`its data needs more than ${PREVIEW_LIMITS.maxFetchedBytes / 2 ** 20} MB from S3`);
      previewCost.fetches++;
      previewCost.fetchedBytes += end - start + 1;
    } else {
      if (++fetches > maxFetches) throw new GaveUp(`its structure needed more than ${maxFetches} round trips`);
      if (fetchedBytes > maxFetchedBytes) throw new GaveUp(`its structure needed more than ${maxFetchedBytes} bytes`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await fetchRange(start, end);
    } catch (error) {
      throw new FetchFailed(error);
    }
    if (bytes.length !== end - start + 1)
      throw new FetchFailed(new Error(`asked S3 for ${end - start + 1} bytes at ${start}, received ${bytes.length}`));
    if (!previewing) fetchedBytes += bytes.length;
    for (let b = first; b <= last; b++) blocks.set(b, bytes.subarray((b - first) * BLOCK, (b - first + 1) * BLOCK));
  };
  const bytesAt = (position: number, length: number) => {
    const out = new Uint8Array(length);
    for (let b = Math.floor(position / BLOCK); b * BLOCK < position + length; b++) {
      const from = Math.max(position, b * BLOCK);
      const to = Math.min(position + length, (b + 1) * BLOCK);
      out.set(blocks.get(b)!.subarray(from - b * BLOCK, to - b * BLOCK), from - position);
    }
    return out;
  };

  // The blocks the file's reads ran into during the current h5wasm call (HDF5 goes on after some failed
  // reads, so there may be several, anywhere in the file), and every read served.
  const missing = new Set<number>();
  let refused = false;
  // While probing a chunk index (probeChunkIndex), only index-sized reads are served.
  let probing = false;
  let reads: [number, number][] = [];
  const read = (position: number, n: number) => {
    if (stored && !previewing) {
      // Over a stored manifest, what it does not hold is data the walk never needed: refused like it.
      const bytes = stored.get(position, n);
      if (bytes) return bytes;
      refused = true;
      throw new FS.ErrnoError(EIO);
    }
    const fromStored = stored?.get(position, n);
    if (fromStored) return fromStored;
    if (!previewing && n > (probing ? PROBE_MAX_READ : maxRead)) {
      refused = true;
      throw new FS.ErrnoError(EIO);
    }
    let complete = true;
    for (let b = Math.floor(position / BLOCK); b * BLOCK < position + n; b++) {
      if (blocks.has(b)) continue;
      missing.add(b);
      complete = false;
    }
    if (!complete) throw new FS.ErrnoError(EIO);
    reads.push([position, n]);
    return bytesAt(position, n);
  };

  /** Runs one h5wasm call until its bytes are all here; a refused (data) read makes it return undefined. */
  const step = async <T>(call: () => T): Promise<T | undefined> => {
    for (;;) {
      missing.clear();
      refused = false;
      let result: T | undefined;
      let failure: unknown;
      options.onCall?.(true);
      try {
        result = call();
      } catch (error) {
        failure = error;
      } finally {
        options.onCall?.(false);
      }
      // Checked even after a success: HDF5 recovers from some failed reads by itself, with less than it needed.
      if (missing.size > 0) {
        const runs = blockRuns(missing, previewing ? MAX_PREVIEW_BLOCKS_PER_FETCH : MAX_BLOCKS_PER_FETCH);
        await Promise.all(runs.map((run) => fetchBlocks(...run)));
        continue;
      }
      if (failure === undefined) return result;
      if (refused) return undefined;
      throw failure;
    }
  };

  // A new name per open: HDF5 keeps a file open after close while objects leaked by a failed h5wasm call are
  // open, and a second open of the same name would be answered from that file's caches instead of its bytes.
  const paths: string[] = [];
  const open = async () => {
    const path = `/manifest-${files++}.h5`;
    createLazyFile(FS, path, size, read);
    paths.push(path);
    const file = await step(() => new h5wasm.File(path, 'r'));
    if (!file) throw new Error('the file could not be opened');
    return file;
  };

  /** A step whose failure leaves the walk going: its structure was read before HDF5 gave up on its value. */
  const tolerant = async <T>(call: () => T): Promise<T | undefined> => {
    try {
      return await step(call);
    } catch (error) {
      if (error instanceof FetchFailed || error instanceof GaveUp) throw error;
      return undefined;
    }
  };

  // What the walk saw of each object, for the summary: kept by the last walk only.
  let objects: WalkedObject[] | undefined;
  const record = (object: WalkedObject) => {
    if (objects && objects.length < MAX_WALKED_OBJECTS) objects.push(object);
  };

  // Links can make a cycle; a real file is neither this deep nor this large.
  let visited = 0;
  const visit = async (group: Group, depth = 0): Promise<void> => {
    if (depth > 32 || ++visited > 100_000) throw new GaveUp('its groups nest deeper than 32 or hold over 100,000 objects (a link cycle?)');
    // An attribute of a type h5wasm cannot convert, or data behind a filter it lacks, fails only its own step.
    record({ path: group.path, kind: 'group', attrs: (await tolerant(() => keptAttrs(group))) ?? {} });
    for (const name of (await step(() => group.keys())) ?? []) {
      const child = await step(() => group.get(name));
      if (child instanceof Group) await visit(child, depth + 1);
      if (!(child instanceof Dataset)) continue;
      const attrs = (await tolerant(() => keptAttrs(child))) ?? {};
      const shape = (await step(() => child.shape)) ?? [];
      const elements = shape.reduce((n, d) => n * d, 1);
      const bytes = elements * child.metadata.size;
      const value = await tolerant(() => (bytes <= smallDataset ? child.value : child.slice(shape.map(() => [0, 1]))));
      // A recording's chunk index, so a view anywhere in it finds its chunks' addresses in the manifest.
      if (shape.length >= 2 && bytes > smallDataset && child.metadata.chunks) {
        probing = true;
        try {
          await tolerant(() => probeChunkIndex(child, shape));
        } finally {
          probing = false;
        }
      }
      // A long one-dimensional series of times: its last element too, for how long it lasts.
      const last =
        shape.length === 1 && elements > 1 && bytes > smallDataset ? await tolerant(() => child.slice([[elements - 1, elements]])) : undefined;
      record({
        path: child.path,
        kind: 'dataset',
        attrs,
        shape: await tolerant(() => child.shape),
        dtype: typeof child.dtype === 'string' ? child.dtype : JSON.stringify(child.dtype),
        elementSize: child.metadata.size,
        filters: (await tolerant(() => child.filters.map((f) => ({ id: f.id, name: f.name })))) ?? [],
        value: bytes <= smallDataset ? kept(value) : undefined,
        ends:
          last !== undefined
            ? ([kept(value) ?? null, kept(last) ?? null].map((v) => (Array.isArray(v) ? (v[0] ?? null) : v)) as [WalkedValue, WalkedValue])
            : undefined,
      });
    }
  };
  const walk = async (file: H5File) => {
    try {
      await visit(file);
    } finally {
      file.close();
    }
  };

  /** Reads what the preview draws over a fresh open; a file whose data is out of reach has a reason instead. */
  const preview = async (summary: Hdf5Summary): Promise<PreviewOutcome | undefined> => {
    if (!options.preview) return undefined;
    if (!hasPreviewContent(summary)) return { status: 'skipped', reason: 'it holds no time series and no units' };
    return previewSlots(() => readPreviewData(summary));
  };
  const readPreviewData = async (summary: Hdf5Summary): Promise<PreviewOutcome> => {
    previewing = true;
    try {
      const file = await open();
      try {
        const data = await readPreview(file, summary, step);
        if (!data.traces && !data.units) return { status: 'skipped', reason: data.notes.join('; ') };
        return { status: 'read', data, ...previewCost };
      } finally {
        file.close();
      }
    } catch (error) {
      if (error instanceof FetchFailed) throw error;
      return { status: 'skipped', reason: error instanceof PreviewTooCostly ? error.message : describeHdf5Error(error) };
    } finally {
      previewing = false;
    }
  };

  try {
    if (storedManifest) {
      objects = [];
      await walk(await open());
      const summary = summarizeHdf5(objects, walkedProblems(objects));
      return { status: 'built', manifest: storedManifest, summary, fetches, fetchedBytes, preview: await preview(summary) };
    }
    const lastBlock = Math.floor((size - 1) / BLOCK);
    await Promise.all([fetchBlocks(0, 0), lastBlock > 0 ? fetchBlocks(Math.max(1, Math.floor((size - TAIL) / BLOCK)), lastBlock) : undefined]);
    if (!hasHdf5Signature(bytesAt(0, Math.min(size, BLOCK)))) return { status: 'not_hdf5' };
    await walk(await open());
    reads = [];
    objects = [];
    await walk(await open());
    const manifest = packManifest(reads, bytesAt);
    if (manifest.bytes.length > maxManifest) throw new GaveUp(`its structure is ${manifest.bytes.length} bytes, over the ${maxManifest} kept`);
    const summary = summarizeHdf5(objects, walkedProblems(objects));
    return { status: 'built', manifest, summary, fetches, fetchedBytes, preview: await preview(summary) };
  } catch (error) {
    if (error instanceof FetchFailed) throw error.original;
    return { status: 'unreadable', error: describeHdf5Error(error) };
  } finally {
    for (const path of paths) FS.unlink(path);
  }
}

/**
 * Rows of a recording whose first element the walk reads: evenly spaced, each one walks HDF5's chunk index
 * (a B-tree, or the newer array indexes) down to that stretch's chunk, whose data is then refused. Each read
 * goes on after a miss, so one round of fetches brings every node of a level. Bounded: a recording hours
 * long has more index nodes than this, and the views between probes read the node they lack.
 */
const CHUNK_INDEX_PROBES = 64;
/**
 * The longest read served while probing: an index node (a v1 B-tree node of a 2-D dataset is about 2.6 KB).
 * A chunk small enough to pass is data the probe did not want; at most 63 of them, 1 MB, under maxManifest.
 */
const PROBE_MAX_READ = 16 * 1024;

function probeChunkIndex(dataset: Dataset, shape: number[]): void {
  const rows = shape[0]!;
  const chunkRows = dataset.metadata.chunks?.[0] ?? rows;
  const probes = Math.min(CHUNK_INDEX_PROBES, Math.ceil(rows / chunkRows));
  for (let p = 1; p < probes; p++) {
    const row = Math.floor((p * rows) / probes);
    try {
      dataset.slice([[row, row + 1], ...shape.slice(1).map((): [number, number] => [0, 1])]);
    } catch {
      // The chunk's data is refused, or a node was missing: the step fetches what was missed and runs again.
    }
  }
}

function walkedProblems(objects: WalkedObject[]): string[] {
  return objects.length >= MAX_WALKED_OBJECTS
    ? [`only the first ${MAX_WALKED_OBJECTS.toLocaleString('en-US')} objects of the file are summarised`]
    : [];
}

/**
 * h5wasm throws HDF5's whole error stack, outermost call first; the innermost says what was wrong with
 * the file (`truncated file: eof = 319488, …`), without the library's source paths.
 */
function describeHdf5Error(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/#\d+: .* in (\w+)\(\): (.+)$/gm)];
  const innermost = frames.at(-1);
  if (innermost) return `${innermost[2]!.trim()} (HDF5 ${innermost[1]})`.slice(0, 500);
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(0, 3)
      .join(' ')
      .slice(0, 500) || 'HDF5 could not read the file'
  );
}
