import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { getConfig } from '@/lib/config';
import { newCspNonce } from '@/lib/csp-nonce';
import { experimentPageVersion } from '@/lib/db/queries';
import { decodePageSegment } from '@/lib/page-params';
import { pagesUnavailable, type PagesProxy, type RenderedPage } from './pages-proxy';

/**
 * Experiment pages (the link people open from Slack) rendered once and kept while what they are rendered
 * from is unchanged (experimentPageVersion, a digest of the experiment's rows): a render is about 25 ms of
 * React in a page process, a kept page a digest and a copy in the front process. Each answer carries a new
 * CSP nonce: the kept page is held split at the nonce it was rendered with, in its body and headers.
 */

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
function experimentPath(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET' || NOT_A_DOCUMENT.some((name) => name in req.headers)) return undefined;
  const match = EXPERIMENT_PAGE.exec((req.url ?? '').split('?', 1)[0]!);
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

/** Experiment pages answered from what was kept when it is still current, every other request passed on. */
export function withPageCache(pages: PagesProxy): (req: IncomingMessage, res: ServerResponse) => void {
  const { pageCacheBytes } = getConfig();
  if (pageCacheBytes === 0) return pages.pass;
  const kept = new LRUCache<string, KeptPage>({
    maxSize: pageCacheBytes,
    sizeCalculation: (page, key) => page.body.reduce((bytes, piece) => bytes + piece.length, 512) + 2 * key.length,
  });
  // Renders under way, so that a page asked again meanwhile (a link just shared) is rendered once.
  const rendering = new Map<string, Promise<RenderedPage>>();
  const render = (req: IncomingMessage, key: string, version: string) => {
    const id = `${version}\n${key}`;
    let running = rendering.get(id);
    if (!running) {
      running = pages.render(req).finally(() => rendering.delete(id));
      rendering.set(id, running);
    }
    return running;
  };
  const answer = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    // Before rendering: a page rendered from a newer index than its version says is only rendered again.
    const version = experimentPageVersion(path);
    if (version === undefined) return pages.pass(req, res);
    // The page's links and card are absolute, from the request's host unless SITE_URL is set.
    const h = req.headers;
    const key = [h.host, h['x-forwarded-host'], h['x-forwarded-proto'], req.url].join('\n');
    let page = kept.get(key);
    res.setHeader('X-Page-Cache', page?.version === version ? 'hit' : 'miss');
    if (page?.version !== version) {
      const rendered = await render(req, key, version);
      page = keepable(rendered, version);
      if (!page)
        return send(
          req,
          res,
          rendered.status,
          Object.fromEntries(Object.entries(rendered.headers).filter(([name]) => !PER_ANSWER.has(name))),
          rendered.body,
        );
      kept.set(key, page);
    }
    const nonce = newCspNonce();
    const nonceBytes = Buffer.from(nonce);
    const body = Buffer.concat(page.body.flatMap((piece, i) => (i === 0 ? [piece] : [nonceBytes, piece])));
    return send(req, res, page.status, Object.fromEntries(page.headers.map(([name, parts]) => [name, parts.join(nonce)])), body);
  };
  return (req, res) => {
    const path = experimentPath(req);
    if (path === undefined) return pages.pass(req, res);
    answer(req, res, path).catch(() => pagesUnavailable(res));
  };
}
