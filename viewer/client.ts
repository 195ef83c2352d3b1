import { proxy, wrap, type Remote } from 'comlink';
import type { FileInfo } from '../contracts/files-api';
import {
  VIEWER_ERROR,
  type DimSelection,
  type EntityInfo,
  type Envelope,
  type ErrorKind,
  type H5WorkerApi,
  type ReadProgress,
  type ReadResult,
  type ReaderStats,
} from './protocol';

/** An error the worker reported, with its kind, so the page can say what happened and what to do. */
export class ViewerError extends Error {
  override name = 'ViewerError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** comlink passes an error's name and message: the worker names its errors by their kind. */
function viewerError(error: unknown): ViewerError {
  if (error instanceof ViewerError) return error;
  const name = error instanceof Error ? error.name : '';
  const kind = (name.startsWith(VIEWER_ERROR) ? name.slice(VIEWER_ERROR.length) : 'other') as ErrorKind;
  return new ViewerError(kind, error instanceof Error ? error.message : String(error));
}

/** The page's side of the HDF5 worker. */
export class H5Client {
  private readonly remote: Remote<H5WorkerApi>;
  /** Told when the worker finds the file in the bucket is not the indexed one any more. */
  onStale: ((error: ViewerError) => void) | undefined;

  constructor(private readonly worker: Worker) {
    this.remote = wrap<H5WorkerApi>(worker);
  }

  /** Starts the worker shipped in public/viewer/ (built from viewer/workers/h5-worker.ts). */
  static start(url = '/viewer/h5-worker.js'): H5Client {
    return new H5Client(new Worker(url, { type: 'module' }));
  }

  private call<T>(pending: Promise<T>): Promise<T> {
    return pending.catch((error: unknown) => Promise.reject(viewerError(error)));
  }

  open(fileUuid: string, reader = 0): Promise<FileInfo> {
    const stale = proxy((kind: ErrorKind, message: string) => this.onStale?.(new ViewerError(kind, message)));
    return this.call(this.remote.open(fileUuid, stale, reader));
  }

  entity(path: string): Promise<EntityInfo> {
    return this.call(this.remote.entity(path));
  }

  read(path: string, selection?: DimSelection[], onProgress?: (progress: ReadProgress) => void): Promise<ReadResult> {
    return this.call(this.remote.read(path, selection, onProgress && proxy(onProgress)));
  }

  envelope(path: string, selection: [DimSelection, DimSelection], bins: number, options: { scattered: boolean }): Promise<Envelope> {
    return this.call(this.remote.envelope(path, selection, bins, options));
  }

  attrs(path: string): Promise<Record<string, unknown>> {
    return this.call(this.remote.attrs(path));
  }

  stats(): Promise<ReaderStats> {
    return this.call(this.remote.stats());
  }

  terminate(): void {
    this.worker.terminate();
  }
}
