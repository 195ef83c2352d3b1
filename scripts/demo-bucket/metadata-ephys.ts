/**
 * metadata.json of ephys experiments, in each layout the lab's tools have written over the years
 * (see Shape in catalog.ts). Field names and quirks follow braingeneerspy's files.
 */
import type { Experiment } from './catalog';
import type { Rng } from './prng';
import type { Recording } from './recordings';
import { CELL_LINES, DRUGS, fill, MEDIA, PURPOSES } from './vocabulary';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YY-MM-DD`, the short form biology dates are typed in. */
function shortDateBefore(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d - days));
  return `${String(t.getUTCFullYear()).slice(2)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** An ISO timestamp `days` after `date`, e.g. when a file was converted or uploaded. */
export function isoAfter(date: string, days: number, rng: Rng): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days, rng.int(8, 22), rng.int(0, 59), rng.int(0, 59)));
  return t.toISOString().slice(0, 19);
}

/** MaxLab's recording timestamp, malformed as it is in the lab's files: `2023-08-12 T15:01:19;`. */
const maxwellTimestamp = (r: Recording): string => `${r.date} T${r.time};`;

/** A purpose sentence: the row's own, else a template of `kind` (template `index` if given, else a random one). */
export function purposeOf(e: Experiment, rng: Rng, kind: keyof typeof PURPOSES, extra: Record<string, string | number> = {}, index?: number): string {
  if (e.purpose) return e.purpose;
  const line = CELL_LINES[e.line];
  const templates: readonly string[] = PURPOSES[kind];
  return fill(index === undefined ? rng.pick(templates) : (templates[index] ?? rng.pick(templates)), {
    line: line.name || line.genotype,
    sample: e.sample,
    drug: e.drug ? DRUGS[e.drug].name : '',
    effect: e.drug ? DRUGS[e.drug].effect : '',
    div: rng.int(14, 180),
    ...extra,
  });
}

export function biologyOf(e: Experiment, rng: Rng): JsonObject {
  const line = CELL_LINES[e.line];
  const isSlice = e.sample === 'slice';
  return {
    sample_type: e.sample,
    aggregation_date: isSlice ? '' : shortDateBefore(e.date, rng.int(40, 160)),
    plating_date: isSlice ? '' : shortDateBefore(e.date, rng.int(5, 30)),
    species: line.species,
    cell_line: line.name,
    genotype: line.genotype,
    culture_media: rng.pick(MEDIA[line.species]),
    organoid_tracker_sr_no: e.sample === 'organoid' && rng.chance(0.4) ? `OT-${rng.int(100, 999)}` : '',
    'organoid modification': '',
    'organoid modification date': '',
  };
}

function stimulationOf(e: Experiment, asStrings: boolean): JsonObject {
  const optogenetic = e.descriptor.includes('optogenetic');
  const flag = (value: boolean): Json => (asStrings ? (value ? 'True' : 'False') : value);
  return { optogenetic: flag(optogenetic), electrical: flag(false), pharmacological: e.drug ? DRUGS[e.drug].name : '' };
}

export function notesOf(e: Experiment, rng: Rng, purpose: string): JsonObject {
  const asStrings = e.shape === 'string-booleans';
  const feeding = e.descriptor.includes('feeding');
  const comments: Json =
    e.shape === 'comments-object'
      ? {
          general: rng.pick(['Media changed 2 h before recording.', 'Recorded inside the incubator.', 'Chip cleaned with Tergazyme before plating.']),
          [e.date]: rng.pick(['Good activity on most electrodes.', 'Bursting every ~5 s.', 'Low firing on the second chip.']),
          issues: `Chip had ${rng.int(1, 9)} dead electrodes near the reference.`,
        }
      : rng.pick(['', '', 'Temperature held at 37 C.', 'Activity scan done first, then network recording.']);
  return {
    purpose,
    biology: biologyOf(e, rng),
    stimulation: stimulationOf(e, asStrings),
    automated_feeding: asStrings ? (feeding ? 'True' : 'False') : feeding,
    automated_imaging: asStrings ? 'False' : false,
    comments,
  };
}

function maxwellRecording(e: Experiment, r: Recording, layout: 'old' | 'nwb'): JsonObject {
  const empty = e.shape === 'empty-timestamp';
  const timestamp = empty ? '' : maxwellTimestamp(r);
  const path = layout === 'nwb' && r.nwbPath ? r.nwbPath : r.dataPath;
  return {
    name: r.name,
    ...(layout === 'old' ? { hardware: r.hardware } : {}),
    maxwell_chip_number: e.date >= '2023' ? 'N/A' : (r.chipId ?? 'N/A'),
    maxwell_tracker_sr_no: 'xxxxxx',
    channels: [],
    notes: '',
    num_channels: r.channels,
    num_current_input_channels: 0,
    num_voltage_channels: Math.min(32, r.channels),
    offset: 0,
    sample_rate: r.listedSampleRate,
    voltage_scaling_factor: 1,
    timestamp,
    units: 'µV',
    version: 20190530,
    blocks: [{ num_frames: r.frames, path, timestamp }],
    ...(layout === 'nwb' ? { data_format: 'NeurodataWithoutBorders' } : {}),
  };
}

