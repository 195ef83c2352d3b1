import h5wasm, { Dataset, Datatype, File as H5File, Group, type Attribute } from 'h5wasm';
import { BlockReader, FileChangedError, ReadTooLargeError } from '../../hdf5/block-reader';
import { createLazyFile, type EmscriptenFs } from '../../hdf5/emscripten-file';
import { DECODABLE_FILTERS } from '../../hdf5/filters';
import { isHdf5Signature, signatureOffsets } from '../../hdf5/signature';
import { filesApiAnswer, type FileInfo, type FilesApiAnswer } from '../../contracts/files-api';
import { firstIssue } from '../../contracts/issues';
import { planRead } from '../selection';
import { expose, transfer } from 'comlink';
import {
  MAX_READ_BYTES,
  VIEWER_ERROR,
  type DimSelection,
  type DtypeInfo,
  type EntityInfo,
  type Envelope,
  type ErrorKind,
  type H5WorkerApi,
  type ReadProgress,
  type ReadResult,
} from '../protocol';

/**
 * The viewer's HDF5 worker: one file per worker, opened by h5wasm on an Emscripten file whose reads go
 * through a BlockReader to the presigned URL from /api/files/<uuid>, starting from the file's manifest
 * (its structure's bytes, recorded by the crawler) when there is one. HDF5 reads synchronously, so the
 * transport is a synchronous XMLHttpRequest, which browsers allow only in workers.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

class ViewerFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

// A view served whole by the manifest never meets S3, so nothing would notice the file changed or went away:
// if no read has reached S3 this long after opening, one is made to check.
const VERIFY_AFTER_MS = 2000;
// A presigned URL is replaced this long before it expires, so no read starts on a URL about to die.
const REFRESH_MARGIN_MS = 2 * 60 * 1000;

let opened: { info: FileInfo; file: H5File; reader: BlockReader } | undefined;
/** Told of each fetch from S3 while a read that asked for progress runs. */
let onFetched: ((bytes: number) => void) | undefined;

/** Which of the file's readers this worker is (contracts/files-api.ts, FILE_READERS): its URL is its own. */
let readerNumber = 0;

function filesApi(uuid: string, withManifest = false): FilesApiAnswer {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ ...(withManifest ? { manifest: '1' } : {}), ...(readerNumber ? { reader: String(readerNumber) } : {}) });
  xhr.open('GET', `/api/files/${encodeURIComponent(uuid)}${query.size ? `?${query}` : ''}`, false);
  xhr.send();
  if (xhr.status === 404 || xhr.status === 400) throw new ViewerFailure('not-found', messageOf(xhr) ?? 'no such file in the index');
  if (xhr.status !== 200) throw new ViewerFailure('s3', messageOf(xhr) ?? `the app answered ${xhr.status}`);
  // Checked, not cast: a proxy's page or an older server's answer is named as such, not misread.
  const parsed = filesApiAnswer.safeParse(JSON.parse(xhr.responseText));
  if (!parsed.success)
    throw new ViewerFailure(
      'other',
      `the app's answer about the file is not one this viewer reads (${firstIssue(parsed.error, { fallback: 'answer' })})`,
    );
  return parsed.data;
}

function messageOf(xhr: XMLHttpRequest): string | undefined {
  try {
    return (JSON.parse(xhr.responseText) as { error?: { message?: string } }).error?.message;
  } catch {
    return undefined;
  }
}

