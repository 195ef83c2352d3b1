import { getRequestListener } from '@hono/node-server';
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppError } from '@/lib/errors';
import { ConfigError, getServerRole, getServerSettings } from '@/lib/config';
import { log, withRequestId } from '@/lib/log';
import { containerMemoryLimit, serverProcesses } from '@/lib/memory-limit';
import { setProcessPriority } from '@/lib/process-priority';
import { startSearchThreads } from '@/lib/search';
import { FIRST_QUESTIONS } from '@/lib/search/run';
import { prepareServer } from '@/lib/server-start';
import { startWorkerThread } from '@/lib/worker-thread';
import { sendConsoleToLog } from './console-log';
import { compressed } from './compress';
import { matchDirectRoute } from './direct-routes';
import { ALLOWED_METHODS, refusedRequest } from './request-guard';
import { logEventLoopDelay } from './event-loop-log';
import { createPagesProxy } from './pages-proxy';
import { withPageCache } from './page-cache';

/**
 * The web server: the route handlers called directly (server/direct-routes.ts) and Next.js for pages.
 *
 * With more than one process (the default: WEB_CONCURRENCY, else one per core), the work is shared: one
 * front process takes every connection on the port, answers the API and /data itself, searches in one
 * thread per core and passes page requests to the page processes (one per core) over a local socket.
 * Searches and file reads take a millisecond or two; a page takes tens of milliseconds of React rendering.
 * In one process a search waits behind every render in flight; here the page processes also run at a lower
 * priority, so under load the operating system gives the cores to searches first and pages absorb the wait.
 * One front process rather than one per core: its caches (answers, match sets by thread, kept pages) serve
 * every connection; with one per core each computed and kept its own, and typing people were answered at
 * half the rate (bench:search: 548 → 1,028 requests/s, p99 128 → 83 ms); its event loop does a fraction
 * of a millisecond per request.
 *
 * `npm start` runs the bundle of this file inside the standalone build (scripts/build.ts);
 * `npm run dev` runs it in one process with --dev from the repository.
 */

const dev = process.argv.includes('--dev');
// In production every line is JSON for the log collector; the dev server talks to a person.
if (!dev) sendConsoleToLog();

let settings: ReturnType<typeof getServerSettings> & ReturnType<typeof getServerRole>;
try {
  settings = { ...getServerSettings(), ...getServerRole() };
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}
// Node's warnings (the AWS SDK's Node version notice among them) as log lines, not free text.
process.removeAllListeners('warning');
process.on('warning', (warning) => log('warn', warning.message, { warning: warning.name }));

const { port, bindAddress: hostname, role, pagesSocket } = settings;
// Next's dev server compiles on demand and keeps its own state: one process.
const processes = dev ? 1 : (settings.webConcurrency ?? serverProcesses(availableParallelism(), containerMemoryLimit()));
const PAGES_NICENESS = 5;

// The standalone build is self-contained in the folder of its bundled server; dev runs from the repository.
process.chdir(dev ? process.cwd() : dirname(fileURLToPath(import.meta.url)));
// Next.js reads NODE_ENV when it loads, so it is set before any import of it, as its standalone server.js does.
Object.assign(process.env, { NODE_ENV: dev ? 'development' : 'production' });
prepareServer();

if (cluster.isPrimary && processes > 1) supervise(processes);
else if (role === 'pages') await servePages(pagesSocket!);
else if (role === 'front') {
  const pages = withPageCache(createPagesProxy(pagesSocket!));
  await serveFront(pages.handle, () => pages.renderAhead(processes));
} else await serveFront(await nextHandler());

/**
 * Searches run in threads of their own (lib/search/pool.ts), one per process the server was given, so this
 * process's event loop answers HEADs, health checks and the next request while they run. Pages search in
 * their own process, in place.
 */
function startSearching(): Promise<void> {
  return startSearchThreads(
    (place) => startWorkerThread(new URL('./search-worker.mjs', import.meta.url), new URL('../lib/search/worker.ts', import.meta.url), place),
    processes,
  );
}

/** Next.js's request handler for this build (or the dev server). */
async function nextHandler() {
  const { default: next } = await import('next');
  const app = next({ dev, dir: process.cwd(), hostname, port, conf: dev ? undefined : standaloneConfig() });
  await app.prepare();
  return app.getRequestHandler();
}