function mearecRecording(e: Experiment, r: Recording, timestamp: string): JsonObject {
  return {
    name: r.name,
    hardware: r.hardware,
    notes: 'This data is a simulated recording generated by MEArec.',
    timestamp,
    sample_rate: r.listedSampleRate,
    num_channels: r.channels,
    num_current_input_channels: 0,
    num_voltage_channels: r.channels,
    channels: Array.from({ length: r.channels }, (_, i) => i),
    offset: 0,
    voltage_scaling_factor: 1,
    units: 'µV',
    version: '0.0.0',
    blocks: [{ num_frames: r.frames, path: `s3://braingeneers/${e.key(r.dataPath)}`, timestamp, data_order: 'rowmajor' }],
  };
}

function otherRecording(r: Recording, timestamp: string, extra: JsonObject): JsonObject {
  return {
    name: r.name,
    hardware: r.hardware,
    notes: '',
    timestamp,
    sample_rate: r.listedSampleRate,
    num_channels: r.channels,
    units: 'µV',
    blocks: [{ num_frames: r.frames, path: r.nwbPath ?? r.dataPath, timestamp }],
    ...extra,
  };
}

/** ephys_experiments keyed by recording name, or as a list in the older files. */
function recordingsField(entries: JsonObject[], asList: boolean): Json {
  return asList ? entries : Object.fromEntries(entries.map((entry) => [String(entry.name), entry]));
}

export function ephysMetadata(e: Experiment, recordings: Recording[]): JsonObject {
  const rng = e.rng('metadata');
  const chips = [...new Set(recordings.map((r) => r.chipId).filter((c): c is string => c !== null))];
  const converted = isoAfter(e.date, rng.int(1, 60), rng);
  switch (e.shape) {
    case 'mearec': {
      const cells = /(\d+)cells/.exec(e.descriptor)?.[1] ?? '10';
      const probe = e.descriptor.includes('tetrode') ? 'tetrode' : 'Neuronexus-32 probe';
      const purpose = purposeOf(e, rng, 'simulated', { cells, probe });
      const stamp = isoAfter(e.date, rng.int(0, 30), rng);
      const notes: Json = e.notesAsString ? purpose : { comments: purpose };
      return {
        uuid: e.uuid,
        timestamp: stamp,
        notes,
        ephys_experiments: recordingsField(
          recordings.map((r) => mearecRecording(e, r, stamp)),
          false,
        ),
      };
    }
    case 'axion': {
      const stamp = isoAfter(e.date, 0, rng);
      return {
        uuid: e.uuid,
        timestamp: stamp,
        hardware: recordings[0]?.hardware ?? '',
        notes: notesOf(e, rng, purposeOf(e, rng, e.drug ? 'drug' : 'baseline', { chip: 'plate' })),
        plate: { type: 'CytoView MEA 48', wells: 48, electrodes_per_well: 16 },
        ephys_experiments: recordingsField(
          recordings.map((r) => otherRecording(r, `${r.date}T${r.time}`, { data_format: 'Axion AxIS raw' })),
          false,
        ),
      };
    }
    case 'intan-nwb': {
      const notes = notesOf(e, rng, purposeOf(e, rng, 'drug', { chip: 'NeuroNexus A1x64' }));
      return {
        uuid: e.uuid,
        timestamp: converted,
        hardware: recordings[0]?.hardware ?? '',
        notes: { ...notes, biology: { ...(notes.biology as JsonObject), region: 'hippocampus CA1', slice_thickness_um: 350 } },
        ephys_experiments: recordingsField(
          recordings.map((r) =>
            otherRecording(r, `${r.date}T${r.time}`, {
              probe: 'NeuroNexus A1x64-Poly2-6mm-23s-160',
              voltage_scaling_factor: 0.195,
              data_format: 'NeurodataWithoutBorders',
            }),
          ),
          false,
        ),
      };
    }
    default: {
      const layout = e.shape === 'maxwell-nwb' ? 'nwb' : 'old';
      const purpose = purposeOf(e, rng, e.drug ? 'drug' : 'baseline', { chip: chips[0] ?? '' });
      const list = e.shape === 'ephys-list';
      const entries = recordings.map((r) => maxwellRecording(e, r, layout));
      const timestamp = e.shape === 'empty-timestamp' || (layout === 'old' && rng.chance(0.5)) ? '' : converted;
      return {
        uuid: e.uuid,
        timestamp,
        ...(layout === 'nwb' ? { hardware: 'Maxwell' } : {}),
        maxwell_chip_id: chips.join(', '),
        notes: e.notesAsString ? purpose : notesOf(e, rng, purpose),
        ephys_experiments: recordingsField(entries, list),
      };
    }
  }
}
