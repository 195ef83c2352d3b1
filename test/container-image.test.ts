import type { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../contracts/search-answer';
import { freePort } from '../scripts/free-port';
import { command, containerLogs, docker, inspect } from './support/docker';
import { metadataFixture, nwbFixture } from './support/fixtures';
import { tempDir } from './support/index';
import { createTestBucket, putObjects, testClient, testS3 } from './support/s3';

// The real Dockerfile, built and run as production runs it (README.md, "Deployment"): the web container with
// the index volume, the crawler container once into the same volume, then the scheduler. The containers use
// the host's network, where radosgw listens on 127.0.0.1, as the lab's server reaches its Ceph.
const IMAGE = 'braingeneers-search:test';
const BUILD_STAGE = 'braingeneers-search:test-build';
const EXPERIMENT = { prefix: 'ephys', uuid: '2023-08-14-e-GABA_v0_nwb' };
const NWB_KEY = `${EXPERIMENT.prefix}/${EXPERIMENT.uuid}/shared/kilosort.nwb`;
const run = randomUUID().slice(0, 8);
const names = { web: `bgs-web-${run}`, schedule: `bgs-schedule-${run}`, index: `bgs-index-${run}`, scheduleIndex: `bgs-schedule-index-${run}` };

interface ImageFacts {
  Size: number;
  Config: { User: string; Env: string[]; Healthcheck?: { Test: string[] } };
}
interface ContainerFacts {
  State: { Running: boolean; ExitCode: number; Health?: { Status: string } };
}
interface ExperimentAnswer {
  files: { uuid: string; key: string; size: number; preview?: { url: string } }[];
}

let client: S3Client;
let bucket: string;
let aws: { path: string; remove(): void };
let origin: string;
let port: number;

/** What every container of the app is given: the bucket, and the index in the named volume at /data. */
function appArgs(volume: string): string[] {
  const s3 = testS3();
  return [
    '--network',
    'host',
    '-v',
    `${volume}:/data`,
    '-e',
    `S3_ENDPOINT=${s3.endpoint}`,
    '-e',
    `S3_REGION=${s3.region}`,
    '-e',
    `S3_BUCKET=${bucket}`,
  ];
}

/** The web container as the README runs it: credentials from the mounted ~/.aws, a profile named for it. */
function startWeb(): Promise<string> {
  const health = ['--health-interval', '2s', '--health-start-period', '60s'];
  const env = ['-e', 'S3_PROFILE=web', '-e', 'BIND_ADDRESS=127.0.0.1', '-e', `PORT=${port}`, '-e', `SITE_URL=${origin}`];
  return docker(['run', '-d', '--name', names.web, ...appArgs(names.index), '-v', `${aws.path}:/aws:ro`, ...env, ...health, IMAGE]);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      failure = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s (last: ${JSON.stringify(last) ?? String(failure)})`);
}

const healthStatus = async () => (await fetch(`${origin}/api/health`)).status;
const search = async (q: string) => (await (await fetch(`${origin}/api/search?q=${encodeURIComponent(q)}`)).json()) as SearchResponse;
/** The crawler's credentials as the environment gives them, the README's other way. */
function credentialsFromEnvironment(): string[] {
  const s3 = testS3();
  return ['-e', `AWS_ACCESS_KEY_ID=${s3.accessKeyId}`, '-e', `AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}`];
}

beforeAll(async () => {
  await command('bash', ['scripts/docker-engine.sh']);
  const base = (await command('bash', ['scripts/node-base-image.sh'], { timeoutMs: 600_000 })).trim();
  const started = performance.now();
  // The build stage under a name of its own keeps its layers (npm install) as a cache for the next run.
  const arg = ['--build-arg', `BASE_IMAGE=${base}`];
  await docker(['build', ...arg, '--target', 'build', '-t', BUILD_STAGE, '.'], 1_200_000);
  await docker(['build', ...arg, '-t', IMAGE, '.'], 600_000);
  const seconds = (performance.now() - started) / 1000;
  // What earlier runs' builds left behind, now that both stages are named again.
  await docker(['image', 'prune', '-f']);
  const built = { seconds, bytes: (await inspect<ImageFacts>('image', IMAGE)).Size, baseBytes: (await inspect<ImageFacts>('image', base)).Size };
  const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
  console.log(
    `image built in ${seconds.toFixed(0)} s: ${mb(built.bytes)} MB, ${mb(built.bytes - built.baseBytes)} MB over its base (${mb(built.baseBytes)} MB)`,
  );

  client = testClient();
  bucket = await createTestBucket(client, 'container');
  await putObjects(client, bucket, {
    [`${EXPERIMENT.prefix}/${EXPERIMENT.uuid}/metadata.json`]: metadataFixture('maxwell-nwb.json'),
    [NWB_KEY]: nwbFixture('ecephys-kilosort-gzip.nwb'),
  });
  const s3 = testS3();
  aws = tempDir('container-aws');
  writeFileSync(join(aws.path, 'credentials'), `[web]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`);
  // The container's user (uid 10001) reads the mounted folder, as it reads a deploy user's ~/.aws.
  chmodSync(aws.path, 0o755);
  chmodSync(join(aws.path, 'credentials'), 0o644);
  for (const volume of [names.index, names.scheduleIndex]) await docker(['volume', 'create', volume]);
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
}, 1_800_000);

afterAll(async () => {
  await docker(['rm', '-f', names.web, names.schedule]).catch(() => undefined);
  await docker(['volume', 'rm', '-f', names.index, names.scheduleIndex]).catch(() => undefined);
  aws?.remove();
  client?.destroy();
});

describe('the container image', () => {
  it('runs as uid 10001 with a health check, and its config and history hold no credentials', async () => {
    const image = await inspect<ImageFacts>('image', IMAGE);
    expect(image.Config.User).toBe('app');
    expect(image.Config.Healthcheck?.Test.join(' ')).toContain('/api/health');
    // The run stage's history, and the build stage's (the image's is only the former).
    const history = (await Promise.all([IMAGE, BUILD_STAGE].map((i) => docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', i])))).join(
      '\n',
    );
    expect(history).toContain('useradd --uid 10001');
    expect(history).toContain('npm run build');
    const s3 = testS3();
    for (const text of [JSON.stringify(image), history]) {
      expect(text).not.toContain(s3.secretAccessKey);
      expect(text).not.toContain(s3.accessKeyId);
    }
    expect(image.Config.Env.filter((e) => e.startsWith('AWS_ACCESS') || e.startsWith('AWS_SECRET'))).toEqual([]);
    // The files too: nothing of the build context's data, environment or credentials came in.
    const listing = await docker(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'ls -a /app /app/.next; id -u']);
    expect(listing).not.toMatch(/^(data|\.env.*|\.aws|\.git)$/m);
    expect(listing.trim().split('\n').at(-1)).toBe('10001');
  });

  it('web answers 503 before the first crawl, and all it serves once the crawler container has indexed into the same volume', {
    timeout: 240_000,
  }, async () => {
    await startWeb();
    expect(await waitFor(healthStatus, (status) => status === 503, 'a 503 from the fresh web container')).toBe(503);

    const crawl = await docker(['run', '--rm', ...appArgs(names.index), ...credentialsFromEnvironment(), IMAGE, 'node', 'crawler.mjs']);
    expect(JSON.parse(crawl.trim().split('\n').at(-1)!)).toMatchObject({ status: 'succeeded', experiments: { new: 1 } });

    expect(await waitFor(healthStatus, (status) => status === 200, 'health 200 after the crawl')).toBe(200);
    // Searches may answer from the index as it was for SEARCH_STALE_SECONDS (5) after the crawl's commit.
    const found = await waitFor(
      () => search('kilosort'),
      (answer) => answer.total > 0,
      'the crawled experiment in search',
      15_000,
    );
    expect(found.total).toBe(1);
    expect(found.results[0]).toMatchObject(EXPERIMENT);

    const page = await fetch(`${origin}/experiment/${EXPERIMENT.prefix}/${EXPERIMENT.uuid}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(EXPERIMENT.uuid);
    expect(html).toContain('kilosort.nwb');

    const { files } = (await (await fetch(`${origin}/api/experiments/${EXPERIMENT.prefix}/${EXPERIMENT.uuid}`)).json()) as ExperimentAnswer;
    const nwb = files.find((f) => f.key === NWB_KEY)!;
    const head = await fetch(`${origin}/data/${nwb.uuid}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(nwb.size);
    expect((await fetch(`${origin}/data/${randomUUID()}`, { method: 'HEAD' })).status).toBe(404);

    // Drawn by sharp's native module in the crawler container, served by the web container.
    const preview = await fetch(`${origin}${nwb.preview!.url}`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/png');
    const worker = await fetch(`${origin}/viewer/h5-worker.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toContain('javascript');
    expect((await worker.text()).length).toBeGreaterThan(10_000);

    // The logs name requests, never a key.
    const { stdout, stderr } = await containerLogs(names.web);
    expect(stdout + stderr).toContain('"msg":"request"');
    expect(stdout + stderr).not.toContain(testS3().secretAccessKey);
  });

  it("reports healthy to Docker through the image's HEALTHCHECK, its server running as uid 10001", { timeout: 120_000 }, async () => {
    const state = await waitFor(
      () => inspect<ContainerFacts>('container', names.web),
      (c) => c.State.Health?.Status === 'healthy',
      'the health check reporting healthy',
    );
    expect(state.State.Health?.Status).toBe('healthy');
    const status = await docker(['exec', names.web, 'sh', '-c', 'grep ^Uid: /proc/1/status']);
    expect(status.split(/\s+/).slice(1, 3)).toEqual(['10001', '10001']);
    // Every process of the server: the front process, its page processes.
    const processes = (await docker(['top', names.web, '-o', 'pid,uid,args'])).trim().split('\n').slice(1);
    expect(processes.length).toBeGreaterThanOrEqual(2);
    for (const line of processes) expect(line).toMatch(/^\s*\d+\s+10001\s+\S*node /);
  });

  it('stops on SIGTERM within its grace period and answers the same after a restart', { timeout: 180_000 }, async () => {
    const before = await search('GABA');
    expect(before.total).toBe(1);
    const stopped = performance.now();
    await docker(['stop', '--time', '20', names.web], 60_000);
    expect(performance.now() - stopped).toBeLessThan(15_000);
    const exited = await inspect<ContainerFacts>('container', names.web);
    expect(exited.State).toMatchObject({ Running: false, ExitCode: 0 });

    await docker(['start', names.web]);
    expect(await waitFor(healthStatus, (status) => status === 200, 'health 200 after the restart')).toBe(200);
    expect(await search('GABA')).toEqual(before);
  });

  it('crawl-schedule.mjs crawls an empty index at once and stops cleanly', { timeout: 240_000 }, async () => {
    await docker([
      'run',
      '-d',
      '--name',
      names.schedule,
      ...appArgs(names.scheduleIndex),
      ...credentialsFromEnvironment(),
      IMAGE,
      'node',
      'crawl-schedule.mjs',
    ]);
    const { stdout, stderr } = await waitFor(
      () => containerLogs(names.schedule),
      (logs) => logs.stderr.includes('"crawl ended"'),
      'the scheduler’s first crawl',
      120_000,
    );
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; exitCode?: number });
    expect(lines.map((l) => l.msg)).toContain('crawl starting');
    expect(lines.find((l) => l.msg === 'crawl ended')).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ status: 'succeeded', experiments: { new: 1 } });
    await docker(['stop', names.schedule], 60_000);
    expect((await inspect<ContainerFacts>('container', names.schedule)).State.ExitCode).toBe(0);
  });
});
