/**
 * The recordings of each ephys experiment: names, chips, times, channel counts and which data
 * files hold them. Metadata and data files are both built from this plan, so they agree.
 */
import type { Experiment, NwbSize } from './catalog';
import type { SignalSpec } from './ephys-signal';
import type { Rng } from './prng';
import { DRUGS, HARDWARE } from './vocabulary';

export type RecordingKind = 'maxwell-raw' | 'maxwell-nwb' | 'mearec' | 'axion' | 'intan';

export interface Recording {
  name: string;
  kind: RecordingKind;
  hardware: string;
  chipId: string | null;
  /** Local wall-clock start, `YYYY-MM-DD` and `HH:MM:SS`. */
  date: string;
  time: string;
  /** Start as milliseconds since the Unix epoch (the lab is on Pacific time, UTC-7 here). */
  startMs: number;
  sampleRate: number;
  /** The rate metadata.json lists: the file's own, except where the catalog makes them disagree. */
  listedSampleRate: number;
  channels: number;
  frames: number;
  /** Paths relative to the experiment folder. */
  dataPath: string;
  nwbPath: string | null;
  nwbSize: NwbSize | null;
  /** Kilosort2 results exist under derived/kilosort2/. */
  sorted: boolean;
}

/** Seconds of the big NWB: enough for a gzip-compressed file of at least 100 MB (about 1.58 MB/s). */
export const LARGE_NWB_SECONDS = 72;

