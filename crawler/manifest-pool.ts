import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../lib/worker-thread';
import type { Manifest } from '../hdf5/manifest';
import type { ManifestResult } from './hdf5-manifest';

/**
 * Runs manifest builds (hdf5-manifest.ts) in one worker thread at a time, many interleaved: a build spends
 * most of its time waiting for S3. A worker is retired after `buildsPerWorker` builds, which bounds the heap
 * h5wasm leaks when an HDF5 call fails halfway.
 *
 * Each file has `fileTimeLimitMs`. A crafted file can make HDF5 loop inside one synchronous call, which
 * nothing in the worker can interrupt, so a file over its time is recorded as unreadable and the worker is
 * ended. The worker marks, in shared memory, which build is inside an h5wasm call: when a deadline passes
 * while another build holds the thread, that one is the culprit. The other builds of an ended worker start
 * again in a new one.
 */

export type ToWorker =
  /**
   * `stored`: walk this manifest, with no read for the structure; the worker asks for other bytes with
   * `fetch`. `preview`: read what the file's preview draws too.
   */
  | { type: 'build'; job: number; size: number; stored?: Manifest; preview: boolean }
  | { type: 'bytes'; fetch: number; bytes: Uint8Array }
  | { type: 'fetch-failed'; fetch: number; message: string };

export type FromWorker =
  | { type: 'fetch'; job: number; fetch: number; start: number; end: number }
  | { type: 'done'; job: number; result: ManifestResult }
  | { type: 'done'; job: number; error: string };

/** Worker data: slot 0 of `busy` holds the job inside an h5wasm call, plus one (0: none). */
export interface ManifestWorkerData {
  busy: SharedArrayBuffer;
}

/** Reads bytes [start, end] (inclusive) of the object being built. */
export type ObjectReader = (start: number, end: number) => Promise<Uint8Array>;

/** What a build reads: the object through `read`, and a manifest stored before when there is one. */
export interface BuildSource {
  read?: ObjectReader;
  stored?: Manifest;
  preview?: boolean;
}

interface Build {
  size: number;
  source: BuildSource;
  resolve: (result: ManifestResult) => void;
  reject: (error: unknown) => void;
}

interface Job {
  build: Build;
  deadline: NodeJS.Timeout;
  /** The S3 error that stopped the build, passed on as it was thrown. */
  fetchError?: unknown;
}

interface Thread {
  worker: Worker;
  busy: Int32Array;
  started: number;
  running: Map<number, Job>;
}

function startWorker(workerData: ManifestWorkerData): Worker {
  // The standalone build bundles the worker next to the crawler; from source, tsx compiles it in the thread.
  return startWorkerThread(new URL('./manifest-worker.mjs', import.meta.url), new URL('./manifest-worker.ts', import.meta.url), workerData);
}

export interface ManifestPoolOptions {
  buildsPerWorker?: number;
  /** Longest a file may take, from when its build starts. A 1 GB recording takes a few seconds. */
  fileTimeLimitMs?: number;
}

export class ManifestPool {
  private current: Thread | undefined;
  private nextJob = 0;
  private readonly buildsPerWorker: number;
  private readonly fileTimeLimitMs: number;

  constructor(options: ManifestPoolOptions = {}) {
    this.buildsPerWorker = options.buildsPerWorker ?? 100;
    this.fileTimeLimitMs = options.fileTimeLimitMs ?? 120_000;
  }

  /**
   * Builds the manifest and summary of a file of `size` bytes read by `source.read`, or the summary from a
   * stored manifest; and, when asked, what its preview draws.
   */
  build(size: number, source: BuildSource): Promise<ManifestResult> {
    return new Promise<ManifestResult>((resolve, reject) => this.start({ size, source, resolve, reject }));
  }

  async close(): Promise<void> {
    const thread = this.current;
    this.current = undefined;
    if (thread) await thread.worker.terminate();
  }

  private start(build: Build): void {
    const thread = this.thread();
    const id = this.nextJob++;
    thread.started++;
    thread.running.set(id, { build, deadline: setTimeout(() => this.overTime(thread, id), this.fileTimeLimitMs) });
    const { stored, preview = false } = build.source;
    thread.worker.postMessage({ type: 'build', job: id, size: build.size, stored, preview } satisfies ToWorker);
  }

  /** Removes a job from its thread; a retired thread ends with its last job. */
  private finish(thread: Thread, id: number): Job | undefined {
    const job = thread.running.get(id);
    if (!job) return undefined;
    clearTimeout(job.deadline);
    thread.running.delete(id);
    if (thread !== this.current && thread.running.size === 0) void thread.worker.terminate();
    return job;
  }

  /** A build ran out of time: the one holding the thread (or else this one) is unreadable; the rest restart. */
  private overTime(thread: Thread, id: number): void {
    const inCall = Atomics.load(thread.busy, 0) - 1;
    const culprit = thread.running.has(inCall) ? inCall : id;
    const jobs = [...thread.running];
    for (const [, job] of jobs) clearTimeout(job.deadline);
    thread.running.clear();
    if (this.current === thread) this.current = undefined;
    thread.worker.removeAllListeners();
    void thread.worker.terminate();
    const seconds = this.fileTimeLimitMs / 1000;
    for (const [jobId, { build }] of jobs) {
      if (jobId === culprit)
        build.resolve({ status: 'unreadable', error: `its structure took HDF5 over ${seconds} s to walk; the walk was stopped` });
      else this.start(build);
    }
  }

  private thread(): Thread {
    if (this.current && this.current.started < this.buildsPerWorker) return this.current;
    const retired = this.current;
    if (retired && retired.running.size === 0) void retired.worker.terminate();
    const busy = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const thread: Thread = { worker: startWorker({ busy }), busy: new Int32Array(busy), started: 0, running: new Map() };
    thread.worker.on('message', (message: FromWorker) => this.onMessage(thread, message));
    thread.worker.on('error', (error) => this.fail(thread, error));
    thread.worker.on('exit', (code) => this.fail(thread, new Error(`the manifest worker exited (code ${code})`)));
    this.current = thread;
    return thread;
  }

  private onMessage(thread: Thread, message: FromWorker): void {
    if (message.type === 'fetch') {
      const job = thread.running.get(message.job);
      if (!job) return;
      const { fetch, start, end } = message;
      const read = job.build.source.read?.(start, end) ?? Promise.reject(new Error('a stored manifest is not read past'));
      read.then(
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
      return;
    }
    const job = this.finish(thread, message.job);
    if (!job) return;
    if ('result' in message) job.build.resolve(message.result);
    else job.build.reject(job.fetchError ?? new Error(message.error));
  }

  /** A worker that crashed fails what it was running; the next build starts a new one. */
  private fail(thread: Thread, error: Error): void {
    if (this.current === thread) this.current = undefined;
    for (const id of [...thread.running.keys()]) this.finish(thread, id)?.build.reject(error);
  }
}
