import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatShape, PATCHES, patchH5Web } from '../scripts/h5web-shape-format';

const island = createRequire(new URL('../viewer/h5web/package.json', import.meta.url));
const app = island.resolve('@h5web/app');
const lib = createRequire(app).resolve('@h5web/lib');

describe("H5Web's shape format, as the island's build replaces it", () => {
  it('groups digits and joins dimensions with ×', () => {
    expect(formatShape([1_440_000, 64])).toBe('1,440,000 × 64 (92,160,000 values)');
    expect(formatShape([26_400])).toBe('26,400');
    expect(formatShape([])).toBe('Scalar');
  });

  it('finds both places in the installed H5Web and replaces them', () => {
    expect(PATCHES.map((p) => [app, lib].filter((path) => p.file.test(path)).length)).toEqual([1, 1]);
    const panel = patchH5Web(readFileSync(app, 'utf8'), app);
    expect(panel).not.toContain('join(" x ")');
    const body = /function na\(e\) \{\n\t([\s\S]*?values\)';)\n\}/.exec(panel)?.[1];
    expect(body, 'the replaced function').toBeDefined();
    // The function as the bundle now holds it, run on a shape.
    expect(new Function('e', body!)([1_440_000, 64])).toBe('1,440,000 × 64 (92,160,000 values)');
    expect(patchH5Web(readFileSync(lib, 'utf8'), lib)).toContain('children: [t > 0 ? " × " : " ", e.toLocaleString("en-US")]');
    expect(() => patchH5Web('function na(e) {}', app)).toThrow(/another H5Web version/);
  });
});
