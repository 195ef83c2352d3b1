/**
 * Thin, strict layer over h5wasm for writing demo files.
 *
 * h5wasm reports most HDF5 failures only as "HDF5-DIAG" text on stderr: a failed create_dataset
 * returns null, a failed write returns normally. Every helper here turns that into an exception.
 */
import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm/node';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { patchHdf5File, type HeaderPatchOptions } from './hdf5-header-patch';

export type { H5File, Dataset, Group };
export type DatasetArgs = Parameters<Group['create_dataset']>[0];
type AttributeData = Parameters<Group['create_attribute']>[1];

let ready: Promise<void> | null = null;

export function h5Ready(): Promise<void> {
  ready ??= h5wasm.ready.then(() => undefined);
  return ready;
}

export function createDataset(group: Group, args: DatasetArgs): Dataset {
  const dataset = group.create_dataset(args);
  if (!(dataset instanceof Dataset)) throw new Error(`h5wasm could not create ${group.path}/${args.name}`);
  return dataset;
}

export function createGroup(parent: Group, name: string): Group {
  const group = parent.create_group(name);
  if (!(group instanceof Group)) throw new Error(`h5wasm could not create group ${parent.path}/${name}`);
  return group;
}

/** Attributes as pynwb writes them: strings as variable-length UTF-8, numbers as float64 unless told. */
export function setAttributes(target: Group | Dataset, attrs: Record<string, AttributeData>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'number') target.create_attribute(name, value, null, Number.isInteger(value) ? '<q' : '<d');
    else target.create_attribute(name, value);
  }
}

export function setFloatAttribute(target: Group | Dataset, name: string, value: number): void {
  // Without an explicit dtype h5wasm stores 30000.0 as an int32.
  target.create_attribute(name, value, null, '<d');
}

/** `fixedTime` (Unix seconds) is stamped into every object header, so output does not depend on the clock. */
export type H5WriteOptions = HeaderPatchOptions;

/** Opens `path` for writing, runs `build`, closes, then makes the bytes reproducible. */
export async function writeH5File(path: string, options: H5WriteOptions, build: (file: H5File) => void): Promise<void> {
  await h5Ready();
  const file = new h5wasm.File(path, 'w');
  try {
    build(file);
  } finally {
    file.close();
  }
  const result = patchHdf5File(path, options);
  if (result.headers === 0) throw new Error(`no HDF5 object headers found to stamp in ${path}`);
  if (options.closedFilter && result.pipelines === 0) throw new Error(`no filter pipeline found to close in ${path}`);
}

/** Same as writeH5File for small files that are served from memory; `scratchDir` holds the temporary file. */
export async function buildH5Buffer(scratchDir: string, name: string, options: H5WriteOptions, build: (file: H5File) => void): Promise<Buffer> {
  const path = join(scratchDir, `${name}.${process.pid}.h5`);
  try {
    await writeH5File(path, options, build);
    return readFileSync(path);
  } finally {
    rmSync(path, { force: true });
  }
}
