import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Dockerfile's run stage, without Docker (no engine on these machines): the standalone build with
// .next/static and public copied in, started with `node server.mjs` from its folder, as the image's CMD.
test('the server starts from the image layout, serves pages, assets, the worker and health, and logs JSON lines without secrets', async ({
  request,
}) => {
  const app = mkdtempSync(join(tmpdir(), 'bgs-image-'));
  cpSync('.next/standalone', app, { recursive: true });
  rmSync(join(app, '.next', 'static'), { recursive: true, force: true });
  rmSync(join(app, 'public'), { recursive: true, force: true });
  cpSync('.next/static', join(app, '.next', 'static'), { recursive: true });
  cpSync('public', join(app, 'public'), { recursive: true });
  const port = 3227;
  const server = spawn(process.execPath, ['server.mjs'], {
    cwd: app,
    env: { ...process.env, BIND_ADDRESS: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
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

    // Logs: a request id from the proxy is echoed and logged; a presigned redirect leaves no signature behind.
    const redirect = await request.get(`${base}/data/${process.env.E2E_NWB_UUID}?download=1`, {
      maxRedirects: 0,
      headers: { 'X-Request-Id': 'e2e-log-check-1', Cookie: 'session=e2e-cookie-value' },
    });
    expect(redirect.status()).toBe(302);
    expect(redirect.headers()['x-request-id']).toBe('e2e-log-check-1');
    expect(redirect.headers().location).toContain('X-Amz-Signature=');
    expect((await request.get(`${base}/api/search?q=secret-search-words`)).headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => output.includes('e2e-log-check-1')).toBe(true);
    // Every line, Next.js's own start-up lines included.
    const records = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringMatching(/^✓ Running next\.config/) }));
    expect(records).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'request', requestId: 'e2e-log-check-1', method: 'GET', status: 302 }),
    );
    for (const secret of ['X-Amz-Signature', 'X-Amz-Credential', process.env.AWS_SECRET_ACCESS_KEY!, 'e2e-cookie-value', 'secret-search-words']) {
      expect(output).not.toContain(secret);
    }
  } finally {
    server.kill('SIGTERM');
    rmSync(app, { recursive: true, force: true });
  }
});
