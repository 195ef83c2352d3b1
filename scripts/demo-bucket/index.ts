/**
 * Deterministic demo bucket: about 60 Braingeneers-style experiments under archive/, ephys/,
 * fluidics/, imaging/ and integrated/, with metadata in every layout the crawler must handle.
 * The same bytes come out on every run; nothing reads the clock or Math.random.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_METADATA_KEYS, EXPERIMENTS, type Experiment } from './catalog';
import { experimentObjects, type DemoObject } from './experiment-files';
import { removeAbandoned } from './file-cache';
import { h5Ready } from './h5-file';

export type { DemoObject } from './experiment-files';

/** Keys of the metadata.json files that are deliberately not valid JSON (truncated, NaN, empty, BOM). */
export const DEMO_BROKEN_KEYS: string[] = [...BROKEN_METADATA_KEYS];

/**
 * All objects of the demo bucket (or of some of its experiments). Large files (NWB) are written once into
 * cacheDir and reused when already present and complete.
 */
export async function generateDemoObjects(options: { cacheDir: string; experiments?: readonly Experiment[] }): Promise<DemoObject[]> {
  await h5Ready();
  mkdirSync(options.cacheDir, { recursive: true });
  removeAbandoned(options.cacheDir, 'scratch-');
  const scratchDir = join(options.cacheDir, `scratch-${process.pid}`);
  mkdirSync(scratchDir, { recursive: true });
  try {
    const objects: DemoObject[] = [];
    // One experiment at a time: h5wasm is synchronous and single-instance anyway.
    for (const experiment of options.experiments ?? EXPERIMENTS)
      objects.push(...(await experimentObjects(experiment, { cacheDir: options.cacheDir, scratchDir })));
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const duplicate = objects.find((o, i) => i > 0 && objects[i - 1]?.key === o.key);
    if (duplicate) throw new Error(`demo bucket key generated twice: ${duplicate.key}`);
    return objects;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
