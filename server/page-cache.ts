import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { experimentHref } from '@/contracts/experiment-href';
import { getConfig } from '@/lib/config';
import { newCspNonce } from '@/lib/csp-nonce';
import { experimentPageVersion, newestExperiments } from '@/lib/db/queries';
import { log } from '@/lib/log';
import { decodePageSegment } from '@/lib/page-params';
import { pagesUnavailable, type PagesProxy, type RenderedPage } from './pages-proxy';

/**
 * Experiment pages (the link people open from Slack) rendered once and kept while what they are rendered
 * from is unchanged (experimentPageVersion, a digest of the experiment's rows): a render is about 25 ms of
 * React in a page process, a kept page a digest and a copy in the front process. Each answer carries a new
 * CSP nonce: the kept page is held split at the nonce it was rendered with, in its body and headers.
 */

/**
 * What a starting front process renders before it listens: the pages of the newest experiments, as many as
 * half the cache holds (the rest is for the pages people open), for so long at most (bench:load: 1,000
 * pages, 42 MB, in 9.1 s on two cores). A restarted server then answers the links just shared from its
 * copy, as the one it replaced did, rather than rendering every first view under load.
 */
const RENDER_AHEAD = { pages: 1000, shareOfCache: 0.5, seconds: 15 };

const EXPERIMENT_PAGE = /^\/experiment\/([^/]+)\/([^/]+)$/;
// What Next.js answers with something else than the document: client navigations, prefetches, actions.
const NOT_A_DOCUMENT = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-action'];
const NONCE = /'nonce-([A-Za-z0-9+/=]+)'/;
// Set per answer: the length of this body, its date, the request's id (set by the front process).
const PER_ANSWER = new Set(['content-length', 'date', 'x-request-id', 'content-encoding']);

const gzipAsync = promisify(gzip);

interface KeptPage {
  version: string;
  status: number;
  /** Each header's value and the body, split where the nonce was. */
  headers: [name: string, parts: string[]][];
  body: Buffer[];
}

/** The experiment's path for a document request of its page; undefined for any other request. */
function experimentPath(method: string | undefined, url: string, headers: IncomingHttpHeaders): string | undefined {
  if (method !== 'GET' || NOT_A_DOCUMENT.some((name) => name in headers)) return undefined;
  const match = EXPERIMENT_PAGE.exec(url.split('?', 1)[0]!);
  if (!match) return undefined;
  const [prefix, uuid] = [decodePageSegment(match[1]!), decodePageSegment(match[2]!)];
  return prefix === undefined || uuid === undefined ? undefined : `${prefix}/${uuid}`;
}

/** A rendered page to keep: a 200 HTML document with a nonce, and nothing meant for one client only. */
function keepable(page: RenderedPage, version: string): KeptPage | undefined {
  const nonce = NONCE.exec(String(page.headers['content-security-policy'] ?? ''))?.[1];
  if (page.status !== 200 || !nonce || !String(page.headers['content-type']).startsWith('text/html') || page.headers['set-cookie']) return undefined;
  const headers = Object.entries(page.headers)
    .filter(([name, value]) => !PER_ANSWER.has(name) && value !== undefined)
    .map(([name, value]): [string, string[]] => [name, String(value).split(nonce)]);
  return { version, status: page.status, headers, body: split(page.body, Buffer.from(nonce)) };
}

/** The pieces of `bytes` between the occurrences of `separator`. */
function split(bytes: Buffer, separator: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(separator); at !== -1; at = bytes.indexOf(separator, from)) {
    pieces.push(bytes.subarray(from, at));
    from = at + separator.length;
  }
  return [...pieces, bytes.subarray(from)];
}

async function send(req: IncomingMessage, res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer): Promise<void> {
  if (/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) {
    // The fastest level: a page's HTML shrinks about as much as at the default, in half the time.
    body = await gzipAsync(body, { level: constants.Z_BEST_SPEED });
    headers['content-encoding'] = 'gzip';
  }
  res.writeHead(status, { ...headers, 'content-length': body.length });
  res.end(body);
}

/** What a request of an experiment's page is answered with: its kept copy, or a render that cannot be kept. */
type CurrentPage = { hit: boolean; kept: KeptPage } | { hit: false; rendered: RenderedPage };

