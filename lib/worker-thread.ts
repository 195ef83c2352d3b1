import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `bundled` (the .mjs that scripts/build.ts puts next to the bundled program) when
 * it exists, else `source` compiled by tsx inside the thread, as `npm run dev`, the crawler from source and
 * the tests run.
 */
export function startWorkerThread(bundled: URL, source: URL, workerData?: unknown): Worker {
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`, {
    eval: true,
    workerData,
  });
}
