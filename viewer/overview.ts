import type { H5Client } from './client';
import type { SeriesInfo } from './nwb';

/**
 * An overview of a whole recording: the lowest and highest value of each pixel column, per channel. When the
 * channels' samples fit the budget, every sample is read (in pieces of whole columns, reduced in the worker);
 * beyond it, evenly spaced windows of one chunk each stand for their stretch of the recording, and the
 * overview says it is sampled.
 */

/** What a whole overview may read, as stored: the same bound as any one view. */
export const OVERVIEW_BUDGET_BYTES = 64 * 1024 * 1024;
/** One read of a whole overview: a few chunks, so progress shows and no read is large. */
const PIECE_BYTES = 8 * 1024 * 1024;
/** Windows of a sampled overview: more cost a round trip each. */
const MAX_WINDOWS = 48;

export interface OverviewRead {
  /** Samples [start, stop) of the series. */
  start: number;
  stop: number;
  /** Pixel columns [from, to) this read fills, and how many bins it is reduced to. */
  from: number;
  to: number;
  bins: number;
}

export interface OverviewPlan {
  sampled: boolean;
  reads: OverviewRead[];
  /** Samples per window of a sampled overview. */
  windowSamples: number | null;
}

export function planOverview(
  series: Pick<SeriesInfo, 'samples' | 'chunkRows' | 'elementBytes'>,
  channelSpan: number,
  columns: number,
  budget = OVERVIEW_BUDGET_BYTES,
): OverviewPlan {
  const { samples } = series;
  const rowBytes = channelSpan * series.elementBytes;
  const edge = (column: number) => Math.round((column * samples) / columns);
  if (samples * rowBytes <= budget) {
    const perPiece = Math.max(1, Math.floor(PIECE_BYTES / Math.max(1, rowBytes * (samples / columns))));
    const reads: OverviewRead[] = [];
    for (let from = 0; from < columns; from += perPiece) {
      const to = Math.min(columns, from + perPiece);
      if (edge(to) > edge(from)) reads.push({ start: edge(from), stop: edge(to), from, to, bins: to - from });
    }
    return { sampled: false, reads, windowSamples: null };
  }
  // Sampled: each window is one chunk of rows (a chunk is what S3 serves for any part of it), chunk-aligned.
  const rows = Math.max(1, Math.min(series.chunkRows ?? Math.ceil(samples / columns), Math.floor(budget / rowBytes)));
  const windows = Math.max(1, Math.min(MAX_WINDOWS, columns, Math.floor(budget / (rows * rowBytes))));
  const reads: OverviewRead[] = [];
  for (let w = 0; w < windows; w++) {
    const from = Math.floor((w * columns) / windows);
    const to = Math.floor(((w + 1) * columns) / windows);
    const middle = Math.floor(((w + 0.5) * samples) / windows);
    const start = Math.min(samples - rows, Math.max(0, Math.floor(middle / rows) * rows));
    reads.push({ start, stop: Math.min(samples, start + rows), from, to, bins: 1 });
  }
  return { sampled: true, reads, windowSamples: rows };
}

export interface Overview {
  /** Per channel, per column: lowest and highest value in the series' unit (µV for volts); NaN where nothing was read. */
  min: Float32Array[];
  max: Float32Array[];
  columns: number;
  sampled: boolean;
  /** Reads it took; for a sampled overview, its windows. */
  windows: number;
  windowSamples: number | null;
}

/**
 * Reads the plan's pieces, shared among `clients` (workers with the file open; each reads its share one piece
 * after another, since every piece of a sampled overview is a round trip or two to S3), telling `onProgress`
 * how many are done.
 */
export async function readOverview(
  clients: H5Client[],
  series: SeriesInfo,
  channels: number[],
  columns: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Overview> {
  const low = channels[0] ?? 0;
  const high = (channels.at(-1) ?? 0) + 1;
  const plan = planOverview(series, high - low, columns);
  const volts = series.unit.toLowerCase().startsWith('volt');
  const scale = series.conversion * (volts ? 1e6 : 1);
  const shift = series.offset * (volts ? 1e6 : 1);
  const min = channels.map(() => new Float32Array(columns).fill(Number.NaN));
  const max = channels.map(() => new Float32Array(columns).fill(Number.NaN));
  let done = 0;
  onProgress?.(done, plan.reads.length);
  const readPiece = async (client: H5Client, read: OverviewRead) => {
    const envelope = await client.envelope(
      `${series.path}/data`,
      [
        { start: read.start, stop: read.stop },
        { start: low, stop: high },
      ],
      read.bins,
      { scattered: plan.sampled },
    );
    channels.forEach((channel, i) => {
      const c = channel - low;
      for (let column = read.from; column < read.to; column++) {
        const bin = Math.min(envelope.bins - 1, Math.floor(((column - read.from) * envelope.bins) / (read.to - read.from)));
        const a = envelope.min[bin * envelope.columns + c]! * scale + shift;
        const b = envelope.max[bin * envelope.columns + c]! * scale + shift;
        min[i]![column] = Math.min(a, b);
        max[i]![column] = Math.max(a, b);
      }
    });
    onProgress?.(++done, plan.reads.length);
  };
  await Promise.all(
    clients.map(async (client, k) => {
      for (let r = k; r < plan.reads.length; r += clients.length) await readPiece(client, plan.reads[r]!);
    }),
  );
  return { min, max, columns, sampled: plan.sampled, windows: plan.reads.length, windowSamples: plan.windowSamples };
}
