/**
 * `npm run bench:data`: HEAD and the GET redirect of /data/<uuid> on the production server (npm run build
 * first) at 16 connections, over the synthetic 100k-experiment index of bench:search. Prints requests per
 * second, p50/p99 and the S3 requests made during the run, counted by a proxy in front of the S3 endpoint
 * (the target: none, for both).
 *
 * Flags: --connections N (16), --seconds N per method (10).
 */
import Database from 'better-sqlite3';
import { startS3Proxy } from '../scripts/s3-proxy';
import { httpClient, percentile, runLoad, startAppServer } from './support/app-server';
import { benchIndex } from './support/bench-index';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';

const { connections: CONNECTIONS, seconds: SECONDS } = benchFlags(z.object({ connections: countFlag(16, 1, 1024), seconds: countFlag(10, 1, 3600) }));
const PORT = 3229;
const DB = await benchIndex();
const uuids = new Database(DB, { readonly: true }).prepare('SELECT uuid FROM objects ORDER BY random() LIMIT 2000').pluck().all() as string[];

// Nothing listens behind this proxy: any S3 request the app made would be counted (and fail).
const s3 = await startS3Proxy({ target: 'http://127.0.0.1:9' });
const server = await startAppServer(PORT, {
  DATABASE_PATH: DB,
  S3_BUCKET: 'braingeneers',
  S3_ENDPOINT: s3.endpoint,
  // Signing is local: any key pair signs; no request carries these anywhere.
  AWS_ACCESS_KEY_ID: 'BENCHKEY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
});
const { send, close } = httpClient(PORT, CONNECTIONS);

async function load(method: 'HEAD' | 'GET', expected: number) {
  for (const uuid of uuids.slice(0, 50)) await send(method, `/data/${uuid}`);
  s3.resetCounts();
  const run = await runLoad({
    send,
    connections: CONNECTIONS,
    seconds: SECONDS,
    next: (i) => ({ method, path: `/data/${uuids[i % uuids.length]}`, label: method, expected }),
  });
  const { errors, seconds } = run;
  const latencies = run.latencies.get(method) ?? [];
  latencies.sort((a, b) => a - b);
  const at = (p: number) => percentile(latencies, p).toFixed(2);
  const s3Requests = Object.values(s3.counts()).reduce((a, b) => a + b, 0);
  return `| ${method}${method === 'GET' ? ' (302)' : ''} | ${(latencies.length / seconds).toFixed(0)} | ${at(50)} | ${at(99)} | ${errors} | ${s3Requests} |`;
}

const rows = [await load('HEAD', 200), await load('GET', 302)];
close();
await server.stop();
await s3.stop();
console.log(`\n/data/<uuid> over 1,000,000 indexed objects, ${CONNECTIONS} connections, ${SECONDS} s per method\n`);
console.log('| request | req/s | p50 ms | p99 ms | errors | S3 requests |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\ntargets: >= 3,000 HEAD/s; zero S3 requests for HEAD and for the GET redirect`);
console.log(`rerun: npm run bench:data -- --connections ${CONNECTIONS} --seconds ${SECONDS}`);
