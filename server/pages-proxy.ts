import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

// Headers of one hop, not to be passed on (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** The answer when the page processes cannot be reached (one is being replaced). */
export function pagesUnavailable(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '2' });
  res.end('The page server is restarting; try again in a moment.\n');
}

/** A page as the page processes answered it, its body whole and not content-encoded. */
export interface RenderedPage {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface PagesProxy {
  /** Passes the request on and streams the answer back, headers and status unchanged. */
  pass(req: IncomingMessage, res: ServerResponse): void;
  /** GETs a page, uncompressed, and reads the answer whole. */
  render(url: string, headers: IncomingHttpHeaders): Promise<RenderedPage>;
}

/** The page processes, on a local socket; the connection to them is kept alive between requests. */
export function createPagesProxy(socketPath: string): PagesProxy {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const upstream = (
    method: string | undefined,
    path: string | undefined,
    headers: IncomingHttpHeaders,
    onAnswer: (answer: IncomingMessage) => void,
  ) => request({ socketPath, agent, method, path, headers }, onAnswer);
  return {
    pass(req, res) {
      const forwarded = upstream(req.method, req.url, endToEnd(req.headers), (answer) => {
        // The client left before the page was rendered (a browser's aborted navigation): piping to its closed
        // response throws, and thrown here it ended the front process.
        if (res.destroyed) return answer.destroy();
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        pipeline(answer, res, () => {
          // A client gone mid-answer ends both sides; nothing else to do.
        });
      });
      forwarded.on('error', () => pagesUnavailable(res));
      pipeline(req, forwarded, () => {
        // An aborted request body destroys the upstream request; its error handler answers.
      });
    },
    render(url, headers) {
      const attempt = (retry: boolean): Promise<RenderedPage> =>
        new Promise((resolve, reject) => {
          const forwarded = upstream('GET', url, { ...endToEnd(headers), 'accept-encoding': 'identity' }, (answer) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: endToEnd(answer.headers), body: Buffer.concat(chunks) }));
            answer.on('error', reject);
          });
          // A kept-alive connection the page process closed as the request went out: asked again, once, on a new one.
          forwarded.on('error', (error: NodeJS.ErrnoException) =>
            retry && forwarded.reusedSocket && error.code === 'ECONNRESET' ? attempt(false).then(resolve, reject) : reject(error),
          );
          forwarded.end();
        });
      return attempt(true);
    },
  };
}
