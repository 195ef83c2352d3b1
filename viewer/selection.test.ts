import { describe, expect, it } from 'vitest';
import { MAX_READ_BYTES } from './protocol';
import { planRead } from './selection';

describe('planRead', () => {
  it('reads everything without a selection, and drops the dimensions picked by an index', () => {
    expect(planRead([100, 10], undefined, 2)).toEqual({
      ranges: [
        [0, 100],
        [0, 10],
      ],
      shape: [100, 10],
      bytes: 2000,
    });
    expect(planRead([100, 10], [{ start: 25, stop: 50 }, 3], 2)).toEqual({
      ranges: [
        [25, 50],
        [3, 4],
      ],
      shape: [25],
      bytes: 50,
    });
    expect(planRead([], undefined, 8)).toEqual({ ranges: [], shape: [], bytes: 8 });
  });

  it('clamps indices and ranges to the dataset, never reading a negative length', () => {
    expect(
      planRead(
        [100, 10],
        [
          { start: 90, stop: 500 },
          { start: -5, stop: 2 },
        ],
        2,
      ).ranges,
    ).toEqual([
      [90, 100],
      [0, 2],
    ]);
    expect(planRead([100, 10], [{ start: 80, stop: 20 }, 99], 2)).toMatchObject({
      ranges: [
        [80, 80],
        [9, 10],
      ],
      bytes: 0,
    });
  });

  it('sizes a whole Maxwell recording far over what a view may read, and a one-second window under it', () => {
    // 1,024 channels of int16 at 20 kHz for 10 minutes: what H5Web asks for as "the whole dataset".
    const recording = [12_000_000, 1024];
    expect(planRead(recording, undefined, 2).bytes).toBeGreaterThan(MAX_READ_BYTES);
    expect(
      planRead(
        recording,
        [
          { start: 0, stop: 20_000 },
          { start: 0, stop: 1024 },
        ],
        2,
      ).bytes,
    ).toBeLessThan(MAX_READ_BYTES);
  });
});