/** A synchronous Range GET of the presigned URL, refreshing the URL before it expires, and once on a 403 or an unreadable answer. */
function rangeTransport(uuid: string, first: FilesApiAnswer) {
  let url = first.url;
  let expiresAt = Date.parse(first.expiresAt);
  const refresh = () => {
    const fresh = filesApi(uuid);
    // A crawl since the file was opened recorded another version: the cached blocks belong to the old one.
    if (fresh.etag !== first.etag) throw new FileChangedError('the file changed in the bucket since it was opened; reload the page');
    url = fresh.url;
    expiresAt = Date.parse(fresh.expiresAt);
  };
  /** The response, or null when the browser got none it may read (network error or no CORS headers). */
  const get = (start: number, end: number): XMLHttpRequest | null => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.responseType = 'arraybuffer';
    xhr.setRequestHeader('Range', `bytes=${start}-${end}`);
    try {
      xhr.send();
    } catch {
      return null;
    }
    return xhr;
  };
  return (start: number, end: number) => {
    if (Date.now() > expiresAt - REFRESH_MARGIN_MS) refresh();
    let xhr = get(start, end);
    // Some S3 servers (radosgw) send a refusal of an expired or bad signature without CORS headers, which a
    // browser reports as a network error: both get one fresh URL.
    if (xhr === null || xhr.status === 403) {
      refresh();
      xhr = get(start, end);
    }
    if (xhr === null) {
      throw new ViewerFailure(
        's3',
        'S3 did not answer the read: the bucket is unreachable, lacks the CORS rule, or refused the URL without CORS headers',
      );
    }
    if (xhr.status === 404) throw new ViewerFailure('not-found', 'the file is no longer in the bucket');
    if (xhr.status === 412) throw new FileChangedError('the file changed in the bucket since it was indexed');
    if (xhr.status !== 206 && xhr.status !== 200) throw new ViewerFailure('s3', `S3 refused the read (HTTP ${xhr.status})`);
    return { bytes: new Uint8Array(xhr.response as ArrayBuffer), etag: xhr.getResponseHeader('ETag') };
  };
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function open(fileUuid: string, onStale: (kind: ErrorKind, message: string) => void, readerOfFile: number): Promise<FileInfo> {
  const { FS } = await h5wasm.ready;
  readerNumber = readerOfFile;
  const answer = filesApi(fileUuid, true);
  const manifest = answer.manifest ? { ranges: answer.manifest.ranges, bytes: fromBase64(answer.manifest.bytes) } : undefined;
  const transport = rangeTransport(fileUuid, answer);
  const reader = new BlockReader({
    size: answer.size,
    etag: answer.etag,
    transport: (start, end) => {
      const fetched = transport(start, end);
      onFetched?.(fetched.bytes.length);
      return fetched;
    },
    maxReadBytes: MAX_READ_BYTES,
    manifest,
  });
  // Eight bytes at each possible place rather than the first block: the manifest holds those, not the block.
  const isHdf5 = signatureOffsets(reader.size).some((at) => isHdf5Signature(reader.read(at, 8)));
  if (!isHdf5) throw new ViewerFailure('not-hdf5', `${answer.key.split('/').at(-1)} is not an HDF5 file: it has no HDF5 signature`);
  const path = `/${fileUuid}.h5`;
  createLazyFile(FS as unknown as EmscriptenFs, path, answer.size, (position, length) => reader.read(position, length));
  const info: FileInfo = {
    uuid: answer.uuid,
    key: answer.key,
    size: answer.size,
    etag: answer.etag,
    contentType: answer.contentType,
    experiment: answer.experiment,
    summary: answer.summary ?? null,
  };
  opened = { info, file: new H5File(path, 'r'), reader };
  if (manifest) setTimeout(verify, VERIFY_AFTER_MS, reader, onStale);
  return info;
}

function verify(reader: BlockReader, onStale: (kind: ErrorKind, message: string) => void): void {
  if (reader.stats.requests > 0) return;
  try {
    reader.verify();
  } catch (error) {
    const { kind, message } = failure(error);
    onStale(kind, message);
  }
}

function current() {
  if (!opened) throw new ViewerFailure('bad-request', 'no file is open');
  return opened;
}

const CLASSES: Record<number, DtypeInfo['class']> = { 0: 'integer', 1: 'float', 3: 'string', 6: 'compound', 7: 'reference', 8: 'enum', 10: 'array' };

