import { describe, expect, it } from 'vitest';
import { nwbFixture } from '../test/support/fixtures';
import { HUGE_SERIES, hugeSeriesFile } from '../test/support/huge-series';
import { pngPixels } from '../test/support/png-pixels';
import { buildHdf5Manifest, type PreviewOutcome } from './hdf5-manifest';
import { PREVIEW_LIMITS, previewRows } from './hdf5-preview';
import { describePreview, drawPreview, PREVIEW_COLORS, PREVIEW_SIZE } from './preview-image';

async function previewOf(bytes: Uint8Array): Promise<PreviewOutcome | undefined> {
  const result = await buildHdf5Manifest(bytes.length, { fetchRange: async (start, end) => bytes.slice(start, end + 1) }, { preview: true });
  if (result.status !== 'built') throw new Error(`not built: ${result.status}`);
  return result.preview;
}

describe('recording previews', () => {
  it('draws the most active channels of a recording above the raster of its units', async () => {
    const preview = await previewOf(nwbFixture('ecephys-kilosort-gzip.nwb'));
    if (preview?.status !== 'read') throw new Error(`no preview: ${JSON.stringify(preview)}`);
    const { traces, units } = preview.data;
    // 100 samples at 2500 Hz × 10 channels: all of it fits, and 6 of the 10 channels are drawn, in order.
    expect(traces).toMatchObject({ series: '/acquisition/ElectricalSeries', type: 'ElectricalSeries', channels: 10, seconds: 0.04 });
    expect(traces!.shown).toHaveLength(PREVIEW_LIMITS.drawnChannels);
    expect([...traces!.shown].sort((a, b) => a - b)).toEqual(traces!.shown);
    expect(traces!.envelopes.every((e) => e.length === 200 && e.some((v) => v !== 0))).toBe(true);
    expect(units!.units).toBe(13);
    expect(units!.spikes).toHaveLength(13);
    expect(units!.spikes.flatMap((s) => Array.from(s)).every((t) => t >= 0 && t <= units!.seconds)).toBe(true);
    expect(describePreview(preview.data)).toBe(
      `Preview: the first 0.04 s of ElectricalSeries /acquisition/ElectricalSeries, 6 of 10 channels (the most active); the spikes of its 13 units over the first ${Number(units!.seconds.toFixed(2))} s.`,
    );

    const image = await drawPreview(preview.data);
    // In eighths of its height: traces in the upper five (62%), the raster's ticks in the lower three.
    const traced = await pngPixels(image.png, PREVIEW_COLORS.trace, 8);
    expect(traced).toMatchObject({ width: PREVIEW_SIZE.width, height: PREVIEW_SIZE.height });
    expect(traced.near.slice(0, 5).every((n) => n > 200)).toBe(true);
    expect(traced.near.slice(5)).toEqual([0, 0, 0]);
    const spiked = await pngPixels(image.png, PREVIEW_COLORS.spike, 8);
    expect(spiked.near.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(spiked.near.slice(5).every((n) => n > 200)).toBe(true);
  });

  it('draws the raster alone for a file of units with no recording, and says why there are no traces', async () => {
    const preview = await previewOf(nwbFixture('units-trials-dandi000009.nwb'));
    if (preview?.status !== 'read') throw new Error(`no preview: ${JSON.stringify(preview)}`);
    expect(preview.data.traces).toBeNull();
    expect(preview.data.notes).toEqual(['no time series a preview can draw']);
    expect(preview.data.units).toMatchObject({ units: 4 });
    expect(preview.data.units!.spikes.some((s) => s.length > 10)).toBe(true);
    const image = await drawPreview(preview.data);
    expect((await pngPixels(image.png, PREVIEW_COLORS.trace)).near[0]).toBe(0);
    const spikes = await pngPixels(image.png, PREVIEW_COLORS.spike, 2);
    expect(spikes.near[0]).toBeGreaterThan(500);
    expect(spikes.near[1]).toBeGreaterThan(500);
  });

  it('reads only the start of a series that claims 12.8 GB', async () => {
    const bytes = new Uint8Array(await hugeSeriesFile());
    const preview = await previewOf(bytes);
    if (preview?.status !== 'read') throw new Error(`no preview: ${JSON.stringify(preview)}`);
    expect(preview.data.traces).toMatchObject({ channels: HUGE_SERIES.channels, seconds: PREVIEW_LIMITS.traceSeconds });
    // The file is small: its structure brought all of it, and the preview needed no read of its own.
    expect(preview.fetchedBytes).toBeLessThanOrEqual(bytes.length);
  });

  it('bounds what the traces read by whole chunks, and says when even the first chunk is too large', () => {
    const rate = 20_000;
    // 1,024 int16 channels in chunks of 16,384 rows: one chunk is 32 MB, all a preview reads.
    expect(previewRows({ frames: 10_000_000, channels: 1024, rate, elementSize: 2, chunkRows: 16_384 })).toBe(16_384);
    // Narrow chunks: the whole two seconds.
    expect(previewRows({ frames: 10_000_000, channels: 64, rate, elementSize: 2, chunkRows: 1000 })).toBe(2 * rate);
    // A short recording: all of it.
    expect(previewRows({ frames: 500, channels: 64, rate, elementSize: 2, chunkRows: 1000 })).toBe(500);
    expect(previewRows({ frames: 10_000_000, channels: 4096, rate, elementSize: 4, chunkRows: 65_536 })).toBe(
      'holds 1024 MB, over the 32 MB a preview reads',
    );
  });
});