export interface PageCache {
  /** Experiment pages answered from what was kept when it is still current, every other request passed on. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Renders and keeps the pages of the newest experiments (the links people share are of experiments just
   * recorded), `concurrency` at a time, within RENDER_AHEAD's bounds; once the page processes listen.
   */
  renderAhead(concurrency: number): Promise<void>;
}

export function withPageCache(pages: PagesProxy): PageCache {
  const { pageCacheBytes, siteUrl } = getConfig();
  if (pageCacheBytes === 0) return { handle: pages.pass, renderAhead: async () => {} };
  const kept = new LRUCache<string, KeptPage>({
    maxSize: pageCacheBytes,
    sizeCalculation: (page, key) => page.body.reduce((bytes, piece) => bytes + piece.length, 512) + 2 * key.length,
  });
  // A page's links and card are absolute: from SITE_URL when set, and then one copy serves every host; else
  // from the request's host.
  const keyOf = (url: string, h: IncomingHttpHeaders) => (siteUrl ? url : [h.host, h['x-forwarded-host'], h['x-forwarded-proto'], url].join('\n'));
  // Renders under way, so that a page asked again meanwhile (a link just shared) is rendered once.
  const rendering = new Map<string, Promise<RenderedPage>>();
  const current = async (url: string, headers: IncomingHttpHeaders, version: string): Promise<CurrentPage> => {
    const key = keyOf(url, headers);
    const page = kept.get(key);
    if (page?.version === version) return { hit: true, kept: page };
    const id = `${version}\n${key}`;
    let running = rendering.get(id);
    if (!running) {
      running = pages.render(url, headers).finally(() => rendering.delete(id));
      rendering.set(id, running);
    }
    const rendered = await running;
    const keep = keepable(rendered, version);
    if (!keep) return { hit: false, rendered };
    kept.set(key, keep);
    return { hit: false, kept: keep };
  };
  const answer = async (req: IncomingMessage, res: ServerResponse, url: string, path: string) => {
    // Before rendering: a page rendered from a newer index than its version says is only rendered again.
    const version = experimentPageVersion(path);
    if (version === undefined) return pages.pass(req, res);
    const page = await current(url, req.headers, version);
    res.setHeader('X-Page-Cache', page.hit ? 'hit' : 'miss');
    if (!('kept' in page)) {
      const { status, headers, body } = page.rendered;
      return send(req, res, status, Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name))), body);
    }
    const nonce = newCspNonce();
    const nonceBytes = Buffer.from(nonce);
    const { status, headers, body } = page.kept;
    const bytes = Buffer.concat(body.flatMap((piece, i) => (i === 0 ? [piece] : [nonceBytes, piece])));
    return send(req, res, status, Object.fromEntries(headers.map(([name, parts]) => [name, parts.join(nonce)])), bytes);
  };
  const renderAhead = async (concurrency: number) => {
    // Without SITE_URL a page's links follow the host of each request, unknown until one comes.
    if (!siteUrl) return;
    const started = performance.now();
    const deadline = started + RENDER_AHEAD.seconds * 1000;
    const headers = { host: new URL(siteUrl).host };
    const queue = newestExperiments(RENDER_AHEAD.pages).values();
    let count = 0;
    const renderQueued = async () => {
      for (const experiment of queue) {
        if (performance.now() >= deadline || kept.calculatedSize >= pageCacheBytes * RENDER_AHEAD.shareOfCache) return;
        const version = experimentPageVersion(experiment.path);
        if (version === undefined) continue;
        const page = await onceListening(() => current(experimentHref(experiment), headers, version), deadline);
        if ('kept' in page) count++;
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, renderQueued));
    } catch (error) {
      log('warn', 'rendering experiment pages ahead stopped', { error: String(error) });
    }
    const ms = Math.round(performance.now() - started);
    log('info', 'experiment pages rendered ahead', { pages: count, keptMb: Math.round(kept.calculatedSize / 1024 ** 2), ms });
  };
  return {
    handle(req, res) {
      const url = req.url ?? '/';
      const path = experimentPath(req.method, url, req.headers);
      if (path === undefined) return pages.pass(req, res);
      answer(req, res, url, path).catch(() => pagesUnavailable(res));
    },
    renderAhead,
  };
}

/** `attempt`, tried again while the page processes are still starting (their socket is absent or not listening), until `deadline`. */
async function onceListening<T>(attempt: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || performance.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}
