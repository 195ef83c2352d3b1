/**
 * `npm run demo`: a local S3 server (s3rver) with the generated demo bucket, crawled into data/demo/search.db,
 * and the app on http://localhost:3000. Ctrl-C stops everything this started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseConfig } from '../lib/config';
import { openDatabase } from '../lib/db/index';
import { applyReaderCors, createS3Client } from '../lib/s3';
import { crawl } from '../crawler/crawl';
import { createProgressReporter } from '../crawler/progress';
import { generateDemoObjects } from './demo-bucket/index';
import { uploadDemoObjects } from './demo-bucket/upload';
import { DEMO_BUCKET, DEMO_S3_CREDENTIALS, DEMO_S3_DEFAULT_PORT } from './demo-bucket/location';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'data', 'demo');
const APP_PORT = Number(process.env.PORT ?? 3000);
const S3_PORT = Number(process.env.DEMO_S3_PORT ?? DEMO_S3_DEFAULT_PORT);
// Loopback unless told otherwise: docker-compose.dev.yml sets 0.0.0.0 so the host's browser reaches both.
const BIND_ADDRESS = process.env.DEMO_BIND_ADDRESS ?? '127.0.0.1';
const BUCKET = DEMO_BUCKET;

const env: Record<string, string> = {
  S3_ENDPOINT: `http://127.0.0.1:${S3_PORT}`,
  S3_BUCKET: BUCKET,
  S3_FORCE_PATH_STYLE: 'true',
  AWS_ACCESS_KEY_ID: DEMO_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DEMO_S3_CREDENTIALS.secretAccessKey,
  DATABASE_PATH: join(DATA, 'search.db'),
  NEXT_TELEMETRY_DISABLED: '1',
};

// The demo's own S3 client and its children (S3 server, build, app) all take their settings from here.
Object.assign(process.env, env);

const children: ChildProcess[] = [];

function start(command: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return child;
}

function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

async function waitForLine(child: ChildProcess, text: string, what: string): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with code ${code} before it was ready`)));
  });
  child.stdout!.pipe(process.stdout);
}

/** True when no source file is newer than the last build. */
async function buildIsCurrent(): Promise<boolean> {
  // The server bundle is the build's last step.
  const serverBundle = join(ROOT, '.next', 'standalone', 'server.mjs');
  if (!existsSync(serverBundle)) return false;
  const built = statSync(serverBundle).mtimeMs;
  for (const dir of ['app', 'lib', 'components', 'public', 'server', 'viewer']) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const entry of await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return false;
    }
  }
  return statSync(join(ROOT, 'next.config.mjs')).mtimeMs <= built && statSync(join(ROOT, 'package.json')).mtimeMs <= built;
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const tsx = ['--import', 'tsx'];

  console.error(`demo: starting S3 server on ${BIND_ADDRESS}:${S3_PORT}`);
  const s3server = start(process.execPath, [
    '--openssl-legacy-provider',
    ...tsx,
    'scripts/demo-s3.ts',
    join(DATA, 's3'),
    String(S3_PORT),
    BUCKET,
    BIND_ADDRESS,
  ]);
  await waitForLine(s3server, 'ready', 'the S3 server');

  const config = parseConfig(process.env);
  console.error('demo: generating the demo bucket (the large NWB file is made once and cached)');
  const objects = await generateDemoObjects({ cacheDir: join(DATA, 'files') });
  const uploader = createS3Client(config.s3);
  const uploaded = await uploadDemoObjects(uploader.client, BUCKET, objects);
  // Browsers follow /data redirects to the bucket and read it cross-origin, as with the lab's (npm run s3:cors).
  await applyReaderCors(uploader.client, BUCKET, [`http://localhost:${APP_PORT}`, `http://127.0.0.1:${APP_PORT}`]);
  uploader.client.destroy();
  console.error(`demo: ${uploaded.uploaded} objects uploaded, ${uploaded.skipped} already there`);
  const s3 = createS3Client(config.s3);

  console.error('demo: crawling');
  const db = openDatabase(config.databasePath);
  const progress = createProgressReporter(process.stderr);
  const summary = await crawl(
    { db, s3, bucket: BUCKET, onProgress: progress.update, onWarning: progress.warn },
    { prefixes: config.prefixes, concurrency: 16, rebuild: false, dryRun: false },
  );
  progress.stop();
  db.$client.close();
  s3.client.destroy();
  console.error(`demo: ${JSON.stringify(summary)}`);
  if (summary.status !== 'succeeded') throw new Error(`the crawl ${summary.status}: ${summary.error ?? 'see above'}`);

  if (!(await buildIsCurrent())) {
    console.error('demo: building the app');
    const build = start('npm', ['run', 'build']);
    build.stdout!.pipe(process.stderr);
    const [code] = (await once(build, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`npm run build failed with code ${code}`);
  }

  const app = start('bash', ['scripts/start.sh'], { BIND_ADDRESS, PORT: String(APP_PORT) });
  await waitForLine(app, 'Ready', 'the app');
  console.error(`demo: open http://localhost:${APP_PORT}  (Ctrl-C stops the app and the S3 server)`);
  await once(app, 'exit');
}

process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
process.on('SIGTERM', () => {
  stopAll();
  process.exit(143);
});

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  stopAll();
  process.exitCode = 1;
});
