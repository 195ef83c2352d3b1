/**
 * What the page and the HDF5 worker (viewer/workers/h5-worker.ts) exchange, besides the calls themselves
 * (comlink: the worker exposes an object, the page calls its methods). The worker owns the file: it asks
 * /api/files/<uuid> for where to read it, its size and ETag, reads lazily through a BlockReader, and answers.
 * Values travel as typed arrays (transferred, not copied).
 */

import type { FileInfo } from '../contracts/files-api';

export type DimSelection = number | { start: number; stop: number };

export type ErrorKind = 'not-found' | 'not-hdf5' | 'filter' | 'too-large' | 'changed' | 's3' | 'bad-request' | 'other';

/** Prefix of the name of an error the worker throws, followed by its kind: how the kind crosses comlink. */
export const VIEWER_ERROR = 'ViewerError:';

/** What the worker exposes; each call waits for the ones before it (h5wasm is not reentrant). */
export interface H5WorkerApi {
  /**
   * Opens the file; `onStale` is told if the file in the bucket turns out not to be the indexed one. `reader`
   * numbers a worker reading beside others (contracts/files-api.ts, FILE_READERS): 0 for the first.
   */
  open(fileUuid: string, onStale: (kind: ErrorKind, message: string) => void, reader?: number): Promise<FileInfo>;
  entity(path: string): Promise<EntityInfo>;
  /** `onProgress` hears the bytes fetched from S3 for this read so far, of an estimate of what it needs. */
  read(path: string, selection?: DimSelection[], onProgress?: (progress: ReadProgress) => void): Promise<ReadResult>;
  /**
   * A two-dimensional selection (time × channels) reduced in the worker to the lowest and highest value of
   * each of `bins` equal runs of its rows, per column: what an overview draws, without moving the samples.
   * `scattered`: no read-ahead, the next read is elsewhere in the file.
   */
  envelope(path: string, selection: [DimSelection, DimSelection], bins: number, options: { scattered: boolean }): Promise<Envelope>;
  attrs(path: string): Promise<Record<string, unknown>>;
  stats(): Promise<ReaderStats>;
}

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

export interface Envelope {
  /** bins × columns values, bin after bin, as stored (not scaled). */
  min: Float32Array;
  max: Float32Array;
  bins: number;
  columns: number;
}

export interface ReadProgress {
  fetched: number;
  /** The selection's bytes as stored: its size × the file's compression, at most its size. */
  planned: number;
}

export interface ReaderStats {
  requests: number;
  bytes: number;
}

/** The largest selection the worker reads at once: a few times what any view draws, far below wasm's heap. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;
