import { describe, expect, it } from 'vitest';
import type { Units } from './nwb';
import { firingRate, isiHistogram, meanOf, orderUnits } from './spikes';

describe('spike statistics', () => {
  it('counts spikes per second in each bin', () => {
    const rates = firingRate([0.1, 0.2, 0.3, 1.5, 3.99, 4], 0, 4, 4);
    expect(Array.from(rates)).toEqual([3, 1, 0, 1]);
    expect(Array.from(firingRate([1, 2], 0, 2, 2))).toEqual([0, 1]);
  });

  it('histograms the intervals between spikes and counts those under the refractory period', () => {
    const isi = isiHistogram([0, 0.001, 0.0105, 0.5, 0.5012], 100, 1);
    expect(isi.intervals).toBe(4);
    expect(isi.counts[1]).toBe(2); // 1.0 ms, 1.2 ms
    expect(isi.counts[9]).toBe(1); // 9.5 ms
    expect(isi.counts.reduce((a, b) => a + b, 0)).toBe(3); // 489.5 ms is past the last bin
    expect(isi.refractoryViolations).toBe(2);
  });

  it('orders units by electrode, depth or rate, those without the value last', () => {
    const units: Units = {
      ids: [10, 11, 12, 13],
      spikeTimes: [new Float64Array(5), new Float64Array(50), new Float64Array(1), new Float64Array(20)],
      channel: [7, null, 2, 7],
      electrodeRow: [null, null, null, null],
      depth: [300, 100, null, 200],
      waveformPath: null,
    };
    expect(orderUnits(units, 'id')).toEqual([0, 1, 2, 3]);
    expect(orderUnits(units, 'electrode')).toEqual([2, 0, 3, 1]);
    expect(orderUnits(units, 'depth')).toEqual([1, 3, 0, 2]);
    expect(orderUnits(units, 'rate')).toEqual([1, 3, 0, 2]);
  });

  it('averages snippets sample by sample', () => {
    expect(Array.from(meanOf([Float32Array.of(1, 2, 3), Float32Array.of(3, 4, 5, 6)])!)).toEqual([2, 3, 4]);
    expect(meanOf([])).toBeNull();
  });
});
