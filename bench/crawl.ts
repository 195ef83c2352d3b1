/**
 * `npm run bench:crawl`: the crawler against radosgw behind a proxy adding 20 ms per request.
 * Prints, for a first crawl, an unchanged re-crawl, a crawl of an index whose manifests predate summaries and
 * one of an index without previews: seconds, S3 requests by kind, previews drawn, experiments per second;
 * what summarising each kind of HDF5 file cost (range requests, bytes and milliseconds per file, and its
 * summary's size in the index) and what drawing its preview took of S3; and, for comparison, the lab's old
 * sequential way (a one-key listing then a GET per experiment) on a sample. Then the recent pass (`--recent 3`):
 * over the unchanged bucket, and after an experiment dated today is uploaded, with its S3 requests and the
 * seconds from the upload until a search finds it.
 *
 * Flags: --experiments N (default 5000), --files N per experiment (default 10), --delay MS (default 20),
 *        --concurrency N (default 16), --hdf5 N real HDF5 files among them (default 60; bench/support/hdf5-files.ts).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import type { Hdf5FileCost } from '../crawler/context';
import { crawl, type CrawlOptions, type CrawlSummary } from '../crawler/crawl';
import { daysBefore } from '../lib/folder-dates';
import { searchParamsSchema, toSearchRequest } from '../contracts/search-params';
import { searchExperiments } from '../lib/search/run';
import { openDatabase } from '../lib/db/index';
import { createS3Client } from '../lib/s3';
import { startProxyProcess } from './support/proxy-process';
import { uploadObjects } from './support/upload';
import { startRadosgw } from '../scripts/radosgw';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { benchFlags, countFlag } from './support/flags';
import { costTable, hdf5Kinds, placeHdf5Files, previewCostTable } from './support/hdf5-files';

const {
  experiments: EXPERIMENTS,
  files: FILES,
  delay: DELAY,
  concurrency: CONCURRENCY,
  hdf5: HDF5,
} = benchFlags(
  z.object({
    experiments: countFlag(5000),
    files: countFlag(10, 1, 1000),
    delay: countFlag(20, 0, 10_000),
    concurrency: countFlag(16, 1, 256),
    hdf5: countFlag(60, 0, 100_000),
  }),
);
const OLD_WAY_SAMPLE = 100;
const BUCKET = 'bench-crawl';

const server = await startRadosgw();
const dir = mkdtempSync(join(tmpdir(), 'bgs-bench-crawl-'));
try {
  process.env.AWS_ACCESS_KEY_ID = server.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = server.secretAccessKey;
  const objects: Map<string, string | Uint8Array> = syntheticBucketObjects({ experiments: EXPERIMENTS, filesPerExperiment: FILES });
  const kinds = placeHdf5Files(objects, await hdf5Kinds(), HDF5);
  const direct = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true });
  const uploadStart = performance.now();
  await uploadObjects(direct, BUCKET, objects);
  console.error(`uploaded ${objects.size} objects in ${((performance.now() - uploadStart) / 1000).toFixed(1)} s`);

  const proxy = await startProxyProcess(server.endpoint, DELAY);
  const config = {
    endpoint: proxy.endpoint,
    publicEndpoint: proxy.endpoint,
    region: server.region,
    bucket: BUCKET,
    profile: undefined,
    forcePathStyle: true,
    maxAttempts: 3,
    presignTtlSeconds: 3600,
  };
  const db = openDatabase(join(dir, 'search.db'));
  const run = async (extra: Partial<CrawlOptions> = {}): Promise<CrawlSummary & { cpuSeconds: number; files: Hdf5FileCost[] }> => {
    const s3 = createS3Client(config, { maxSockets: CONCURRENCY });
    const cpu = process.cpuUsage();
    const files: Hdf5FileCost[] = [];
    try {
      const summary = await crawl(
        { db, s3, bucket: BUCKET, onHdf5File: (file) => files.push(file) },
        { prefixes: ['archive', 'ephys', 'fluidics', 'imaging', 'integrated'], concurrency: CONCURRENCY, rebuild: false, dryRun: false, ...extra },
      );
      const used = process.cpuUsage(cpu);
      return { ...summary, cpuSeconds: (used.user + used.system) / 1e6, files };
    } finally {
      s3.client.destroy();
    }
  };
  const first = await run();
  const second = await run();
  // An index whose manifests were built before summaries were: each summary comes from the stored manifest.
  db.$client.prepare("UPDATE hdf5_manifests SET summary = NULL WHERE status = 'built'").run();
  const fromStored = await run();
  // An index from before previews: each preview is drawn over the stored manifest, its data read from S3.
  db.$client.prepare('DELETE FROM file_previews').run();
  const withoutPreviews = await run();
  // The recent pass, as the scheduler runs it between full crawls: over the unchanged bucket, then after an
  // upload dated today, timed from the upload's start until a search finds it.
  const recentQuiet = await run({ recentDays: 3 });
  const uploaded = performance.now();
  await direct.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `ephys/${daysBefore(new Date(), 0)}-e-bench_new_upload/metadata.json`,
      Body: JSON.stringify({ notes: { purpose: 'uploaded during the benchmark: zebrafinch' } }),
    }),
  );
  const recentNew = await run({ recentDays: 3 });
  const found = searchExperiments(db.$client, toSearchRequest(searchParamsSchema.parse({ q: 'zebrafinch' }))).total;
  const toSearchable = (performance.now() - uploaded) / 1000;
  const summaryBytes = new Map(
    (
      db.$client
        .prepare('SELECT o.key, length(m.summary) AS bytes FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id WHERE m.summary IS NOT NULL')
        .all() as { key: string; bytes: number }[]
    ).map((r) => [r.key, r.bytes]),
  );

  // The old crawler: for each experiment, a one-key listing to see that metadata.json exists, then a GET.
  const viaProxy = new S3Client({ endpoint: proxy.endpoint, region: server.region, forcePathStyle: true });
  const sample = [...objects.keys()].filter((k) => k.endsWith('/metadata.json')).slice(0, OLD_WAY_SAMPLE);
  const oldStart = performance.now();
  for (const key of sample) {
    await viaProxy.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key, MaxKeys: 1 }));
    await (await viaProxy.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  }
  const oldPerExperiment = (performance.now() - oldStart) / 1000 / sample.length;
  viaProxy.destroy();
  direct.destroy();
  db.$client.close();
  await proxy.stop();

  const requestsOf = (s: CrawlSummary) =>
    Object.entries(s.s3Requests)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const row = (name: string, s: CrawlSummary & { cpuSeconds: number }) => {
    const total = Object.values(s.experiments).reduce((a, b) => a + b, 0) - s.experiments.deleted;
    const requests = requestsOf(s);
    const indexing = s.seconds - s.manifests.seconds;
    const { built, small, fromStored: stored, notHdf5, unreadable, failed, reads, bytesRead } = s.manifests;
    const walked = built + small + stored + notHdf5 + unreadable + failed;
    const manifests = `${s.manifests.seconds.toFixed(2)} (${walked} files: ${built + small} summarised from S3, ${stored} from stored manifests, ${notHdf5} not HDF5; ${reads} range GETs, ${(bytesRead / 1e6).toFixed(1)} MB)`;
    const { previewsDrawn, previewsSkipped, previewReads, previewBytes } = s.manifests;
    const previews = `${previewsDrawn} drawn, ${previewsSkipped} skipped; ${previewReads} range GETs, ${(previewBytes / 1e6).toFixed(1)} MB of data`;
    return `| ${name} | ${s.status} | ${s.seconds.toFixed(2)} | ${indexing.toFixed(2)} | ${manifests} | ${previews} | ${s.cpuSeconds.toFixed(2)} | ${requests} | ${(total / indexing).toFixed(0)} |`;
  };
  console.log(`\n${EXPERIMENTS} experiments x ${FILES} objects, +${DELAY} ms per request, concurrency ${CONCURRENCY}\n`);
  console.log('| run | status | seconds | indexing s | HDF5 manifests s | previews | crawler CPU s | S3 requests | experiments/s (indexing) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(row('first crawl', first));
  console.log(row('unchanged re-crawl', second));
  console.log(row('index from before summaries', fromStored));
  console.log(row('index from before previews', withoutPreviews));
  console.log(
    `| old sequential way (${OLD_WAY_SAMPLE}-experiment sample) | - | ${(oldPerExperiment * EXPERIMENTS).toFixed(1)} (extrapolated; ${(oldPerExperiment * 1000).toFixed(0)} ms/experiment) | - | - | - | - | ListObjectsV2 + GetObject per experiment | ${(1 / oldPerExperiment).toFixed(0)} |`,
  );
  console.log(`\nRecent pass (--recent 3) over ${EXPERIMENTS} experiments:\n`);
  console.log('| pass | status | seconds | experiments listed (new) | S3 requests |');
  console.log('|---|---|---|---|---|');
  for (const [name, s] of [
    ['unchanged bucket', recentQuiet],
    ['after an upload dated today', recentNew],
  ] as const) {
    const listed = s.experiments.new + s.experiments.updated + s.experiments.unchanged + s.experiments.failed;
    console.log(`| ${name} | ${s.status} | ${s.seconds.toFixed(2)} | ${listed} (${s.experiments.new}) | ${requestsOf(s)} |`);
  }
  console.log(
    `\nupload to searchable: ${toSearchable.toFixed(2)} s with the pass run at once (search finds ${found}); the scheduler adds up to CRAWL_RECENT_SECONDS of waiting for its next pass`,
  );
  console.log(`\nSummarising HDF5 files, first crawl (${kinds.size} real HDF5 files among the placeholders):\n`);
  for (const line of costTable(first.files, kinds, summaryBytes)) console.log(line);
  console.log('\nThe same files in the index from before summaries (summaries from the stored manifests):\n');
  for (const line of costTable(fromStored.files, kinds, summaryBytes)) console.log(line);
  console.log('\nPreviews, first crawl (their data past the structure; the reads are among the range GETs above):\n');
  for (const line of previewCostTable(first.files, kinds)) console.log(line);
  console.log('\nPreviews drawn for an index from before previews (over the stored manifests):\n');
  for (const line of previewCostTable(withoutPreviews.files, kinds)) console.log(line);
  console.log(
    `\nrerun: npm run bench:crawl -- --experiments ${EXPERIMENTS} --files ${FILES} --delay ${DELAY} --concurrency ${CONCURRENCY} --hdf5 ${HDF5}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
