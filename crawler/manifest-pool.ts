import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ManifestResult } from './hdf5-manifest';

/**
 * Runs manifest builds (hdf5-manifest.ts) in one worker thread at a time, many interleaved: a build spends
 * most of its time waiting for S3. A worker is retired after `buildsPerWorker` builds, which bounds the heap
 * h5wasm leaks when an HDF5 call fails halfway.
 */

export type ToWorker =
  | { type: 'build'; job: number; size: number }
  | { type: 'bytes'; fetch: number; bytes: Uint8Array }
  | { type: 'fetch-failed'; fetch: number; message: string };

export type FromWorker =
  | { type: 'fetch'; job: number; fetch: number; start: number; end: number }
  | { type: 'done'; job: number; result: ManifestResult }
  | { type: 'done'; job: number; error: string };

/** Reads bytes [start, end] (inclusive) of the object being built. */
export type ObjectReader = (start: number, end: number) => Promise<Uint8Array>;

interface Job {
  read: ObjectReader;
  resolve: (result: ManifestResult) => void;
  reject: (error: unknown) => void;
  /** The S3 error that stopped the build, passed on as it was thrown. */
  fetchError?: unknown;
}

interface Thread {
  worker: Worker;
  started: number;
  running: Map<number, Job>;
}

function startWorker(): Worker {
  // The standalone build bundles the worker next to the crawler; from source, tsx compiles it in the thread.
  const bundled = new URL('./manifest-worker.mjs', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled);
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = new URL('./manifest-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

export class ManifestPool {
  private current: Thread | undefined;
  private nextJob = 0;

  constructor(private readonly buildsPerWorker = 100) {}

  build(size: number, read: ObjectReader): Promise<ManifestResult> {
    const thread = this.thread();
    const job = this.nextJob++;
    thread.started++;
    return new Promise<ManifestResult>((resolve, reject) => {
      thread.running.set(job, { read, resolve, reject });
      thread.worker.postMessage({ type: 'build', job, size } satisfies ToWorker);
    }).finally(() => {
      thread.running.delete(job);
      if (thread !== this.current && thread.running.size === 0) void thread.worker.terminate();
    });
  }

  async close(): Promise<void> {
    const thread = this.current;
    this.current = undefined;
    if (thread) await thread.worker.terminate();
  }

  private thread(): Thread {
    if (this.current && this.current.started < this.buildsPerWorker) return this.current;
    const retired = this.current;
    if (retired && retired.running.size === 0) void retired.worker.terminate();
    const thread: Thread = { worker: startWorker(), started: 0, running: new Map() };
    thread.worker.on('message', (message: FromWorker) => this.onMessage(thread, message));
    thread.worker.on('error', (error) => this.fail(thread, error));
    thread.worker.on('exit', (code) => this.fail(thread, new Error(`the manifest worker exited (code ${code})`)));
    this.current = thread;
    return thread;
  }

  private onMessage(thread: Thread, message: FromWorker): void {
    const job = thread.running.get(message.job);
    if (!job) return;
    if (message.type === 'fetch') {
      const { fetch, start, end } = message;
      job.read(start, end).then(
        (bytes) => {
          // Moved when the bytes own their buffer; a view into a shared one (Node's Buffer pool) is copied.
          const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
          thread.worker.postMessage({ type: 'bytes', fetch, bytes } satisfies ToWorker, owned ? [bytes.buffer as ArrayBuffer] : []);
        },
        (error: unknown) => {
          job.fetchError = error;
          thread.worker.postMessage({ type: 'fetch-failed', fetch, message: String(error) } satisfies ToWorker);
        },
      );
    } else if ('result' in message) job.resolve(message.result);
    else job.reject(job.fetchError ?? new Error(message.error));
  }

  /** A worker that crashed fails what it was running; the next build starts a new one. */
  private fail(thread: Thread, error: Error): void {
    for (const job of thread.running.values()) job.reject(error);
    thread.running.clear();
    if (this.current === thread) this.current = undefined;
  }
}
