import type { H5Client } from './client';
import type { ReadProgress } from './protocol';

/**
 * What an NWB file holds that the viewer draws, found through the worker: time series whose data is
 * time × channels (ElectricalSeries and other TimeSeries), the Units table's spike times, the electrodes table.
 */

export interface SeriesInfo {
  path: string;
  neurodataType: string;
  samples: number;
  channels: number;
  /** Samples per second, and the time of the first one, from starting_time; or explicit timestamps. */
  rate: number | null;
  startingTime: number;
  timestampsPath: string | null;
  /** Stored value × conversion + offset = value in `unit` (volts for an ElectricalSeries). */
  conversion: number;
  offset: number;
  unit: string;
  /** Samples per chunk of its data (null when the data is not chunked), and bytes per stored value. */
  chunkRows: number | null;
  elementBytes: number;
}

export interface TraceWindow {
  /** Index of the first sample and the time of each sample drawn. */
  first: number;
  times: Float64Array;
  /** One array per channel, in µV when the unit is volts, else in `unit`. */
  channels: Float32Array[];
  unit: string;
}

const TIME_SERIES = /Series$/;

const numberAttr = (attrs: Record<string, unknown>, name: string, fallback: number) => {
  const value = attrs[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
};

/** Time series under /acquisition and /processing/* whose data is two-dimensional (time × channels). */
export async function findSeries(client: H5Client): Promise<SeriesInfo[]> {
  const groups = ['/acquisition'];
  const processing = await client.entity('/processing').catch(() => null);
  for (const child of processing?.children ?? []) if (child.kind === 'group') groups.push(`/processing/${child.name}`);
  const found: SeriesInfo[] = [];
  for (const group of groups) {
    const entity = await client.entity(group).catch(() => null);
    for (const child of entity?.children ?? []) {
      if (child.kind !== 'group') continue;
      const info = await seriesInfo(client, `${group}/${child.name}`).catch(() => null);
      if (info) found.push(info);
    }
  }
  return found;
}

export async function seriesInfo(client: H5Client, path: string): Promise<SeriesInfo | null> {
  const attrs = await client.attrs(path);
  const neurodataType = String(attrs.neurodata_type ?? '');
  if (!TIME_SERIES.test(neurodataType)) return null;
  const data = await client.entity(`${path}/data`);
  if (data.kind !== 'dataset' || data.shape?.length !== 2) return null;
  const dataAttrs = await client.attrs(`${path}/data`);
  const members = new Set((await client.entity(path)).children?.map((c) => c.name));
  let rate: number | null = null;
  let startingTime = 0;
  if (members.has('starting_time')) {
    rate = numberAttr(await client.attrs(`${path}/starting_time`), 'rate', NaN);
    if (!Number.isFinite(rate) || rate <= 0) rate = null;
    const start = await client.read(`${path}/starting_time`);
    startingTime = Number((start.values as ArrayLike<number>)[0] ?? 0);
  }
  return {
    path,
    neurodataType,
    samples: data.shape[0]!,
    channels: data.shape[1]!,
    rate,
    startingTime,
    timestampsPath: members.has('timestamps') ? `${path}/timestamps` : null,
    conversion: numberAttr(dataAttrs, 'conversion', 1),
    offset: numberAttr(dataAttrs, 'offset', 0),
    unit: String(dataAttrs.unit ?? ''),
    chunkRows: data.chunks?.[0] ?? null,
    elementBytes: data.type?.size ?? 2,
  };
}

/** The sample index at `seconds` (the first sample at or after it). */
export async function sampleAt(client: H5Client, series: SeriesInfo, seconds: number): Promise<number> {
  if (series.rate !== null) return Math.max(0, Math.min(series.samples - 1, Math.ceil((seconds - series.startingTime) * series.rate)));
  if (!series.timestampsPath) return 0;
  // Timestamps ascend: a binary search reads a handful of single values.
  let lo = 0;
  let hi = series.samples - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = Number(((await client.read(series.timestampsPath, [mid])).values as ArrayLike<number>)[0]);
    if (t < seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Samples [first, first + count) of the given channels (ascending), scaled to physical units. The channels'
 * whole span is read at once: a recording's chunks hold every channel, so the bytes from S3 are the same.
 */
export async function readWindow(
  client: H5Client,
  series: SeriesInfo,
  first: number,
  count: number,
  channels: number[],
  onProgress?: (progress: ReadProgress) => void,
): Promise<TraceWindow> {
  const stop = Math.min(series.samples, first + count);
  const low = channels[0] ?? 0;
  const high = (channels.at(-1) ?? 0) + 1;
  const result = await client.read(
    `${series.path}/data`,
    [
      { start: first, stop },
      { start: low, stop: high },
    ],
    onProgress,
  );
  const raw = result.values as ArrayLike<number>;
  const rows = stop - first;
  const width = high - low;
  const volts = series.unit.toLowerCase().startsWith('volt');
  const scale = series.conversion * (volts ? 1e6 : 1);
  const shift = series.offset * (volts ? 1e6 : 1);
  const traces = channels.map((channel) => {
    const c = channel - low;
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = raw[i * width + c]! * scale + shift;
    return out;
  });
  let times: Float64Array;
  if (series.rate !== null) {
    times = Float64Array.from({ length: rows }, (_, i) => series.startingTime + (first + i) / series.rate!);
  } else if (series.timestampsPath) {
    times = Float64Array.from((await client.read(series.timestampsPath, [{ start: first, stop }])).values as ArrayLike<number>);
  } else {
    times = Float64Array.from({ length: rows }, (_, i) => first + i);
  }
  return { first, times, channels: traces, unit: volts ? 'µV' : series.unit };
}

export interface Units {
  ids: number[];
  spikeTimes: Float64Array[];
  /** Each unit's channel of the recording (`ch`, `peak_channel`, `max_channel`), or null. */
  channel: (number | null)[];
  /** Each unit's first row of the electrodes table (its `electrodes` region), or null: see unitChannel. */
  electrodeRow: (number | null)[];
  /** Each unit's depth on the probe (`depth`, else `unit_y`), or null. */
  depth: (number | null)[];
  /** The path of the per-unit mean waveforms (units × samples, or × channels), when the table has them. */
  waveformPath: string | null;
}

const UNITS = '/units';

/** The Units table: spike times per unit (spike_times is ragged, cut at spike_times_index's ends), and what places each unit. */
export async function readUnits(client: H5Client): Promise<Units | null> {
  const units = await client.entity(UNITS).catch(() => null);
  const members = new Set(units?.children?.map((c) => c.name));
  if (!members.has('spike_times') || !members.has('spike_times_index')) return null;
  const numbers = async (name: string) => Array.from((await client.read(`${UNITS}/${name}`)).values as ArrayLike<number>, Number);
  const optional = async (names: string[]) => {
    const name = names.find((n) => members.has(n));
    return name ? numbers(name).catch(() => null) : null;
  };
  const times = (await client.read(`${UNITS}/spike_times`)).values as ArrayLike<number>;
  const ends = await numbers('spike_times_index');
  const ids = members.has('id') ? await numbers('id') : ends.map((_, i) => i);
  const spikeTimes: Float64Array[] = [];
  let start = 0;
  for (const end of ends) {
    spikeTimes.push(Float64Array.from(Array.prototype.slice.call(times, start, end) as number[]));
    start = end;
  }
  const channel = await optional(['ch', 'peak_channel', 'max_channel']);
  let electrodeRow: number[] | null = null;
  if (members.has('electrodes') && members.has('electrodes_index')) {
    // A ragged region into the electrodes table: the first row of each unit's, none for a unit without rows.
    const rows = await numbers('electrodes');
    const rowEnds = await numbers('electrodes_index');
    electrodeRow = rowEnds.map((end, u) => {
      const first = u === 0 ? 0 : rowEnds[u - 1]!;
      return end > first ? rows[first]! : Number.NaN;
    });
  }
  const depth = await optional(['depth', 'unit_y']);
  const finiteOrNull = (values: number[] | null) => ends.map((_, u) => (values && Number.isFinite(values[u]) ? values[u]! : null));
  return {
    ids,
    spikeTimes,
    channel: finiteOrNull(channel),
    electrodeRow: finiteOrNull(electrodeRow),
    depth: finiteOrNull(depth),
    waveformPath: members.has('waveform_mean') ? `${UNITS}/waveform_mean` : null,
  };
}

/**
 * The series channel a unit is on: its own column, else the channel whose electrodes row is the unit's first
 * (a series records a region of the table, not always rows 0, 1, 2…).
 */
export function unitChannel(units: Units, unit: number, channels: { row: number | null }[] | null): number | null {
  const own = units.channel[unit];
  if (own !== null && own !== undefined) return own;
  const row = units.electrodeRow[unit];
  if (row === null || row === undefined || !channels) return null;
  const index = channels.findIndex((c) => c.row === row);
  return index >= 0 ? index : null;
}

/** One unit's mean waveform from the file: its first channel when the table holds several per unit. */
export async function readWaveformMean(client: H5Client, units: Units, unit: number): Promise<Float32Array | null> {
  if (!units.waveformPath) return null;
  const info = await client.entity(units.waveformPath);
  const shape = info.shape ?? [];
  if (shape.length < 2 || shape[0] !== units.ids.length) return null;
  const selection = shape.length === 2 ? [unit, { start: 0, stop: shape[1]! }] : [unit, { start: 0, stop: shape[1]! }, 0];
  return Float32Array.from((await client.read(units.waveformPath, selection)).values as ArrayLike<number>, Number);
}

export interface Table {
  columns: string[];
  rows: string[][];
  total: number;
}

/** Where NWB keeps the electrodes table. */
export const ELECTRODES_TABLE = '/general/extracellular_ephys/electrodes';

/** The electrodes table's plain columns (not references), its first `limit` rows. */
export async function readElectrodes(client: H5Client, limit = 1000): Promise<Table | null> {
  const table = await client.entity(ELECTRODES_TABLE).catch(() => null);
  if (!table?.children) return null;
  const columns: string[] = [];
  const values: unknown[][] = [];
  let total = 0;
  const names = ['id', ...table.children.map((c) => c.name).filter((n) => n !== 'id')];
  for (const name of names) {
    const column = await client.entity(`${ELECTRODES_TABLE}/${name}`).catch(() => null);
    if (column?.kind !== 'dataset' || column.shape?.length !== 1 || column.type?.class === 'reference') continue;
    total = Math.max(total, column.shape[0]!);
    const read = await client.read(`${ELECTRODES_TABLE}/${name}`, [{ start: 0, stop: limit }]);
    columns.push(name);
    values.push(Array.from(read.values as ArrayLike<unknown>));
  }
  if (columns.length === 0) return null;
  const rowCount = Math.min(limit, total);
  const cell = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v ?? ''));
  return { columns, rows: Array.from({ length: rowCount }, (_, r) => values.map((column) => cell(column[r]))), total };
}
