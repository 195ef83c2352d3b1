/**
 * `npm run bench:viewer`: opening the first second of a large NWB recording in Chromium, the viewer's way
 * against the lab's old way, with a proxy adding 20 ms per request in front of S3.
 *
 * - viewer: /files/<uuid> with the trace view on the first second of all channels: the worker asks
 *   /api/files once (with the file's manifest, built by the crawl), then reads through its block cache
 *   (one Range request per miss, read-ahead).
 * - old way: h5wasm's createLazyFile on /data/<uuid> (HEAD, then 1 MiB GETs through the redirect),
 *   reading the same selection, in the same browser.
 * Printed: requests and bytes (from the app and from S3), and the time to the first drawn trace; then, on the
 * open page, the overview of the whole file, and jumps to a window in the middle and at the end (requests,
 * bytes and seconds each). Run with --delay 300 for the lab's Ceph.
 *
 * Flags: --seconds N of recording (default 1900: a gzip-compressed file of about 1.06 GB), --channels N (64),
 *        --delay ms per S3 request (20). The file is generated once into data/bench/.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { chromium, type Page } from '@playwright/test';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hdf5FileCost } from '../crawler/context';
import { crawl } from '../crawler/crawl';
import { objectUuid } from '../lib/db/crawl-store';
import { openDatabase } from '../lib/db/index';
import { applyReaderCors, createS3Client } from '../lib/s3';
import { MAXWELL_CONVERSION } from '../scripts/demo-bucket/recordings';
import { writeNwb } from '../scripts/demo-bucket/nwb-writer';
import { startRadosgw } from '../scripts/radosgw';
import { startS3Proxy, type S3Proxy } from '../scripts/s3-proxy';
import { startAppServer } from './support/app-server';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';

const {
  seconds: SECONDS,
  channels: CHANNELS,
  delay: DELAY_MS,
} = benchFlags(z.object({ seconds: countFlag(1900, 1, 100_000), channels: countFlag(64, 1, 4096), delay: countFlag(20, 0, 10_000) }));
const RATE = 20_000;
const PORT = 3221;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ROOT = join(import.meta.dirname, '..');
const BUCKET = 'bench-viewer';
const EXPERIMENT = 'ephys/2024-05-21-e-bench_large_nwb';
const KEY = `${EXPERIMENT}/shared/recording.nwb`;

async function recordingFile(): Promise<string> {
  const path = join(ROOT, 'data', 'bench', `viewer-${CHANNELS}ch-${SECONDS}s.nwb`);
  if (existsSync(path)) return path;
  mkdirSync(join(ROOT, 'data', 'bench'), { recursive: true });
  console.error(`generating ${path} (${CHANNELS} channels × ${SECONDS} s at ${RATE} Hz, gzip)…`);
  const started = performance.now();
  await writeNwb(
    `${path}.partial`,
    {
      identifier: 'bench/recording',
      sessionDescription: 'bench:viewer recording',
      sessionStartTime: '2024-05-21T14:03:11-07:00',
      experimentDescription: 'a long MaxOne recording for the viewer benchmark',
      experimenter: 'bench',
      lab: 'Braingeneers',
      institution: 'UC Santa Cruz',
      device: { name: 'MaxOne', description: 'MaxOne high-density MEA', manufacturer: 'MaxWell Biosystems' },
      electrodeGroup: { name: 'chip1', description: 'routed electrodes', location: 'organoid' },
      subject: { subjectId: 'bench', species: 'Homo sapiens', description: 'organoid' },
      signal: {
        seed: 'bench-viewer',
        channels: CHANNELS,
        sampleRate: RATE,
        frames: SECONDS * RATE,
        conversion: MAXWELL_CONVERSION,
        units: CHANNELS / 2,
        burstIntervalS: 6,
      },
      chunks: [16384, CHANNELS],
      gzipLevel: 4,
      pitchUm: 17.5,
      holds: [],
    },
    Date.UTC(2024, 4, 21) / 1000,
  );
  rmSync(path, { force: true });
  (await import('node:fs')).renameSync(`${path}.partial`, path);
  console.error(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return path;
}

interface Measured {
  appRequests: number;
  /** Bodies of the app's answers: /api/files carries the file's manifest. */
  appBytes: number;
  s3Requests: number;
  s3Bytes: number;
  ms: number;
  /** When each request was sent, in ms from the start. */
  timeline: string[];
}

interface AppRequest {
  at: number;
  request: string;
  bytes: Promise<number>;
}

/** Requests the page (and its workers) sends to the app's file endpoints: when they were sent, and their answers' size. */
function appRequests(page: Page): AppRequest[] {
  const seen: AppRequest[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== ORIGIN || !(url.pathname.startsWith('/data/') || url.pathname.startsWith('/api/'))) return;
    const bytes = new Promise<number>((resolve) => {
      const done = (finished: typeof r) => {
        if (finished !== r) return;
        page.off('requestfinished', done);
        r.sizes().then(
          (sizes) => resolve(sizes.responseBodySize),
          () => resolve(0),
        );
      };
      page.on('requestfinished', done);
    });
    seen.push({ at: Date.now(), request: `${r.method()} ${url.pathname}`, bytes });
  });
  return seen;
}

