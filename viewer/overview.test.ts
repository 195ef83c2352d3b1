import { describe, expect, it } from 'vitest';
import { OVERVIEW_BUDGET_BYTES, planOverview } from './overview';

describe('the overview plan', () => {
  it('reads every sample of a recording that fits the budget, in pieces of whole columns that cover it once', () => {
    // 4 s × 32 channels at 20 kHz, int16: 5 MB.
    const plan = planOverview({ samples: 80_000, chunkRows: 16_384, elementBytes: 2 }, 32, 820);
    expect(plan.sampled).toBe(false);
    expect(plan.reads[0]).toMatchObject({ start: 0, from: 0 });
    expect(plan.reads.at(-1)).toMatchObject({ stop: 80_000, to: 820 });
    plan.reads.slice(1).forEach((read, i) => {
      expect(read.start).toBe(plan.reads[i]!.stop);
      expect(read.from).toBe(plan.reads[i]!.to);
    });
    expect(plan.reads.reduce((n, r) => n + r.bins, 0)).toBe(820);
  });

  it('samples a recording over the budget: evenly spaced chunk-aligned windows, within the budget', () => {
    // One hour of 1,024 channels at 20 kHz, int16, chunks of 16,384 samples: 147 GB.
    const series = { samples: 72_000_000, chunkRows: 16_384, elementBytes: 2 };
    const plan = planOverview(series, 1024, 820);
    expect(plan.sampled).toBe(true);
    expect(plan.windowSamples).toBe(16_384);
    const bytes = plan.reads.reduce((n, r) => n + (r.stop - r.start) * 1024 * 2, 0);
    expect(bytes).toBeLessThanOrEqual(OVERVIEW_BUDGET_BYTES);
    for (const read of plan.reads) {
      expect(read.start % 16_384).toBe(0);
      expect(read.stop - read.start).toBe(16_384);
    }
    // Spread over the whole length, the columns covered once each.
    expect(plan.reads[0]!.start).toBeLessThan(series.samples / plan.reads.length);
    expect(plan.reads.at(-1)!.stop).toBeGreaterThan(series.samples * (1 - 1 / plan.reads.length));
    expect(plan.reads.at(-1)!.to).toBe(820);
    // 16 of the channels: more windows fit.
    expect(planOverview(series, 16, 820).reads.length).toBeGreaterThan(plan.reads.length);
  });
});