/**
 * The port's listener: direct routes here, everything else to `pages` (Next.js here, or the page processes).
 * It listens once the search threads are prepared and `renderAhead` has kept the newest pages, so that no
 * first request waits for them.
 */
async function serveFront(pages: (req: IncomingMessage, res: ServerResponse) => unknown, renderAhead?: () => Promise<void>): Promise<void> {
  await startSearching();
  await warmSearchRoute();
  await renderAhead?.();
  createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const method = req.method ?? 'GET';
    const id = requestIdOf(req.headers['x-request-id']);
    req.headers['x-request-id'] = id;
    const started = performance.now();
    res.setHeader('X-Request-Id', id);
    // Every answer, the API's JSON and file bytes too: browsers must take the type as sent.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The path only: query strings hold what people search for, and nothing here needs them.
    res.once('finish', () =>
      withRequestId(id, () => log('info', 'request', { method, path, status: res.statusCode, ms: Math.round(performance.now() - started) })),
    );
    withRequestId(id, () => {
      const refused = refusedRequest(method, path);
      if (refused) return refuse(res, refused);
      // Routed by the path as it arrived: the Request built from it normalises the URL.
      const route = matchDirectRoute(method, path);
      // overrideGlobalObjects: false keeps the global Request and Response that Next.js itself uses.
      if (route) void getRequestListener(async (request) => compressed(request, await route(request)), { overrideGlobalObjects: false })(req, res);
      else void pages(req, res);
    });
  }).listen(port, hostname, () => {
    if (cluster.isPrimary) log('info', `Ready on http://${hostname}:${port}${dev ? ' (dev)' : ''}`);
  });
  logEventLoopDelay();
}

/**
 * The search route run over answers the threads prepared (cache hits) before the port opens: V8 compiles a
 * request's code only once it has run, and a starting server's first searches each took 10-30 ms more.
 */
async function warmSearchRoute(): Promise<void> {
  const route = matchDirectRoute('GET', '/api/search')!;
  for (const q of FIRST_QUESTIONS) {
    const request = new Request(`http://${hostname}/api/search?${new URLSearchParams(q ? { q } : {})}`);
    await (await compressed(request, await route(request))).arrayBuffer();
  }
}

/** A page process: Next.js on the local socket, behind the front process, at a lower priority. */
async function servePages(socket: string): Promise<void> {
  // Every thread: V8's garbage collection threads, busy while React renders, would otherwise compete with
  // the front process at its priority. Where not permitted, pages compete with the API on equal terms.
  setProcessPriority(PAGES_NICENESS);
  const handleByNext = await nextHandler();
  // The front process logged the request; errors logged while rendering carry its id.
  createServer((req, res) => withRequestId(String(req.headers['x-request-id']), () => void handleByNext(req, res))).listen(socket);
}

function refuse(res: ServerResponse, error: AppError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(error.status === 405 ? { Allow: ALLOWED_METHODS } : {}),
  });
  res.end(body);
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

/** Forks one front and `count` page processes, replaces any that dies, and stops them all on a signal. */
function supervise(count: number): void {
  const socket = join(tmpdir(), `braingeneers-search-pages-${process.pid}.sock`);
  rmSync(socket, { force: true });
  const roles = new Map<number, 'front' | 'pages'>();
  const fork = (which: 'front' | 'pages') => roles.set(cluster.fork({ SERVER_ROLE: which, PAGES_SOCKET: socket }).id, which);
  for (let i = 0; i < count; i++) fork('pages');
  fork('front');
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    const which = roles.get(worker.id)!;
    roles.delete(worker.id);
    if (stopping) {
      if (roles.size === 0) {
        rmSync(socket, { force: true });
        process.exit(0);
      }
      return;
    }
    log('error', 'server process exited; starting another', { role: which, pid: worker.process.pid, exit: signal ?? code });
    fork(which);
  });
  let listening = 0;
  cluster.on('listening', () => {
    const memoryLimit = containerMemoryLimit();
    const limit = memoryLimit === undefined ? {} : { memoryLimitMb: Math.round(memoryLimit / 1024 ** 2) };
    if (++listening === count + 1)
      log('info', `Ready on http://${hostname}:${port}`, { searchThreads: count, pageProcesses: count, cores: availableParallelism(), ...limit });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    });
  }
}
