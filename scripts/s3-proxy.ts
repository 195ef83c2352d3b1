/**
 * A reverse proxy in front of an S3 server that adds latency and faults and counts requests per operation.
 * These machines' kernel has no netem, so this is how tests and benchmarks emulate a WAN link to the bucket.
 *
 * The client connects to the proxy and signs `Host: 127.0.0.1:<proxy port>`; the proxy forwards that header
 * unchanged and radosgw verifies the signature against the header it receives, so signatures stay valid.
 * Only path-style requests are classified (forcePathStyle: true, as every loopback client uses).
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { seededRandom } from './seeded-random';

export type S3Operation = 'ListObjects' | 'GetObject' | 'HeadObject' | 'PutObject' | 'DeleteObject' | 'Other';

export interface S3Faults {
  /** Fraction of requests answered 503 SlowDown without reaching the upstream. */
  failRate?: number;
  /** Fraction of requests whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Added before each request is forwarded or faulted. */
  delayMs?: number;
}

export interface S3Proxy {
  endpoint: string;
  port: number;
  /** Requests received per operation, faulted ones included. */
  counts(): Record<S3Operation, number>;
  /** Requests answered with 503 or dropped by the proxy. */
  faulted(): number;
  /** Response body bytes sent to clients. */
  bytesSent(): number;
  /** Each request since the last reset: when it arrived (Date.now()), what it was, and its Range header. */
  log(): { at: number; operation: S3Operation; range: string | undefined; bytes: number }[];
  resetCounts(): void;
  setFaults(f: S3Faults): void;
  stop(): Promise<void>;
}

const OPERATIONS: readonly S3Operation[] = ['ListObjects', 'GetObject', 'HeadObject', 'PutObject', 'DeleteObject', 'Other'];

// Connection-level headers belong to one hop. None of them is in a SigV4 signature (the SDK never signs them),
// so dropping them keeps signatures valid; `expect` goes too because node's server already answered the 100.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);

// Query parameters that keep a bucket GET a listing (v1 and v2); any other one names a subresource (?acl, ?cors…).
const LIST_PARAMS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'marker',
  'encoding-type',
  'fetch-owner',
  'x-id',
]);
// Query parameters that keep an object request a plain GET/HEAD/PUT/DELETE (presigned URLs carry X-Amz-*).
const OBJECT_PARAMS = new Set(['versionid', 'partnumber', 'x-id']);

function isPlainObjectQuery(query: URLSearchParams): boolean {
  for (const name of query.keys()) {
    const lower = name.toLowerCase();
    if (!OBJECT_PARAMS.has(lower) && !lower.startsWith('x-amz-') && !lower.startsWith('response-')) return false;
  }
  return true;
}

export function classifyS3Request(method: string, url: string, headers: IncomingHttpHeaders = {}): S3Operation {
  const parsed = new URL(url, 'http://proxy.invalid');
  const segments = parsed.pathname.split('/');
  // '/bucket' and '/bucket/' address the bucket; '/bucket/key…' an object; '/' the service.
  const bucket = segments[1] ?? '';
  const key = segments.slice(2).join('/');
  if (!bucket) return 'Other';
  const query = parsed.searchParams;
  if (!key) {
    if (method !== 'GET') return 'Other';
    for (const name of query.keys()) if (!LIST_PARAMS.has(name.toLowerCase())) return 'Other';
    return 'ListObjects';
  }
  if (!isPlainObjectQuery(query)) return 'Other';
  switch (method) {
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      return headers['x-amz-copy-source'] === undefined ? 'PutObject' : 'Other';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return 'Other';
  }
}

