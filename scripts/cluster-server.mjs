// Runs the standalone Next.js server in several processes sharing one port (node:cluster), one per core by
// default (WEB_CONCURRENCY overrides). Searches run synchronously on SQLite: in a single process every
// request waits behind the slowest one in flight, while here the others keep answering.
import cluster from 'node:cluster';
import { ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const server = process.argv[2];
if (!server) {
  console.error('usage: node scripts/cluster-server.mjs <path to .next/standalone/server.js>');
  process.exit(2);
}
const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY ?? availableParallelism()) || 1);

if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`server worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    });
  }
} else {
  // Next.js drops Content-Length from every route handler's response (FORBIDDEN_HEADERS in its
  // send-response.js). A HEAD of a file must carry the size: range readers such as h5wasm's lazy files read
  // it there. Routes that know their length also send X-Content-Length, restored here as Content-Length.
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function (...args) {
    const length = this.getHeader('x-content-length');
    if (length !== undefined) {
      this.removeHeader('x-content-length');
      this.setHeader('Content-Length', String(length));
    }
    return writeHead.apply(this, args);
  };
  await import(pathToFileURL(resolve(server)).href);
}