/** Counts what happened from `started` to `until` (Date.now() times): the viewer goes on to read the units table. */
async function measured(app: AppRequest[], s3: ReturnType<S3Proxy['log']>, started: number, until: number): Promise<Measured> {
  const before = s3.filter((r) => r.at >= started && r.at <= until && r.operation === 'GetObject');
  const appBefore = app.filter((r) => r.at >= started && r.at <= until);
  const appBytes = (await Promise.all(appBefore.map((r) => r.bytes))).reduce((n, b) => n + b, 0);
  const timeline = [...appBefore.map((r) => ({ at: r.at, what: r.request })), ...before.map((r) => ({ at: r.at, what: `S3 ${r.range ?? 'all'}` }))]
    .sort((a, b) => a.at - b.at)
    .map((r) => `${r.at - started} ms ${r.what}`);
  return {
    appRequests: appBefore.length,
    appBytes,
    s3Requests: before.length,
    s3Bytes: before.reduce((n, r) => n + r.bytes, 0),
    ms: until - started,
    timeline,
  };
}

const path = await recordingFile();
const size = statSync(path).size;
const s3 = await startRadosgw();
const dir = mkdtempSync(join(tmpdir(), 'bench-viewer-'));
try {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // A streamed body with a checksum computed on the fly goes aws-chunked, which radosgw refuses without a
    // length; the plain upload keeps Content-Length.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  console.error(`uploading ${(size / 1e9).toFixed(2)} GB to radosgw…`);
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: createReadStream(path), ContentLength: size }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${EXPERIMENT}/metadata.json`, Body: '{"notes": {"purpose": "viewer benchmark"}}' }));
  await applyReaderCors(client, BUCKET, [ORIGIN]);
  client.destroy();

  const database = join(dir, 'search.db');
  const db = openDatabase(database);
  const config = {
    endpoint: s3.endpoint,
    publicEndpoint: s3.endpoint,
    region: s3.region,
    bucket: BUCKET,
    profile: undefined,
    forcePathStyle: true,
    maxAttempts: 3,
    presignTtlSeconds: 3600,
  };
  // The crawl reads through a proxy of its own with the same delay: what walking the file costs it.
  const crawlProxy = await startS3Proxy({ target: s3.endpoint, delayMs: DELAY_MS });
  const crawler = createS3Client({ ...config, endpoint: crawlProxy.endpoint });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey });
  const walks: Hdf5FileCost[] = [];
  const summary = await crawl(
    { db, s3: crawler, bucket: BUCKET, onHdf5File: (file) => walks.push(file) },
    { prefixes: ['ephys'], concurrency: 4, rebuild: false, dryRun: false },
  );
  crawler.client.destroy();
  await crawlProxy.stop();
  const summaryBytes = db.$client
    .prepare('SELECT length(m.summary) FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE o.key = ?')
    .pluck()
    .get(KEY) as number;
  db.$client.close();
  if (summary.status !== 'succeeded') throw new Error(`crawl ${summary.status}`);
  if (summary.manifests.built !== 1) throw new Error(`the crawl built no manifest for the recording: ${JSON.stringify(summary.manifests)}`);
  console.error(`crawled in ${summary.seconds.toFixed(1)} s, the recording's manifest included`);
  const walk = walks.find((w) => w.key === KEY)!;

  // Browsers reach the bucket through the proxy: every S3 request they make pays the delay and is counted.
  const proxy = await startS3Proxy({ target: s3.endpoint, delayMs: DELAY_MS });
  const app = await startAppServer(PORT, {
    DATABASE_PATH: database,
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: s3.endpoint,
    S3_PUBLIC_ENDPOINT: proxy.endpoint,
    S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const fileUuid = objectUuid(BUCKET, KEY);
  const results: Record<string, Measured> = {};
  const jumps: Record<string, Measured> = {};
  let overview: (Measured & { status: string }) | undefined;
  try {
    {
      const context = await browser.newContext({ baseURL: ORIGIN });
      const page = await context.newPage();
      // Load the app's page and scripts first, so both ways start from an open page.
      await page.goto('/');
      // The moment the trace view has its window, in the page, as the clock the proxy's log uses.
      await page.addInitScript((channels) => {
        new MutationObserver((_, observer) => {
          if (!document.querySelector(`[data-testid="trace"][data-channels="${channels}"]`)) return;
          (window as unknown as { traceDrawnAt: number }).traceDrawnAt = Date.now();
          observer.disconnect();
        }).observe(document, { subtree: true, childList: true, attributes: true });
      }, CHANNELS);
      const seen = appRequests(page);
      proxy.resetCounts();
      const started = Date.now();
      await page.goto(`/files/${fileUuid}?t=0&d=1&ch=0&n=${CHANNELS}`);
      await page
        .getByTestId('trace')
        .and(page.locator(`[data-channels="${CHANNELS}"]`))
        .waitFor({ timeout: 120_000 });
      const drawnAt = await page.evaluate(() => (window as unknown as { traceDrawnAt: number }).traceDrawnAt);
      results.viewer = await measured(seen, proxy.log(), started, drawnAt);
      // The overview of the whole file starts once the first trace is drawn, and ends when it says how it was made.
      await page.locator('[data-testid="overview"][data-sampled]').waitFor({ timeout: 600_000 });
      overview = {
        ...(await measured(seen, proxy.log(), drawnAt, Date.now())),
        status: (await page.getByTestId('overview-status').textContent()) ?? '',
      };
      // A user typing a time: the window in the middle of the file, then its last second.
      for (const [name, seconds] of [
        ['jump to the middle', SECONDS / 2],
        ['jump to the end', SECONDS - 1],
      ] as const) {
        const jumped = Date.now();
        await page.getByLabel('start (s)').fill(String(seconds));
        await page.locator(`[data-testid="trace"][data-first-sample="${Math.round(seconds * RATE)}"]`).waitFor({ timeout: 120_000 });
        jumps[name] = await measured(seen, proxy.log(), jumped, Date.now());
      }
      await context.close();
    }
    {
      const context = await browser.newContext({ baseURL: ORIGIN });
      const page = await context.newPage();
      await page.goto('/');
      const seen = appRequests(page);
      proxy.resetCounts();
      const started = Date.now();
      const answer = await page.evaluate(
        ({ url, slice }) =>
          new Promise<{ error?: string; shape?: number[] }>((resolve) => {
            const worker = new Worker('/viewer/lazy-file-reader.js', { type: 'module' });
            worker.onmessage = (event) => resolve(event.data);
            worker.onerror = (event) => resolve({ error: event.message });
            worker.postMessage({ url, path: '/acquisition/ElectricalSeries/data', slice });
          }),
        {
          url: `/data/${fileUuid}`,
          slice: [
            [0, RATE],
            [0, CHANNELS],
          ] as [number, number][],
        },
      );
      if (answer.error) throw new Error(`the old way failed: ${answer.error}`);
      results['old way'] = await measured(seen, proxy.log(), started, Date.now());
      await context.close();
    }
  } finally {
    await browser.close();
    await app.stop();
    await proxy.stop();
  }

  const viewer = results.viewer!;
  const old = results['old way']!;
  console.log(
    `\nfirst second of ${CHANNELS} channels of a ${(size / 1e9).toFixed(2)} GB NWB (${SECONDS} s at ${RATE} Hz, chunks 16384 × ${CHANNELS}, gzip), ${DELAY_MS} ms added per S3 request\n`,
  );
  console.log('| way | requests to the app | requests to S3 | all requests | bytes from the app | bytes from S3 | all bytes | time to first trace |');
  console.log('|---|---|---|---|---|---|---|---|');
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${r.appRequests} | ${r.s3Requests} | ${r.appRequests + r.s3Requests} | ${mb(r.appBytes)} | ${mb(r.s3Bytes)} | ${mb(r.appBytes + r.s3Bytes)} | ${(r.ms / 1000).toFixed(2)} s |`,
    );
  }
  const fewerRequests = (old.appRequests + old.s3Requests) / (viewer.appRequests + viewer.s3Requests);
  const fewerBytes = (old.appBytes + old.s3Bytes) / (viewer.appBytes + viewer.s3Bytes);
  console.log(
    `\n${fewerRequests.toFixed(1)}x fewer requests, ${fewerBytes.toFixed(1)}x fewer bytes; first trace in ${(viewer.ms / 1000).toFixed(2)} s`,
  );
  console.log('targets: >= 3x fewer requests, >= 2x fewer bytes, first trace within 2 s');
  console.log(
    `\nthe crawl's walk of the file (manifest and summary), ${DELAY_MS} ms per S3 request: ${walk.reads} range GETs, ${(walk.bytes / 1024).toFixed(0)} KiB (${((100 * walk.bytes) / size).toFixed(3)} % of the file), ${walk.ms.toFixed(0)} ms; its summary takes ${(summaryBytes / 1024).toFixed(1)} KiB of the index`,
  );
  console.log(`\nonce the first trace is drawn, ${DELAY_MS} ms per S3 request (the worker is idle before each jump)\n`);
  console.log('| what | requests to S3 (round trips) | bytes from S3 | seconds |');
  console.log('|---|---|---|---|');
  for (const [name, r] of [...Object.entries(jumps), ['overview of the whole file', overview!] as const]) {
    console.log(`| ${name} | ${r.s3Requests} | ${mb(r.s3Bytes)} | ${(r.ms / 1000).toFixed(2)} s |`);
  }
  console.log(`overview: ${overview!.status}`);
  console.log('targets: a jump in <= 2 S3 round trips and <= 1.5 s from the click (at +300 ms)');
  for (const [name, r] of Object.entries({ ...results, ...jumps, overview: overview! }))
    console.log(`${name}, requests as sent: ${r.timeline.join(', ')}`);
  console.log("(the old way's time is reading the data in its worker; the viewer's includes loading the page, its worker and drawing)");
} finally {
  rmSync(dir, { recursive: true, force: true });
  await s3.stop();
}
