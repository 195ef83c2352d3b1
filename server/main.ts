import { getRequestListener } from '@hono/node-server';
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { log, withRequestId } from '@/lib/log';
import { prepareServer } from '@/lib/server-start';
import { matchDirectRoute } from './direct-routes';

/**
 * The web server: Next.js for pages, the route handlers called directly (server/direct-routes.ts), in one
 * process per core sharing the port. Searches run synchronously on SQLite, so in a single process every
 * request would wait behind the slowest one in flight.
 *
 * `npm start` runs the bundle of this file inside the standalone build (scripts/build-server.ts);
 * `npm run dev` runs it with --dev from the repository.
 */

const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOSTNAME: z.string().min(1).default('0.0.0.0'),
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  })
  .safeParse(process.env);
if (!env.success) {
  const issue = env.error.issues[0]!;
  console.error(`error: ${String(issue.path[0])}: ${issue.message}`);
  process.exit(1);
}
// Node's warnings (the AWS SDK's Node version notice among them) as log lines, not free text.
process.removeAllListeners('warning');
process.on('warning', (warning) => log('warn', warning.message, { warning: warning.name }));
const { PORT: port, HOSTNAME: hostname } = env.data;
const dev = process.argv.includes('--dev');
// Next's dev server compiles on demand and keeps its own state: one process.
const workers = dev ? 1 : (env.data.WEB_CONCURRENCY ?? availableParallelism());

if (cluster.isPrimary && workers > 1) superviseWorkers(workers);
else await serve();

async function serve(): Promise<void> {
  // The standalone build is self-contained in the folder of its bundled server; dev runs from the repository.
  const dir = dev ? process.cwd() : dirname(fileURLToPath(import.meta.url));
  process.chdir(dir);
  // Next.js reads NODE_ENV when it loads, so it is set before the import, as its standalone server.js does.
  Object.assign(process.env, { NODE_ENV: dev ? 'development' : 'production' });
  const { default: next } = await import('next');
  prepareServer();
  const app = next({ dev, dir, hostname, port, conf: dev ? undefined : standaloneConfig() });
  await app.prepare();
  const handleByNext = app.getRequestHandler();
  // overrideGlobalObjects: false keeps the global Request and Response that Next.js itself uses.
  const handleDirectly = getRequestListener(
    (request) => matchDirectRoute(request.method, new URL(request.url).pathname)!(request),
    { overrideGlobalObjects: false },
  );
  createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const id = requestIdOf(req.headers['x-request-id']);
    const started = performance.now();
    res.setHeader('X-Request-Id', id);
    // The path only: query strings hold what people search for, and nothing here needs them.
    res.once('finish', () => withRequestId(id, () => log('info', 'request', { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) })));
    withRequestId(id, () => {
      if (matchDirectRoute(req.method ?? 'GET', path)) void handleDirectly(req, res);
      else void handleByNext(req, res);
    });
  }).listen(port, hostname, () => {
    if (cluster.isPrimary) log('info', `Ready on http://${hostname}:${port}${dev ? ' (dev)' : ''}`);
  });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The reverse proxy's X-Request-Id when it looks like one (it is echoed and logged), else a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The configuration `next build` resolved, as the standalone server.js passes it. */
function standaloneConfig() {
  const file = JSON.parse(readFileSync('.next/required-server-files.json', 'utf8')) as { config: object };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(file.config);
  return file.config;
}

function superviseWorkers(count: number): void {
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log('error', 'server worker exited; starting another', { pid: worker.process.pid, exit: signal ?? code });
    cluster.fork();
  });
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === count) log('info', `Ready on http://${hostname}:${port}`, { processes: count });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    });
  }
}
