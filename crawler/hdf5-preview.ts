import { Dataset, type File as H5File } from 'h5wasm';
import type { Hdf5Summary, SeriesSummary } from '../contracts/hdf5-summary';

/**
 * What a recording's preview draws (preview-image.ts), read from its file in the manifest worker, over the
 * file's open h5wasm handle: the start of one time series (a handful of its most active channels, as
 * min/max envelopes per column of the image) and the first spikes of its units. Every read is bounded
 * before it is made (PREVIEW_LIMITS), from the dataset's shape and chunking, so a file's preview costs
 * at most about `maxDataBytes` of S3 whatever its size.
 */

export const PREVIEW_LIMITS = {
  /** The stretch of a series drawn, when its chunks allow it. */
  traceSeconds: 2,
  /** Bytes of data (as stored, before compression) read for the traces: HDF5 reads whole chunks. */
  maxDataBytes: 32 * 1024 * 1024,
  /** Channels read, evenly spaced; the most active of them are drawn. */
  readChannels: 64,
  drawnChannels: 6,
  /** Columns of the image an envelope has: each holds the least and the most of its samples. */
  columns: 400,
  /** Units drawn in the raster, their first spikes each, over at most `rasterSeconds`. */
  units: 80,
  spikesPerUnit: 1000,
  rasterSeconds: 60,
  /** Bytes the reads may fetch from S3 in all, past what the structure already brought. */
  maxFetchedBytes: 48 * 1024 * 1024,
} as const;

export interface PreviewTraces {
  series: string;
  type: string;
  channels: number;
  /** The channels drawn (indexes into the series' channels), in order. */
  shown: number[];
  seconds: number;
  /** Per channel drawn, [min, max] of each column, interleaved; the channel's mean is taken off. */
  envelopes: Float32Array[];
}

export interface PreviewUnits {
  units: number;
  /** Spike times of the units drawn (the first `units` of the table), in seconds from `start`, within `seconds`. */
  spikes: Float64Array[];
  start: number;
  seconds: number;
}

export interface PreviewData {
  traces: PreviewTraces | null;
  units: PreviewUnits | null;
  /** Why a part the file might have had is not drawn (no series, data a browser filter cannot decode…). */
  notes: string[];
}

/** Runs one h5wasm call until the bytes it needs are fetched; undefined when its read was refused. */
export type Step = <T>(call: () => T) => Promise<T | undefined>;

/** The series a preview draws: the widest decodable ElectricalSeries, else the widest other numeric series. */
export function previewSeries(summary: Hdf5Summary): SeriesSummary | undefined {
  const candidates = summary.series.filter(
    (s) => s.decodable && s.shape !== null && s.shape.length >= 1 && s.shape.length <= 2 && (s.shape[0] ?? 0) >= 2 && (s.seconds ?? 0) > 0,
  );
  const width = (s: SeriesSummary) => (s.type === 'ElectricalSeries' ? 1e9 : 0) + (s.shape?.[1] ?? 1);
  return candidates.sort((a, b) => width(b) - width(a))[0];
}

/** Whether the file has something a preview draws. */
export const hasPreviewContent = (summary: Hdf5Summary) => previewSeries(summary) !== undefined || (summary.nwb?.units ?? 0) > 0;

const asNumbers = (value: unknown): Float64Array | undefined => {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Float64Array.from(value, Number);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Float64Array.from(value as unknown as ArrayLike<number>);
  return undefined;
};

const dataset = async (file: H5File, step: Step, path: string) => {
  const entity = await step(() => file.get(path));
  return entity instanceof Dataset ? entity : undefined;
};