const NWB_SHAPES: Record<NwbSize, { channels: number; seconds: number }> = {
  large: { channels: 64, seconds: LARGE_NWB_SECONDS },
  medium: { channels: 32, seconds: 4 },
  tiny: { channels: 16, seconds: 1 },
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function conditions(e: Experiment, rng: Rng): string[] {
  const out: string[] = [];
  for (let i = 0; i < e.recordings; i++) {
    if (!e.drug) out.push(i === 0 ? 'BL' : rng.pick(['spont', `DIV${rng.int(20, 160)}`, 'BL2']));
    else if (i === 0) out.push(`${DRUGS[e.drug].name.replace('-', '')}_BL`);
    else out.push(`${DRUGS[e.drug].name.replace('-', '')}_${i === e.recordings - 1 && i > 1 ? 'WO' : (DRUGS[e.drug].doses[i - 1] ?? `DR${i}`)}`);
  }
  return out;
}

function kindOf(e: Experiment): RecordingKind {
  // An integrated experiment imaged while recording keeps both in NWB files.
  if (e.nwbHolds?.includes('images')) return 'maxwell-nwb';
  switch (e.shape) {
    case 'maxwell-nwb':
      return 'maxwell-nwb';
    case 'mearec':
      return 'mearec';
    case 'axion':
      return 'axion';
    case 'intan-nwb':
      return 'intan';
    default:
      return 'maxwell-raw';
  }
}

function nameOf(kind: RecordingKind, e: Experiment, condition: string, chip: string | null, date: string, time: string, index: number): string {
  const compactDate = date.replaceAll('-', '');
  const [h, m, s] = time.split(':');
  switch (kind) {
    case 'mearec':
      return `experiment${index}`;
    case 'axion':
      return `${e.descriptor.split('_').at(-1) ?? 'plate'}_${compactDate}(${pad(index, 3)})`;
    case 'intan':
      return `slice${index + 1}_${compactDate.slice(2)}_${h}${m}${s}`;
    default:
      // MaxLab names its files Trace_<date>_<time>; people rename some to data_<condition>_<chip>.
      return index === 0 && e.date >= '2022' ? `data_${condition}_${chip}` : `Trace_${compactDate}_${h}_${m}_${s}_${condition}_${chip}`;
  }
}

export function planRecordings(e: Experiment): Recording[] {
  if (['fluidics', 'imaging', 'manifest-only'].includes(e.shape)) return [];
  const rng = e.rng('recordings');
  const kind = kindOf(e);
  // A chip named in the uuid is the one recorded from.
  const named = /chip(\d{5})/.exec(e.descriptor)?.[1];
  const chips = named ? [named] : Array.from({ length: rng.int(1, 3) }, () => String(rng.int(16000, 21999)));
  const names = conditions(e, rng);
  let minutes = rng.int(9 * 60, 15 * 60);
  const recordings = names.map((condition, index) => {
    minutes += index === 0 ? 0 : rng.int(12, 45);
    const time = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(rng.int(0, 59))}`;
    const [y, mo, d] = e.date.split('-').map(Number) as [number, number, number];
    const [h, mi, s] = time.split(':').map(Number) as [number, number, number];
    const startMs = Date.UTC(y, mo - 1, d, h + 7, mi, s);
    const chipId = kind === 'maxwell-raw' || kind === 'maxwell-nwb' ? (chips[index % chips.length] ?? null) : null;
    const name = nameOf(kind, e, condition, chipId, e.date, time, index);
    const nwbSize: NwbSize | null = kind === 'maxwell-nwb' || kind === 'intan' ? (index === 0 && e.nwb ? e.nwb : 'tiny') : null;
    const nwbShape = nwbSize ? NWB_SHAPES[nwbSize] : null;
    const base = { name, kind, chipId, date: e.date, time, startMs, nwbSize, sorted: kind !== 'axion' && rng.chance(0.8) };
    switch (kind) {
      case 'mearec': {
        const cells = Number(/(\d+)cells/.exec(e.descriptor)?.[1] ?? 10);
        const tetrode = e.descriptor.includes('tetrode');
        const channels = tetrode ? 4 : 32;
        const noise = Number(/noise(\d+)uV/.exec(e.descriptor)?.[1] ?? 10);
        const duration = tetrode ? 0.5 : 0.25;
        const file = `recordings_${cells}cells_${tetrode ? 'tetrode' : 'Neuronexus-32'}_${duration.toFixed(1)}_${noise.toFixed(1)}uV.h5`;
        return {
          ...base,
          hardware: HARDWARE.mearec,
          sampleRate: 32000,
          channels,
          frames: duration * 32000,
          dataPath: `original/data/${file}`,
          nwbPath: null,
        };
      }
      case 'axion':
        return {
          ...base,
          hardware: HARDWARE.axion,
          sampleRate: 12500,
          channels: 768,
          frames: rng.int(5, 15) * 60 * 12500,
          dataPath: `original/data/${name}.raw`,
          nwbPath: null,
        };
      case 'intan':
      case 'maxwell-nwb': {
        const shape = nwbShape ?? NWB_SHAPES.tiny;
        const sampleRate = 20000;
        const raw = kind === 'intan' ? `original/data/${name}.rhd` : `original/data/${name}.raw.h5`;
        const hardware = kind === 'intan' ? HARDWARE.intan : HARDWARE.maxwell;
        return {
          ...base,
          hardware,
          sampleRate,
          channels: shape.channels,
          frames: shape.seconds * sampleRate,
          dataPath: raw,
          nwbPath: `shared/${name}.nwb`,
        };
      }
      default: {
        const frames = Math.round((rng.int(3, 15) * 60 * 20000 + rng.int(0, 400_000)) / 400) * 400;
        return {
          ...base,
          hardware: HARDWARE.maxwell,
          sampleRate: 20000,
          channels: rng.int(780, 1020),
          frames,
          dataPath: `original/data/${name}.raw.h5`,
          nwbPath: null,
        };
      }
    }
  });
  return recordings.map((r): Recording => {
    if (!e.nwbHolds?.includes('downsampled')) return { ...r, listedSampleRate: r.sampleRate };
    const sampleRate = r.sampleRate / 2;
    return { ...r, sampleRate, listedSampleRate: r.sampleRate, frames: r.frames / 2 };
  });
}

/** Volts per stored step: Intan RHD amplifiers resolve 0.195 µV, MaxWell's ADC about 6.3 µV. */
export const INTAN_CONVERSION = 0.195e-6;
export const MAXWELL_CONVERSION = 6.294e-6;

/**
 * The simulated signal behind a recording. Every file derived from one recording (raw file, NWB,
 * Kilosort results) builds the same spec, so their spike times agree.
 */
export function signalSpecOf(e: Experiment, r: Recording): SignalSpec {
  const cells = Number(/(\d+)cells/.exec(e.descriptor)?.[1] ?? 0);
  return {
    seed: `${e.uuid}/${r.name}/signal`,
    channels: r.channels,
    sampleRate: r.sampleRate,
    frames: r.frames,
    conversion: r.kind === 'intan' ? INTAN_CONVERSION : r.kind === 'mearec' ? 1e-6 : MAXWELL_CONVERSION,
    units: r.kind === 'mearec' && cells > 0 ? cells : r.channels <= 64 ? Math.max(2, Math.round(r.channels / 2)) : Math.round(r.channels / 40),
    burstIntervalS: r.kind === 'mearec' ? 0 : e.drug === '4-AP' ? 3 : 6,
  };
}
