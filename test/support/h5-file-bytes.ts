import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileOptions, File as H5File } from 'h5wasm/node';

/** The bytes of an HDF5 file that `build` writes with h5wasm, in a temporary folder removed afterwards. */
export async function h5FileBytes(build: (file: H5File) => void, options?: FileOptions): Promise<Buffer> {
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const dir = mkdtempSync(join(tmpdir(), 'bgs-h5-'));
  try {
    const path = join(dir, 'file.h5');
    const file = new h5wasm.File(path, 'w', options);
    try {
      build(file);
    } finally {
      file.close();
    }
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
