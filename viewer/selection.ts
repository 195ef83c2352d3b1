import type { DimSelection } from './protocol';

export interface PlannedRead {
  /** [start, stop) per dimension, clamped to the dataset. */
  ranges: [number, number][];
  /** The shape of the answer: dimensions selected by a single index are dropped. */
  shape: number[];
  /** What the read brings into memory, before any decompression overhead. */
  bytes: number;
}

/** What reading `selection` (one entry per dimension; none: everything) of a dataset of `shape` means. */
export function planRead(shape: number[], selection: DimSelection[] | undefined, elementBytes: number): PlannedRead {
  const clamp = (value: number, max: number) => Math.max(0, Math.min(max, value));
  const ranges = shape.map((size, dim): [number, number] => {
    const s = selection?.[dim];
    if (s === undefined) return [0, size];
    if (typeof s === 'number') return [clamp(s, size - 1), clamp(s, size - 1) + 1];
    return [clamp(s.start, size), Math.max(clamp(s.start, size), clamp(s.stop, size))];
  });
  return {
    ranges,
    shape: ranges.map(([a, b]) => b - a).filter((_, dim) => typeof selection?.[dim] !== 'number'),
    bytes: ranges.reduce((n, [a, b]) => n * (b - a), 1) * elementBytes,
  };
}