export async function readPreview(file: H5File, summary: Hdf5Summary, step: Step): Promise<PreviewData> {
  const notes: string[] = [];
  const series = previewSeries(summary);
  let traces: PreviewTraces | null = null;
  if (series) {
    try {
      traces = await readTraces(file, series, step, notes);
    } catch (error) {
      notes.push(`the traces of ${series.path} could not be read: ${firstLine(error)}`);
    }
  } else notes.push('no time series a preview can draw');
  let units: PreviewUnits | null = null;
  if ((summary.nwb?.units ?? 0) > 0) {
    try {
      units = await readUnits(file, step, series?.start ?? null, notes);
    } catch (error) {
      notes.push(`the units' spikes could not be read: ${firstLine(error)}`);
    }
  }
  return { traces, units, notes };
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

async function readTraces(file: H5File, series: SeriesSummary, step: Step, notes: string[]): Promise<PreviewTraces | null> {
  const data = await dataset(file, step, `${series.path}/data`);
  if (!data) return null;
  const metadata = await step(() => data.metadata);
  if (!metadata) return null;
  const [frames = 0, channels = 1] = series.shape ?? [];
  const rate = frames / (series.seconds ?? 1);
  const rows = previewRows({ frames, channels, rate, elementSize: metadata.size, chunkRows: metadata.chunks?.[0] ?? null });
  if (typeof rows === 'string') {
    notes.push(`the first chunk of ${series.path} ${rows}`);
    return null;
  }
  const stride = Math.ceil(channels / PREVIEW_LIMITS.readChannels);
  const read = asNumbers(
    await step(() =>
      data.slice(
        series.shape!.length === 2
          ? [
              [0, rows],
              [0, channels, stride],
            ]
          : [[0, rows]],
      ),
    ),
  );
  if (!read) {
    notes.push(`the data of ${series.path} is not numeric`);
    return null;
  }
  const readCount = Math.ceil(channels / stride);
  const candidates = Array.from({ length: readCount }, (_, i) => envelopeOf(read, rows, readCount, i));
  const drawn = candidates
    .map((c, i) => ({ ...c, channel: i * stride }))
    .filter((c) => c.spread > 0)
    .sort((a, b) => b.spread - a.spread)
    .slice(0, PREVIEW_LIMITS.drawnChannels)
    .sort((a, b) => a.channel - b.channel);
  if (drawn.length === 0) {
    notes.push(`the first ${(rows / rate).toFixed(2)} s of ${series.path} are flat`);
    return null;
  }
  return {
    series: series.path,
    type: series.type,
    channels,
    shown: drawn.map((c) => c.channel),
    seconds: rows / rate,
    envelopes: drawn.map((c) => c.envelope),
  };
}

/**
 * How many rows (samples) of a series the traces read: `traceSeconds`, as far as `maxDataBytes` of whole
 * chunks allow (HDF5 reads whole chunks: a window costs its chunks' rows, not its own); or, when even
 * the first chunk costs more, why not.
 */
export function previewRows(series: {
  frames: number;
  channels: number;
  rate: number;
  elementSize: number;
  chunkRows: number | null;
}): number | string {
  const rowBytes = series.channels * series.elementSize;
  const chunkRows = series.chunkRows ?? 1;
  const affordable = Math.floor(PREVIEW_LIMITS.maxDataBytes / rowBytes / chunkRows) * chunkRows;
  if (affordable < 2)
    return `holds ${((chunkRows * rowBytes) / 2 ** 20).toFixed(0)} MB, over the ${PREVIEW_LIMITS.maxDataBytes / 2 ** 20} MB a preview reads`;
  return Math.max(2, Math.min(series.frames, Math.round(PREVIEW_LIMITS.traceSeconds * series.rate), affordable));
}

/** One channel of a rows × count block as [min, max] per column, less its mean, and how far it strays (its standard deviation). */
export function envelopeOf(values: Float64Array, rows: number, count: number, channel: number): { envelope: Float32Array; spread: number } {
  const columns = Math.min(PREVIEW_LIMITS.columns, rows);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += values[r * count + channel]!;
  const mean = sum / rows;
  let squares = 0;
  const envelope = new Float32Array(columns * 2);
  for (let col = 0; col < columns; col++) {
    let min = Infinity;
    let max = -Infinity;
    for (let r = Math.floor((col * rows) / columns); r < Math.floor(((col + 1) * rows) / columns); r++) {
      const v = values[r * count + channel]! - mean;
      squares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    envelope[col * 2] = min;
    envelope[col * 2 + 1] = max;
  }
  const spread = Math.sqrt(squares / rows);
  return { envelope, spread: Number.isFinite(spread) ? spread : 0 };
}

/**
 * The first spikes of the first units, each unit's read in one call with the others so that their chunks
 * arrive in one round of fetches. The window ends where every unit drawn is complete: at `rasterSeconds`,
 * or sooner where a unit's first `spikesPerUnit` spikes end.
 */
async function readUnits(file: H5File, step: Step, seriesStart: number | null, notes: string[]): Promise<PreviewUnits | null> {
  const times = await dataset(file, step, '/units/spike_times');
  const index = await dataset(file, step, '/units/spike_times_index');
  if (!times || !index) {
    notes.push('the units table has no spike_times with a spike_times_index');
    return null;
  }
  // HDF5 reads (and inflates) whole chunks: one larger than the traces' whole budget is not read at all.
  const chunk = (await step(() => times.metadata))?.chunks;
  if (chunk && chunk.reduce((n, d) => n * d, 8) > PREVIEW_LIMITS.maxDataBytes) {
    notes.push(`the chunks of /units/spike_times are over the ${PREVIEW_LIMITS.maxDataBytes / 2 ** 20} MB a preview reads`);
    return null;
  }
  const total = (await step(() => index.shape))?.[0] ?? 0;
  const ends = asNumbers(await step(() => index.slice([[0, Math.min(total, PREVIEW_LIMITS.units)]])));
  if (!ends || ends.length === 0) return null;
  const ranges = Array.from(ends, (end, u) => {
    const from = u === 0 ? 0 : ends[u - 1]!;
    return [from, Math.min(end, from + PREVIEW_LIMITS.spikesPerUnit)] as const;
  });
  const perUnit = await step(() =>
    ranges.map(([from, to]) => {
      if (to <= from) return new Float64Array(0);
      try {
        return asNumbers(times.slice([[from, to]])) ?? new Float64Array(0);
      } catch {
        // A chunk not fetched yet: the step fetches what every unit missed, then runs them all again.
        return new Float64Array(0);
      }
    }),
  );
  if (!perUnit) return null;
  const firsts = perUnit.flatMap((s) => (s.length > 0 ? [s[0]!] : []));
  if (firsts.length === 0) {
    notes.push('its units have no spikes');
    return null;
  }
  const start = seriesStart ?? Math.min(...firsts);
  let end = start + PREVIEW_LIMITS.rasterSeconds;
  perUnit.forEach((s, u) => {
    const [from, to] = ranges[u]!;
    if (to - from === PREVIEW_LIMITS.spikesPerUnit && s.length > 0) end = Math.min(end, s.at(-1)!);
  });
  const last = Math.max(...perUnit.flatMap((s) => (s.length > 0 ? [s.at(-1)!] : [])));
  end = Math.min(end, last);
  const seconds = end - start;
  if (!(seconds > 0)) return null;
  return {
    units: total,
    spikes: perUnit.map((s) => s.filter((t) => t >= start && t <= end).map((t) => t - start)),
    start,
    seconds,
  };
}
