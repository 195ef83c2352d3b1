/**
 * Messages between the page and the HDF5 worker (viewer/workers/h5-worker.ts). The worker owns the file:
 * it asks /api/files/<uuid> for the presigned URL, size and ETag, reads lazily through a BlockReader, and
 * answers these requests. Values travel as typed arrays (transferred, not copied).
 */

export type DimSelection = number | { start: number; stop: number };

export type WorkerRequest =
  | { op: 'open'; fileUuid: string }
  | { op: 'entity'; path: string }
  | { op: 'read'; path: string; selection?: DimSelection[] }
  | { op: 'attrs'; path: string }
  | { op: 'stats' };

export type ErrorKind = 'not-found' | 'not-hdf5' | 'filter' | 'too-large' | 'changed' | 's3' | 'bad-request' | 'other';

export type WorkerResponse<T = unknown> = { id: number; ok: true; result: T } | { id: number; ok: false; kind: ErrorKind; message: string };

/** Sent unasked when the file in the bucket is found to differ from the indexed one (see h5-worker.ts). */
export type WorkerEvent = { event: 'stale'; kind: ErrorKind; message: string };

export type DtypeInfo = {
  /** h5wasm's dtype string, e.g. '<h', '<f8', 'S', or a compound/enum description. */
  dtype: string;
  class: 'integer' | 'float' | 'string' | 'compound' | 'enum' | 'reference' | 'array' | 'other';
  size: number;
  signed: boolean;
  littleEndian: boolean;
};

export interface EntityInfo {
  path: string;
  name: string;
  kind: 'group' | 'dataset' | 'datatype' | 'other';
  /** Groups: their members, sorted by name. */
  children?: { name: string; kind: EntityInfo['kind'] }[];
  /** Datasets: shape (null for a null dataspace, [] for a scalar), type, chunk shape and filters. */
  shape?: number[] | null;
  type?: DtypeInfo;
  chunks?: number[] | null;
  filters?: { id: number; name: string }[];
  attributes: { name: string; shape: number[] | null; type: DtypeInfo }[];
}

export interface ReadResult {
  shape: number[];
  type: DtypeInfo;
  /** Numbers as a typed array; strings and other values as a plain array. */
  values: ArrayLike<number> | unknown[];
}

export interface ReaderStats {
  requests: number;
  bytes: number;
}

/** The largest selection the worker reads at once: a few times what any view draws, far below wasm's heap. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;
