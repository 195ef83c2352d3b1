/**
 * An esbuild plugin for the island's bundle (scripts/build.ts): H5Web 17 writes a dataset's shape without
 * grouping digits, `1440000 x 64 = 92160000` in its metadata panel and `n 1440000 64` beside its dimension
 * sliders, hard to read for a recording. These two places of its bundle are replaced to write
 * `1,440,000 × 64 (92,160,000 values)` and `n 1,440,000 × 64`. The build fails if either is not found
 * (another H5Web version), rather than ship the old format silently.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

interface Patch {
  /** The bundle it applies to. */
  file: RegExp;
  original: string;
  replacement: string;
}

/**
 * The metadata panel's shape (`e` is H5Web's array of dimensions): digits grouped, dimensions joined by ×,
 * the count of values after. Plain JavaScript, as it goes into H5Web's bundle.
 */
const FORMAT_SHAPE = `const count = (n) => n.toLocaleString('en-US');
  if (e.length === 0) return 'Scalar';
  if (e.length === 1) return count(e[0]);
  return e.map(count).join(' × ') + ' (' + count(e.reduce((a, b) => a * b, 1)) + ' values)';`;

export const PATCHES: Patch[] = [
  {
    file: /@h5web[\\/]app[\\/]dist[\\/]index\.js$/,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: H5Web's own source, a template literal, as text
    original: 'return e.length === 0 ? "Scalar" : e.length === 1 ? e.toString() : `${e.join(" x ")} = ${e.reduce((e, t) => e * t)}`;',
    replacement: FORMAT_SHAPE,
  },
  {
    // The dimension mapper's sizes (`e` a size, `t` its dimension).
    file: /@h5web[\\/]lib[\\/]dist[\\/]index\.js$/,
    original: 'className: Os.dimSize,\n\t\t\t\t\t\tchildren: [" ", e]',
    replacement: 'className: Os.dimSize,\n\t\t\t\t\t\tchildren: [t > 0 ? " × " : " ", e.toLocaleString("en-US")]',
  },
];

/** The metadata panel's function as the bundle then holds it, for tests. */
export const formatShape = new Function('e', FORMAT_SHAPE) as (dims: number[]) => string;

/** A bundle of H5Web's with its patches applied; throws when one is not found. */
export function patchH5Web(source: string, path: string): string {
  let patched = source;
  for (const patch of PATCHES.filter((p) => p.file.test(path))) {
    if (!patched.includes(patch.original))
      throw new Error(`${path}: H5Web's shape format is not the one this plugin replaces (another H5Web version?)`);
    patched = patched.replace(patch.original, patch.replacement);
  }
  return patched;
}

export const h5webShapeFormat: Plugin = {
  name: 'h5web-shape-format',
  setup(build) {
    for (const { file } of PATCHES) {
      build.onLoad({ filter: file }, async (args) => ({ contents: patchH5Web(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
    }
  },
};
