import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

// Headers of one hop, not to be passed on (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * Passes a request to the page processes on a local socket and streams their answer back, headers and
 * status unchanged; the connection to them is kept alive between requests.
 */
export function createPagesProxy(socketPath: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request({ socketPath, agent, method: req.method, path: req.url, headers: endToEnd(req.headers) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      pipeline(answer, res, () => {
        // A client gone mid-answer ends both sides; nothing else to do.
      });
    });
    upstream.on('error', () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '2' });
      res.end('The page server is restarting; try again in a moment.\n');
    });
    pipeline(req, upstream, () => {
      // An aborted request body destroys the upstream request; its error handler answers.
    });
  };
}