function dtypeOf(object: {
  dtype: unknown;
  metadata: { type: number; size: number; signed: boolean; littleEndian: boolean; vlen: boolean };
}): DtypeInfo {
  const { metadata } = object;
  const dtype = typeof object.dtype === 'string' ? object.dtype : JSON.stringify(object.dtype);
  const kind = metadata.vlen && metadata.type === 3 ? 'string' : (CLASSES[metadata.type] ?? 'other');
  return { dtype, class: kind, size: metadata.size, signed: metadata.signed, littleEndian: metadata.littleEndian };
}

function kindOf(entity: unknown): EntityInfo['kind'] {
  if (entity instanceof Group) return 'group';
  if (entity instanceof Dataset) return 'dataset';
  if (entity instanceof Datatype) return 'datatype';
  return 'other';
}

function attributesOf(entity: Group | Dataset | Datatype): EntityInfo['attributes'] {
  return Object.values(entity.attrs).map((a: Attribute) => ({ name: a.name, shape: a.shape, type: dtypeOf(a) }));
}

function entity(path: string): EntityInfo {
  const { file } = current();
  const found = path === '/' ? file : file.get(path);
  if (!found) throw new ViewerFailure('not-found', `${path} is not in this file`);
  const name = path === '/' ? '/' : path.split('/').at(-1)!;
  const kind = kindOf(found);
  if (found instanceof Group) {
    const children = found
      .keys()
      .sort()
      .map((child) => ({ name: child, kind: kindOf(found.get(child)) }));
    return { path, name, kind, children, attributes: attributesOf(found) };
  }
  if (found instanceof Dataset) {
    return {
      path,
      name,
      kind,
      shape: found.shape,
      type: dtypeOf(found),
      chunks: found.metadata.chunks,
      filters: found.filters.map((f) => ({ id: f.id, name: f.name })),
      attributes: attributesOf(found),
    };
  }
  if (found instanceof Datatype) return { path, name, kind, attributes: attributesOf(found) };
  return { path, name, kind, attributes: [] };
}

function read(path: string, selection: DimSelection[] | undefined, onProgress?: (progress: ReadProgress) => void): ReadResult {
  const { file, info } = current();
  const dataset = file.get(path);
  if (!(dataset instanceof Dataset)) throw new ViewerFailure('bad-request', `${path} is not a dataset`);
  const undecodable = dataset.filters.find((f) => !DECODABLE_FILTERS.has(f.id));
  if (undecodable) {
    throw new ViewerFailure(
      'filter',
      `${path} is compressed with filter ${undecodable.id} (${undecodable.name || 'unnamed'}), which the browser cannot decode; read it with the lab's tools (for the Maxwell raw format, its own reader)`,
    );
  }
  const shape = dataset.shape ?? [];
  if (selection && selection.length !== shape.length)
    throw new ViewerFailure('bad-request', `${path} has ${shape.length} dimensions, the selection ${selection.length}`);
  const { ranges, shape: outShape, bytes } = planRead(shape, selection, dataset.metadata.size);
  if (bytes > MAX_READ_BYTES) {
    throw new ViewerFailure(
      'too-large',
      `that selection of ${path} is ${(bytes / 2 ** 20).toFixed(0)} MB, over the ${MAX_READ_BYTES / 2 ** 20} MB a view may read; choose a shorter time window or fewer channels`,
    );
  }
  if (onProgress) {
    const whole = shape.reduce((n, size) => n * size, 1) * dataset.metadata.size;
    // The file's compression as the dataset's: a recording is most of its file.
    const planned = Math.round(bytes * Math.min(1, info.size / Math.max(1, whole)));
    let fetched = 0;
    onFetched = (more) => {
      fetched += more;
      onProgress({ fetched, planned });
    };
  }
  try {
    const value = shape.length === 0 ? dataset.value : dataset.slice(ranges);
    return { shape: outShape, type: dtypeOf(dataset), values: asValues(value) };
  } finally {
    onFetched = undefined;
  }
}

