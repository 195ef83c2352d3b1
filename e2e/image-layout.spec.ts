import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Dockerfile's run stage, without Docker (no engine on these machines): the standalone build with
// .next/static and public copied in, started with `node server.mjs` from its folder, as the image's CMD.
test('the server starts from the image layout and serves pages, assets, the viewer worker and health', async ({ request }) => {
  const app = mkdtempSync(join(tmpdir(), 'bgs-image-'));
  cpSync('.next/standalone', app, { recursive: true });
  rmSync(join(app, '.next', 'static'), { recursive: true, force: true });
  rmSync(join(app, 'public'), { recursive: true, force: true });
  cpSync('.next/static', join(app, '.next', 'static'), { recursive: true });
  cpSync('public', join(app, 'public'), { recursive: true });
  const port = 3227;
  const server = spawn(process.execPath, ['server.mjs'], {
    cwd: app,
    env: { ...process.env, HOSTNAME: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready') && resolve());
      server.once('exit', (code) => reject(new Error(`server.mjs exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const health = await request.get(`${base}/api/health`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const page = await request.get(`${base}/`);
    expect(page.status()).toBe(200);
    const asset = /\/_next\/static\/[^"]+\.js/.exec(await page.text())?.[0];
    expect((await request.get(`${base}${asset}`)).status()).toBe(200);
    const worker = await request.get(`${base}/viewer/h5-worker.js`);
    expect(worker.status()).toBe(200);
    expect(worker.headers()['content-type']).toContain('javascript');
  } finally {
    server.kill('SIGTERM');
    rmSync(app, { recursive: true, force: true });
  }
});
