import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_BASE_URL } from './server';

// Against the production server (scripts/start.sh): what range readers depend on over real HTTP.
const NWB = readFileSync(join(process.cwd(), '..', 'shared/fixtures/nwb/ecephys-kilosort-gzip.nwb'));

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
