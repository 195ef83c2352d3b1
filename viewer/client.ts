import type { FileInfo } from '../contracts/files-api';
import type { DimSelection, EntityInfo, ErrorKind, ReadResult, ReaderStats, WorkerEvent, WorkerRequest, WorkerResponse } from './protocol';

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

/** The page's side of the HDF5 worker: each request a promise, answered in any order. */
export class H5Client {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: ViewerError) => void }>();
  /** Told when the worker finds the file in the bucket is not the indexed one any more. */
  onStale: ((error: ViewerError) => void) | undefined;

  constructor(private readonly worker: Worker) {
    worker.onmessage = ({ data }: MessageEvent<WorkerResponse | WorkerEvent>) => {
      if ('event' in data) {
        this.onStale?.(new ViewerError(data.kind, data.message));
        return;
      }
      const waiting = this.pending.get(data.id);
      if (!waiting) return;
      this.pending.delete(data.id);
      if (data.ok) waiting.resolve(data.result);
      else waiting.reject(new ViewerError(data.kind, data.message));
    };
    worker.onerror = (event) => {
      for (const waiting of this.pending.values()) waiting.reject(new ViewerError('other', event.message || 'the viewer worker failed'));
      this.pending.clear();
    };
  }

  /** Starts the worker shipped in public/viewer/ (built from viewer/workers/h5-worker.ts). */
  static start(url = '/viewer/h5-worker.js'): H5Client {
    return new H5Client(new Worker(url, { type: 'module' }));
  }

  private request<T>(message: WorkerRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  open(fileUuid: string): Promise<FileInfo> {
    return this.request({ op: 'open', fileUuid });
  }

  entity(path: string): Promise<EntityInfo> {
    return this.request({ op: 'entity', path });
  }

  read(path: string, selection?: DimSelection[]): Promise<ReadResult> {
    return this.request({ op: 'read', path, selection });
  }

  attrs(path: string): Promise<Record<string, unknown>> {
    return this.request({ op: 'attrs', path });
  }

  stats(): Promise<ReaderStats> {
    return this.request({ op: 'stats' });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
