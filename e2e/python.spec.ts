import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { objectUuid } from '../lib/db/crawl-store';
import { E2E_FILTER_KEY, E2E_NWB_KEY } from './server';

/** Debian's Python, with h5py, fsspec and aiohttp (scripts/ensure-system-deps.sh installs them). */
const PYTHON = '/usr/bin/python3';

function runPython(code: string): string {
  const run = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`${PYTHON} did not run: ${run.error.message} (install python3-h5py python3-fsspec python3-aiohttp)`);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

async function snippetOf(page: import('@playwright/test').Page, key: string): Promise<string> {
  await page.goto(`/files/${objectUuid(process.env.S3_BUCKET!, key)}`);
  await page.getByText('Open in Python').click();
  return (await page.getByTestId('python-snippet').textContent())!;
}

test('the Python snippet opens the file where it is, as written, with no credential in it', async ({ page, baseURL }) => {
  const code = await snippetOf(page, E2E_FILTER_KEY);
  expect(code).toContain(`url = "${baseURL}/data/${objectUuid(process.env.S3_BUCKET!, E2E_FILTER_KEY)}"`);
  for (const secret of [process.env.AWS_ACCESS_KEY_ID!, process.env.AWS_SECRET_ACCESS_KEY!, 'X-Amz-', 'Signature'])
    expect(code).not.toContain(secret);
  // Run as shown: it lists every group and dataset of the file.
  const printed = runPython(code).trim().split('\n');
  expect(printed).toEqual([
    'acquisition',
    'acquisition/ElectricalSeries',
    'acquisition/ElectricalSeries/data',
    'acquisition/ElectricalSeries/starting_time',
  ]);
});

test('the NWB snippet opens the file with h5py over HTTP; the data it reads is the file’s', async ({ page }) => {
  const code = await snippetOf(page, E2E_NWB_KEY);
  expect(code).toContain('from pynwb import NWBHDF5IO');
  // pynwb is not a Debian package: the snippet's lines before it run, then read what pynwb would.
  const open = code.slice(0, code.indexOf('from pynwb'));
  const printed = runPython(
    `${open}\nimport json\nfile = h5py.File(remote, "r")\nprint(json.dumps(file["/acquisition/ElectricalSeries/data"][0:3, 0].tolist()))`,
  );
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const { fixturePath } = await import('../test/support/fixtures');
  const file = new h5wasm.File(fixturePath('nwb', 'ecephys-kilosort-gzip.nwb'), 'r');
  const data = file.get('/acquisition/ElectricalSeries/data') as InstanceType<typeof h5wasm.Dataset>;
  const channels = data.shape![1]!;
  const values = data.value as Int16Array;
  file.close();
  expect(JSON.parse(printed)).toEqual([0, 1, 2].map((i) => values[i * channels]));
});
