import h5wasm, { Dataset } from 'h5wasm';

/**
 * The reader the lab's prototype used, kept as the reference client of /data/<uuid>: h5wasm's own lazy file
 * (one HEAD, then a synchronous GET per 1 MiB chunk, following the redirect to S3). It runs only in a worker,
 * because it reads with synchronous XHR. The browser tests check the /data protocol with it, and
 * bench:viewer compares the viewer's reader against it.
 *
 * Message in: { url, path, slice? } (slice: [start, end) per dimension). Message out: the dataset's shape,
 * dtype and values of the selection, or { error }.
 */

export type LazyReadRequest = { url: string; path: string; slice?: [number, number][] };
export type LazyReadResult = { shape: number[]; dtype: string; values: number[]; ms: number } | { error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let opened = 0;

scope.onmessage = async ({ data }: MessageEvent<LazyReadRequest>) => {
  const started = performance.now();
  try {
    const { FS } = await h5wasm.ready;
    const name = `lazy-${++opened}.h5`;
    FS.createLazyFile('/', name, data.url, true, false);
    const file = new h5wasm.File(`/${name}`, 'r');
    try {
      const dataset = file.get(data.path);
      if (!(dataset instanceof Dataset)) throw new Error(`${data.path} is not a dataset`);
      const value = data.slice ? dataset.slice(data.slice) : dataset.value;
      const values = ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<number | bigint>, Number) : [Number(value)];
      scope.postMessage({
        shape: dataset.shape ?? [],
        dtype: String(dataset.dtype),
        values,
        ms: performance.now() - started,
      } satisfies LazyReadResult);
    } finally {
      file.close();
      FS.unlink(`/${name}`);
    }
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies LazyReadResult);
  }
};
