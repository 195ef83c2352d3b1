import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { E2E_BASE_URL } from './server';
import { fixturePath } from '../test/support/fixtures';

// Against the production server (scripts/start.sh): what range readers depend on over real HTTP.
const NWB = readFileSync(fixturePath('nwb', 'ecephys-kilosort-gzip.nwb'));

test('HEAD /data/<uuid> carries the size, and a ranged GET follows the redirect to the bytes', async ({ request }) => {
  const uuid = process.env.E2E_NWB_UUID!;
  const head = await request.head(`/data/${uuid}`);
  expect(head.status()).toBe(200);
  // Next.js would drop Content-Length from a route's response; the server calls this route directly.
  expect(head.headers()['content-length']).toBe(String(NWB.length));
  expect(head.headers()['accept-ranges']).toBe('bytes');

  const ranged = await request.get(`/data/${uuid}`, { headers: { Range: 'bytes=0-1023' } });
  expect(ranged.status()).toBe(206);
  expect(ranged.headers()['content-range']).toBe(`bytes 0-1023/${NWB.length}`);
  expect(Buffer.from(await ranged.body()).equals(NWB.subarray(0, 1024))).toBe(true);
});

test('curl -L with a range gets the bytes', () => {
  const bytes = execFileSync('curl', ['-sfL', '-r', '512-1023', `${E2E_BASE_URL}/data/${process.env.E2E_NWB_UUID}`]);
  expect(bytes.equals(NWB.subarray(512, 1024))).toBe(true);
});

test("h5wasm's lazy file in a Web Worker reads the NWB through /data/<uuid>, equal to Node's read", async ({ page }) => {
  const path = '/acquisition/ElectricalSeries/data';
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const local = new h5wasm.File(fixturePath('nwb', 'ecephys-kilosort-gzip.nwb'), 'r');
  const dataset = local.get(path) as InstanceType<typeof h5wasm.Dataset>;
  const expected = { shape: dataset.shape, values: Array.from(dataset.value as Int16Array) };
  local.close();

  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).host}`));
  await page.goto('/');
  const result = await page.evaluate(
    ({ url, path }) =>
      new Promise((resolve) => {
        const worker = new Worker('/viewer/lazy-file-reader.js', { type: 'module' });
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage({ url, path });
      }),
    { url: `/data/${process.env.E2E_NWB_UUID}`, path },
  );
  expect(result).toMatchObject({ shape: expected.shape, dtype: '<h', values: expected.values });
  // The lazy file asked the app for the size (HEAD), then read its bytes from the bucket.
  const app = new URL(E2E_BASE_URL).host;
  expect(requests).toContain(`HEAD ${app}`);
  expect(requests.some((r) => r.startsWith('GET ') && !r.endsWith(app))).toBe(true);
});
