import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagesProxy } from './pages-proxy';

/** The front process's proxy to the page processes, between a real page server on a socket and real clients. */

const RENDER_MS = 150;
let dir: string;
let pages: Server;
let front: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pages-proxy-'));
  const socket = join(dir, 'pages.sock');
  // A page process that takes RENDER_MS to render each page.
  pages = createServer((req, res) => setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`page ${req.url}`), RENDER_MS));
  pages.listen(socket);
  await once(pages, 'listening');
  const proxy = createPagesProxy(socket);
  front = createServer((req, res) => proxy.pass(req, res)).listen(0, '127.0.0.1');
  await once(front, 'listening');
  port = (front.address() as { port: number }).port;
});

afterAll(() => {
  front?.close();
  pages?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });

describe('createPagesProxy', () => {
  it('passes a page through', async () => {
    expect(await get('/experiment/ephys/x')).toEqual({ status: 200, body: 'page /experiment/ephys/x' });
  });

  it('drops the answer to a client that left before its page was rendered, and goes on answering', async () => {
    // A browser's aborted navigation: the request sent, the connection closed before the answer.
    const leaving = connect(port, '127.0.0.1');
    await once(leaving, 'connect');
    leaving.end('GET /experiment/ephys/left HTTP/1.1\r\nHost: localhost\r\n\r\n');
    leaving.destroy();
    // Past the render: an answer piped to the closed response would have thrown in this process.
    await new Promise((resolve) => setTimeout(resolve, RENDER_MS * 2));
    expect(await get('/experiment/ephys/after')).toEqual({ status: 200, body: 'page /experiment/ephys/after' });
  });
});
