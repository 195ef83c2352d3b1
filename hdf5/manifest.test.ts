import { describe, expect, it } from 'vitest';
import { ManifestBytes, mergeRanges, packManifest } from './manifest';

const FILE = Uint8Array.from({ length: 5_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
const bytesAt = (start: number, length: number) => FILE.slice(start, start + length);

describe('manifest ranges', () => {
  it('merges overlapping and touching reads into sorted ranges and drops empty ones', () => {
    expect(
      mergeRanges([
        [100, 10],
        [0, 8],
        [105, 20],
        [125, 5],
        [8, 0],
        [200, 1],
      ]),
    ).toEqual([
      [0, 8],
      [100, 30],
      [200, 1],
    ]);
  });

  it('answers reads inside one range with the file bytes, and nothing that crosses a gap', () => {
    const manifest = packManifest(
      [
        [0, 512],
        [300, 400],
        [4000, 96],
        [2048, 8],
      ],
      bytesAt,
    );
    expect(manifest.ranges).toEqual([
      [0, 700],
      [2048, 8],
      [4000, 96],
    ]);
    const known = new ManifestBytes(manifest);
    for (const [position, length] of [
      [0, 8],
      [100, 600],
      [2048, 8],
      [4050, 46],
    ] as const) {
      expect(known.get(position, length), `${position}+${length}`).toEqual(bytesAt(position, length));
    }
    for (const [position, length] of [
      [600, 200],
      [700, 1],
      [2047, 2],
      [2050, 8],
      [4095, 2],
      [10, 5000],
    ] as const) {
      expect(known.get(position, length), `${position}+${length}`).toBeUndefined();
    }
  });

  it('refuses a manifest whose data does not match its ranges', () => {
    expect(() => new ManifestBytes({ ranges: [[0, 10]], bytes: new Uint8Array(9) })).toThrow(/cover 10 bytes/);
  });
});
