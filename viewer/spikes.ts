import type { Units } from './nwb';

/** What the spikes view computes from spike times: rates over time, interval histograms, unit orders. */

/** Spikes per second in each of `bins` equal bins of [start, end). */
export function firingRate(spikes: ArrayLike<number>, start: number, end: number, bins: number): Float64Array {
  const rates = new Float64Array(bins);
  const width = (end - start) / bins;
  if (!(width > 0)) return rates;
  for (let i = 0; i < spikes.length; i++) {
    const bin = Math.floor((spikes[i]! - start) / width);
    if (bin >= 0 && bin < bins) rates[bin]! += 1;
  }
  for (let b = 0; b < bins; b++) rates[b]! /= width;
  return rates;
}

export interface IsiHistogram {
  /** Intervals per bin of `binMs`, from 0 to `maxMs`. */
  counts: Int32Array;
  binMs: number;
  /** Intervals shorter than the refractory period (1.5 ms): a well-isolated unit has almost none. */
  refractoryViolations: number;
  intervals: number;
}

export const REFRACTORY_MS = 1.5;

/** Histogram of the intervals between consecutive spikes (times in seconds, ascending). */
export function isiHistogram(spikes: ArrayLike<number>, maxMs = 100, binMs = 1): IsiHistogram {
  const counts = new Int32Array(Math.ceil(maxMs / binMs));
  let refractoryViolations = 0;
  for (let i = 1; i < spikes.length; i++) {
    const ms = (spikes[i]! - spikes[i - 1]!) * 1000;
    if (ms < REFRACTORY_MS) refractoryViolations++;
    const bin = Math.floor(ms / binMs);
    if (bin >= 0 && bin < counts.length) counts[bin]!++;
  }
  return { counts, binMs, refractoryViolations, intervals: Math.max(0, spikes.length - 1) };
}

export type UnitOrder = 'id' | 'electrode' | 'depth' | 'rate';

/** The units' rows in the order asked; units without the value come last, ties by id. */
export function orderUnits(units: Units, by: UnitOrder): number[] {
  const rows = units.ids.map((_, u) => u);
  const value = (u: number): number | null => {
    if (by === 'electrode') return units.channel[u] ?? units.electrodeRow[u] ?? null;
    if (by === 'depth') return units.depth[u] ?? null;
    if (by === 'rate') return -units.spikeTimes[u]!.length; // highest rate first
    return units.ids[u]!;
  };
  return rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return (va === null ? 1 : 0) - (vb === null ? 1 : 0) || units.ids[a]! - units.ids[b]!;
    return va - vb || units.ids[a]! - units.ids[b]!;
  });
}

/** The sample-by-sample mean of equally long snippets. */
export function meanOf(snippets: Float32Array[]): Float32Array | null {
  const length = Math.min(...snippets.map((s) => s.length));
  if (snippets.length === 0 || !Number.isFinite(length) || length === 0) return null;
  const mean = new Float32Array(length);
  for (const snippet of snippets) for (let i = 0; i < length; i++) mean[i]! += snippet[i]! / snippets.length;
  return mean;
}