function checkFaults(f: S3Faults): void {
  for (const name of ['failRate', 'dropRate'] as const) {
    const value = f[name];
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0..1, got ${value}`);
  }
  if (f.delayMs !== undefined && !(f.delayMs >= 0 && Number.isFinite(f.delayMs))) {
    throw new RangeError(`delayMs must be a finite number ≥ 0, got ${f.delayMs}`);
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendS3Error(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  const resource = req.url ?? '';
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    // S3 answers a cross-origin request with the CORS headers of the matching rule even when it refuses it,
    // so a browser can read the status; the proxy's own errors do the same.
    ...(req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {}),
  });
  res.end(body);
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

export async function startS3Proxy(options: {
  target: string;
  delayMs?: number;
  failRate?: number;
  dropRate?: number;
  seed?: number;
}): Promise<S3Proxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`the S3 proxy forwards to http:// only, got ${options.target}`);
  const upstreamPort = Number(target.port || 80);
  const faults: Required<S3Faults> = { failRate: 0, dropRate: 0, delayMs: 0 };
  const setFaults = (f: S3Faults): void => {
    checkFaults(f);
    if (f.failRate !== undefined) faults.failRate = f.failRate;
    if (f.dropRate !== undefined) faults.dropRate = f.dropRate;
    if (f.delayMs !== undefined) faults.delayMs = f.delayMs;
  };
  setFaults(options);

  const random = seededRandom(options.seed ?? 1);
  const emptyCounts = (): Record<S3Operation, number> => Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<S3Operation, number>;
  let counts = emptyCounts();
  let faultedCount = 0;
  let bytesSentCount = 0;
  let requestLog: ReturnType<S3Proxy['log']> = [];
  let requestSerial = 0;
  let stopped = false;

  // Keep-alive upstream, as a client's own pool would be; without it every request pays a TCP handshake.
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const forward = (req: IncomingMessage, res: ServerResponse, entry: ReturnType<S3Proxy['log']>[number]): void => {
    const upstream = request(
      {
        host: target.hostname,
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: withoutHopByHop(req.headers),
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, withoutHopByHop(upstreamRes.headers));
        upstreamRes.on('data', (chunk: Buffer) => {
          bytesSentCount += chunk.length;
          entry.bytes += chunk.length;
        });
        pipeline(upstreamRes, res, () => {
          // Either side closing early destroys both; nothing more to do.
        });
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A 502 is what a client sees from a real gateway whose backend is down (e.g. during restartGateway()),
      // and the SDK retries it like any 5xx.
      sendS3Error(req, res, 502, 'BadGateway', `proxy could not reach ${options.target}: ${error.message}`, `proxy-${requestSerial}`);
    });
    pipeline(req, upstream, () => {
      // An aborted upload destroys the upstream request too; its 'error' handler answers the client.
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const operation = classifyS3Request(req.method ?? 'GET', req.url ?? '/', req.headers);
    counts[operation] += 1;
    const entry = { at: Date.now(), operation, range: req.headers.range, bytes: 0 };
    requestLog.push(entry);
    const serial = ++requestSerial;
    // One draw per request in arrival order, whatever the rates, so a seed names the same fault sequence.
    const draw = random();
    const act = (): void => {
      if (stopped) {
        req.socket.destroy();
        return;
      }
      if (draw < faults.dropRate) {
        faultedCount += 1;
        req.socket.destroy();
      } else if (draw < faults.dropRate + faults.failRate) {
        faultedCount += 1;
        sendS3Error(req, res, 503, 'SlowDown', 'Please reduce your request rate. (fault injected by s3-proxy)', `proxy-fault-${serial}`);
      } else {
        forward(req, res, entry);
      }
    };
    if (faults.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        act();
      }, faults.delayMs);
      timers.add(timer);
    } else {
      act();
    }
  };

  const server = createServer({ keepAlive: true }, handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Clients that die mid-request send garbage or reset; that must not crash a long benchmark.
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the S3 proxy has no TCP address');
  const port = address.port;

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    faulted: () => faultedCount,
    bytesSent: () => bytesSentCount,
    log: () => requestLog.map((entry) => ({ ...entry })),
    resetCounts: () => {
      counts = emptyCounts();
      faultedCount = 0;
      bytesSentCount = 0;
      requestLog = [];
    },
    setFaults,
    stop: () => {
      stopping ??= new Promise<void>((resolveStop) => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolveStop());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      });
      return stopping;
    },
  };
}
