/**
 * `npm run bench:load`: the site under mixed load while a crawl writes the index.
 *
 * A bucket of 5,000 experiments × 10 objects on radosgw; the index starts with the newest 1,000 (so the
 * site has something to serve); then, at the same time, a crawl of all 5,000 (the crawler CLI in its own
 * process, through a proxy adding 50 ms per S3 request so it lasts most of the run) and 60 s of load at 64
 * connections: searches (a pool of words and fragments from the index), experiment pages, and HEAD and GET
 * of /data/<uuid>. Printed per kind: requests per second, p50 and p99; the server's own search time and
 * event loop delay (from its log); the CPU seconds each group of processes used during the load, and the
 * machine's idle and stolen time; errors; SQLITE_BUSY seen in the server's log; the crawl's status and how
 * long it overlapped the load.
 *
 * Everything shares this machine's cores, unlike in production, where the bucket and the network are
 * elsewhere: radosgw's daemons and the latency proxy run at nice 10 (as the crawler runs itself), and the
 * load generator at nice -5 so that its own waiting is not counted as the site's (both when run as root).
 * --same-priority leaves every process at the default.
 *
 * The server has SITE_URL, as in production, so it renders the newest 1,000 experiments' pages before it
 * listens (server/page-cache.ts): the pages the load asks for. --without-site-url leaves it unset, and every
 * page's first view is then rendered under the load.
 *
 * Flags: --experiments N (5000), --files N (10), --connections N (64), --seconds N (60), --delay ms (50),
 *        --same-priority, --without-site-url.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../lib/db/index';
import { startRadosgw } from '../scripts/radosgw';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { seededRandom } from '../scripts/seeded-random';
import { httpClient, loggedLines, percentile, runLoad, startAppServer } from './support/app-server';
import { setProcessPriority } from '../lib/process-priority';
import { watchCpu } from './support/cpu-time';
import { environmentOf, processesMatching } from './support/processes';
import { startProxyProcess } from './support/proxy-process';
import { uploadObjects } from './support/upload';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';

const flags = benchFlags(
  z.object({
    experiments: countFlag(5000),
    files: countFlag(10, 1, 1000),
    connections: countFlag(64, 1, 1024),
    seconds: countFlag(60, 1, 3600),
    delay: countFlag(50, 0, 10_000),
    'same-priority': z.boolean().default(false),
    'without-site-url': z.boolean().default(false),
  }),
  ['same-priority', 'without-site-url'],
);
const { experiments: EXPERIMENTS, files: FILES, connections: CONNECTIONS, seconds: SECONDS, delay: DELAY } = flags;
const INITIAL = Math.min(1000, EXPERIMENTS);
const PORT = 3223;
const BUCKET = 'bench-load';
const ROOT = join(import.meta.dirname, '..');

const s3 = await startRadosgw();
const dir = mkdtempSync(join(tmpdir(), 'bgs-bench-load-'));
try {
  const objects = syntheticBucketObjects({ experiments: EXPERIMENTS, filesPerExperiment: FILES });
  const direct = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  console.error(`uploading ${objects.size} objects…`);
  await uploadObjects(direct, BUCKET, objects);
  direct.destroy();
  const proxy = await startProxyProcess(s3.endpoint, DELAY);
  const bucketPriority = flags['same-priority']
    ? 'radosgw and the proxy at the default priority'
    : [...processesMatching(s3.dir), proxy.pid].map((pid) => setProcessPriority(10, pid)).every(Boolean)
      ? 'radosgw and the proxy at nice 10'
      : 'radosgw and the proxy at the default priority (not permitted)';
  const database = join(dir, 'search.db');
  const env = {
    S3_ENDPOINT: proxy.endpoint,
    S3_BUCKET: BUCKET,
    S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    DATABASE_PATH: database,
    // As production sets it (docker-compose.yml, deploy/k8s/web.yaml).
    ...(flags['without-site-url'] ? {} : { SITE_URL: `http://127.0.0.1:${PORT}` }),
  };
  const crawl = (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'crawler/cli.ts', '--concurrency', '16', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const started = performance.now();
    return new Promise<{ status: string; seconds: number; experiments: Record<string, number> }>((resolve) =>
      child.on('close', () => resolve({ ...JSON.parse(out.trim().split('\n').at(-1) ?? '{}'), wall: (performance.now() - started) / 1000 })),
    );
  };
  console.error(`initial index: the newest ${INITIAL} experiments…`);
  console.error(`  ${(await crawl(['--count', String(INITIAL)])).status}`);

  // What the load asks for, from the initial index.
  const db = openDatabase(database);
  const paths = (db.$client.prepare('SELECT path FROM experiments').all() as { path: string }[]).map((r) => r.path);
  const files = (db.$client.prepare('SELECT uuid FROM objects LIMIT 20000').all() as { uuid: string }[]).map((r) => r.uuid);
  const words = new Set<string>();
  for (const { purpose, uuid } of db.$client.prepare('SELECT purpose, uuid FROM experiments LIMIT 400').all() as {
    purpose: string | null;
    uuid: string;
  }[]) {
    for (const word of (purpose ?? '').toLowerCase().match(/[a-z0-9]{4,}/g) ?? []) words.add(word);
    words.add(uuid.split('-').slice(3, 5).join('-'));
  }
  db.$client.close();
  const queries = [...words].slice(0, 300);

  let log = '';
  // Debug: the server's event loop delay lines, which this bench reads, are debug lines.
  const serverStarted = performance.now();
  const server = await startAppServer(PORT, { ...env, LOG_LEVEL: 'debug' }, (text) => (log += text));
  const readyAfter = (performance.now() - serverStarted) / 1000;
  const { send, close } = httpClient(PORT, CONNECTIONS);
  // After the server started, which would otherwise inherit it; the crawl started below sets its own.
  const loadPriority = flags['same-priority']
    ? 'the load generator at the default priority'
    : setProcessPriority(-5)
      ? 'the load generator at nice -5'
      : 'the load generator at the default priority (not permitted)';
  const random = seededRandom(5);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;

  const serverProcesses = processesMatching('.next/standalone/server.mjs');
  const cpu = watchCpu(() => ({
    'front process': serverProcesses.filter((pid) => environmentOf(pid, 'SERVER_ROLE') === 'front'),
    'page processes': serverProcesses.filter((pid) => environmentOf(pid, 'SERVER_ROLE') === 'pages'),
    crawler: processesMatching('crawler/cli.ts'),
    'radosgw and its Ceph daemons': processesMatching(s3.dir),
    'latency proxy': [proxy.pid],
    'load generator': [process.pid],
  }));
  console.error(`load: ${CONNECTIONS} connections for ${SECONDS} s while the full crawl runs…`);
  const loadStarted = performance.now();
  const fullCrawl = crawl([]).then((summary) => ({ ...summary, endedAfter: (performance.now() - loadStarted) / 1000 }));
  const run = await runLoad({
    send,
    connections: CONNECTIONS,
    seconds: SECONDS,
    next: () => {
      const r = random();
      if (r < 0.5) return { method: 'GET', path: `/api/search?q=${encodeURIComponent(pick(queries))}`, label: 'search', expected: 200 };
      if (r < 0.7) return { method: 'GET', path: `/experiment/${pick(paths)}`, label: 'experiment page', expected: 200 };
      if (r < 0.85) return { method: 'HEAD', path: `/data/${pick(files)}`, label: 'HEAD /data', expected: 200 };
      return { method: 'GET', path: `/data/${pick(files)}`, label: 'GET /data (302)', expected: 302 };
    },
  });
  const cpuUse = cpu.stop();
  close();
  const crawled = await fullCrawl;
  await server.stop();
  await proxy.stop();

  const busy = (log.match(/SQLITE_BUSY|database is locked/g) ?? []).length;
  // The server's own time per search (from its request log): what the client waited beyond it was queueing.
  const serverSearch = loggedLines<{ path: string; ms: number }>(log, 'request')
    .filter(({ path }) => path === '/api/search')
    .map(({ ms }) => ms)
    .sort((a, b) => a - b);
  const loopDelays = loggedLines<{ p99Ms: number; maxMs: number; gcMaxMs: number }>(log, 'event loop delay');
  console.log(
    `\n${SECONDS} s at ${CONNECTIONS} connections; crawl of ${EXPERIMENTS} experiments × ${FILES} files (${DELAY} ms per S3 request) running alongside; ${bucketPriority}, ${loadPriority}\n`,
  );
  // The second half apart: experiment pages are kept once rendered, and at the start every one is a first view.
  console.log('| request | share | req/s | p50 ms | p99 ms | second half p50 / p99 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, latencies] of run.latencies) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const sentAt = run.sentAt.get(label)!;
    const late = latencies.filter((_, i) => sentAt[i]! >= run.seconds / 2).sort((a, b) => a - b);
    console.log(
      `| ${label} | ${((100 * sorted.length) / run.completed).toFixed(0)} % | ${(sorted.length / run.seconds).toFixed(0)} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${percentile(late, 50).toFixed(1)} / ${percentile(late, 99).toFixed(1)} |`,
    );
  }
  const all = [...run.latencies.values()].flat().sort((a, b) => a - b);
  console.log(
    `| **all** | 100 % | ${(run.completed / run.seconds).toFixed(0)} | ${percentile(all, 50).toFixed(1)} | ${percentile(all, 99).toFixed(1)} | |`,
  );
  console.log(
    `\nsearch as the server timed it (request log, arrival to last byte): p50 ${percentile(serverSearch, 50)} ms, p99 ${percentile(serverSearch, 99)} ms`,
  );
  const worst = (key: 'p99Ms' | 'maxMs' | 'gcMaxMs') => Math.max(...loopDelays.map((d) => d[key]));
  console.log(
    `the front process's event loop delay over ${loopDelays.length} 10 s intervals: worst p99 ${worst('p99Ms')} ms, worst max ${worst('maxMs')} ms; longest GC pause ${worst('gcMaxMs')} ms`,
  );
  const cores = (cpuUse.busy + cpuUse.idle + cpuUse.steal) / run.seconds;
  const share = (seconds: number) => `${seconds.toFixed(1)} s (${((100 * seconds) / (run.seconds * cores)).toFixed(0)} %)`;
  console.log(
    `CPU time during the load, of ${cores.toFixed(1)} cores × ${run.seconds.toFixed(0)} s: ${Object.entries(cpuUse.byGroup)
      .map(([group, seconds]) => `${group} ${share(seconds)}`)
      .join(', ')}; idle ${share(cpuUse.idle)}; taken by the hypervisor (steal) ${share(cpuUse.steal)}`,
  );
  const [ahead] = loggedLines<{ pages: number; keptMb: number; ms: number }>(log, 'experiment pages rendered ahead');
  console.log(
    `the server was ready ${readyAfter.toFixed(1)} s after it started${ahead ? `, having rendered ${ahead.pages} experiment pages ahead (${ahead.keptMb} MB kept) in ${(ahead.ms / 1000).toFixed(1)} s` : ''}`,
  );
  const logged = log.split('\n').filter((line) => line.includes('"level":"error"'));
  if (logged.length) console.log(`server errors logged: ${logged.length}; the first: ${logged.slice(0, 3).join(' | ').slice(0, 600)}`);
  const failures = [...run.failures].map(([failure, count]) => `${failure} × ${count}`).join(', ');
  console.log(
    `errors: ${run.errors} of ${run.completed}${failures ? ` (${failures})` : ''}; SQLITE_BUSY or "database is locked" in the server log: ${busy}`,
  );
  console.log(`crawl: ${crawled.status}, ${JSON.stringify(crawled.experiments)}, ended ${crawled.endedAfter.toFixed(1)} s after the load started`);
  console.log('targets: zero errors, no SQLITE_BUSY while the crawl writes, search p99 under 100 ms');
} finally {
  rmSync(dir, { recursive: true, force: true });
  await s3.stop();
}