function envelope(path: string, selection: [DimSelection, DimSelection], bins: number, { scattered }: { scattered: boolean }): Envelope {
  const { reader } = current();
  reader.readAhead = !scattered;
  let result: ReadResult;
  try {
    result = read(path, selection);
  } finally {
    reader.readAhead = true;
  }
  const { shape, values } = result;
  const [rows = 0, columns = 1] = shape.length === 2 ? shape : [shape[0] ?? 0, 1];
  const count = Math.max(1, Math.min(bins, rows));
  const min = new Float32Array(count * columns).fill(Infinity);
  const max = new Float32Array(count * columns).fill(-Infinity);
  const data = values as ArrayLike<number>;
  for (let r = 0; r < rows; r++) {
    const bin = Math.min(count - 1, Math.floor((r * count) / rows));
    for (let c = 0; c < columns; c++) {
      const v = data[r * columns + c]!;
      const at = bin * columns + c;
      if (v < min[at]!) min[at] = v;
      if (v > max[at]!) max[at] = v;
    }
  }
  return { min, max, bins: count, columns };
}

/** Typed arrays as numbers (64-bit integers as doubles: plots do not need their last bits), others as arrays. */
function asValues(value: unknown): ReadResult['values'] {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Float64Array.from(value, Number);
  if (ArrayBuffer.isView(value)) return value as unknown as ArrayLike<number>;
  if (Array.isArray(value)) return value;
  return [value];
}

function attrs(path: string): Record<string, unknown> {
  const { file } = current();
  const found = path === '/' ? file : file.get(path);
  if (!(found instanceof Group || found instanceof Dataset || found instanceof Datatype))
    throw new ViewerFailure('not-found', `${path} is not in this file`);
  return Object.fromEntries(Object.values(found.attrs).map((a: Attribute) => [a.name, a.json_value]));
}

function failure(error: unknown): { kind: ErrorKind; message: string } {
  if (error instanceof ViewerFailure) return { kind: error.kind, message: error.message };
  if (error instanceof FileChangedError) return { kind: 'changed', message: error.message };
  if (error instanceof ReadTooLargeError) return { kind: 'too-large', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: /filter/i.test(message) ? 'filter' : 'other', message };
}

// Calls run one at a time, in order: h5wasm is not reentrant, and open() awaits.
let queue: Promise<unknown> = Promise.resolve();
function inTurn<A extends unknown[], R>(call: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return (...args) => {
    const run = queue
      .then(() => call(...args))
      .catch((error: unknown) => {
        // comlink passes an error's name and message: the kind travels in the name (see viewer/client.ts).
        const { kind, message } = failure(error);
        throw Object.assign(new Error(message), { name: `${VIEWER_ERROR}${kind}` });
      });
    queue = run.catch(() => undefined);
    return run;
  };
}

const api: H5WorkerApi = {
  open: inTurn((fileUuid: string, onStale: (kind: ErrorKind, message: string) => void, reader = 0) => open(fileUuid, onStale, reader)),
  entity: inTurn(entity),
  read: inTurn((path: string, selection?: DimSelection[], onProgress?: (progress: ReadProgress) => void) => {
    const result = read(path, selection, onProgress);
    // A typed array that owns its whole buffer is moved, not copied (never a view into wasm memory).
    const values = result.values;
    const owned = ArrayBuffer.isView(values) && values.byteLength === values.buffer.byteLength;
    return owned ? transfer(result, [values.buffer as ArrayBuffer]) : result;
  }),
  envelope: inTurn((path: string, selection: [DimSelection, DimSelection], bins: number, options: { scattered: boolean }) => {
    const result = envelope(path, selection, bins, options);
    return transfer(result, [result.min.buffer as ArrayBuffer, result.max.buffer as ArrayBuffer]);
  }),
  attrs: inTurn(attrs),
  stats: inTurn(() => ({ ...current().reader.stats })),
};

expose(api, scope);
