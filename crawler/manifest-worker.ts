import { parentPort, workerData } from 'node:worker_threads';
import { buildHdf5Manifest } from './hdf5-manifest';
import type { FromWorker, ManifestWorkerData, ToWorker } from './manifest-pool';

/**
 * Builds manifests in a worker thread, so the h5wasm heap that failed HDF5 calls leak (about 1.5 MB per
 * file) is returned when the pool retires the worker. Bytes come from the main thread, which owns the S3 client.
 */

const port = parentPort!;
const busy = new Int32Array((workerData as ManifestWorkerData).busy);
const waiting = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
let nextFetch = 0;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'bytes' || message.type === 'fetch-failed') {
    const fetch = waiting.get(message.fetch)!;
    waiting.delete(message.fetch);
    if (message.type === 'bytes') fetch.resolve(message.bytes);
    else fetch.reject(new Error(message.message));
    return;
  }
  const { job, size, stored, preview } = message;
  const fetchRange = (start: number, end: number) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const fetch = nextFetch++;
      waiting.set(fetch, { resolve, reject });
      send({ type: 'fetch', job, fetch, start, end });
    });
  // The pool's watchdog reads which build holds the thread when a deadline passes.
  const onCall = (running: boolean) => Atomics.store(busy, 0, running ? job + 1 : 0);
  buildHdf5Manifest(size, stored ? { stored, fetchRange } : { fetchRange }, { onCall, preview }).then(
    (result) => send({ type: 'done', job, result }, result.status === 'built' ? [result.manifest.bytes.buffer as ArrayBuffer] : []),
    (error: unknown) => send({ type: 'done', job, error: error instanceof Error ? error.message : String(error) }),
  );
});
