import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSyntheticIndex } from './synthetic-index';

const ROOT = join(import.meta.dirname, '..', '..');

/** The benchmarks' synthetic index (data/bench/search-<experiments>-<objects>.db), built once and kept. */
export async function benchIndex(options: { experiments?: number; objects?: number; rebuild?: boolean; recordings?: boolean } = {}): Promise<string> {
  const { experiments = 100_000, objects = 1_000_000, rebuild = false, recordings = true } = options;
  const path = join(ROOT, 'data', 'bench', `search-${experiments}-${objects}${recordings ? '' : '-no-recordings'}.db`);
  if (rebuild || !existsSync(path)) {
    mkdirSync(join(ROOT, 'data', 'bench'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    console.error(`building ${path} (${experiments} experiments, ${objects} objects)…`);
    const built = await buildSyntheticIndex({ path, experiments, objects, recordings });
    console.error(`built in ${built.seconds.toFixed(1)} s`);
  }
  return path;
}
