import type { Hdf5Summary, NwbSummary, SeriesSummary } from '../contracts/hdf5-summary';
import { browserCanDecode } from '../hdf5/filters';

/**
 * What an HDF5 file holds (contracts/hdf5-summary.ts), from what the manifest's walk saw of each object
 * (hdf5-manifest.ts): its attributes, shapes, types, filters and the values of its few-element datasets.
 * NWB's layout (the NWB 2 schema) says where a file keeps its session, subject, devices and tables.
 */

export type WalkedValue = string | number | boolean | null | WalkedValue[];

/** What the walk recorded of one group or dataset. */
export interface WalkedObject {
  path: string;
  kind: 'group' | 'dataset';
  attrs: Record<string, WalkedValue>;
  shape?: number[] | null;
  dtype?: string;
  /** Bytes of one element. */
  elementSize?: number;
  filters?: { id: number; name: string }[];
  /** The value of a dataset of a few elements (strings, scalars, short lists). */
  value?: WalkedValue;
  /** The first and last element of a large one-dimensional dataset (timestamps), when they could be read. */
  ends?: [WalkedValue, WalkedValue];
}

// What a summary keeps of the lists a file may make long.
const MAX_TYPES = 500;
const MAX_SERIES = 200;
const MAX_LARGEST = 10;
const MAX_ITEMS = 100;

const text = (value: WalkedValue | undefined): string | null => {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (Array.isArray(value) && value.length === 1) return text(value[0]);
  return null;
};
const texts = (value: WalkedValue | undefined): string[] =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' && v.trim() !== '' ? [v.trim()] : [])).slice(0, MAX_ITEMS);
const number = (value: WalkedValue | undefined): number | null => {
  const n = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function summarizeHdf5(objects: WalkedObject[], knownProblems: string[] = []): Hdf5Summary {
  const problems = [...knownProblems];
  const byPath = new Map(objects.map((o) => [o.path, o]));
  const childrenOf = new Map<string, WalkedObject[]>();
  for (const o of objects) {
    if (o.path === '/') continue;
    const siblings = childrenOf.get(parentOf(o.path));
    if (siblings) siblings.push(o);
    else childrenOf.set(parentOf(o.path), [o]);
  }
  // NWB keeps its schema under /specifications: its datasets are documentation, not the recording.
  const content = objects.filter((o) => !o.path.startsWith('/specifications/') && o.path !== '/specifications');
  const root = byPath.get('/');
  const isNwb = root?.attrs.neurodata_type === 'NWBFile' || root?.attrs.nwb_version !== undefined;

  const neurodataTypes = content
    .flatMap((o) =>
      typeof o.attrs.neurodata_type === 'string' ? [{ path: o.path, type: o.attrs.neurodata_type, namespace: text(o.attrs.namespace) }] : [],
    )
    .slice(0, MAX_TYPES);

  const series = content.flatMap((group): SeriesSummary[] => {
    if (group.kind !== 'group') return [];
    const data = byPath.get(`${group.path}/data`);
    const startingTime = byPath.get(`${group.path}/starting_time`);
    const timestamps = byPath.get(`${group.path}/timestamps`);
    if (data?.kind !== 'dataset' || (!startingTime && !timestamps)) return [];
    const rate = number(startingTime?.attrs.rate);
    const frames = data.shape?.[0] ?? null;
    // A long timestamps dataset was read at its ends; a short one whole.
    const values = timestamps?.value;
    const ends = timestamps?.ends ?? (Array.isArray(values) && values.length > 0 ? [values[0]!, values.at(-1)!] : [null, null]);
    const first = number(ends[0]);
    const last = number(ends[1]);
    const seconds =
      rate !== null && rate > 0 && frames !== null ? frames / rate : first !== null && last !== null && last >= first ? last - first : null;
    const filters = data.filters ?? [];
    return [
      {
        path: group.path,
        type: typeof group.attrs.neurodata_type === 'string' ? group.attrs.neurodata_type : 'TimeSeries',
        shape: data.shape ?? null,
        dtype: data.dtype ?? 'unknown',
        rate,
        timestamps: timestamps?.shape?.[0] ?? null,
        start: number(startingTime?.value) ?? first,
        seconds,
        unit: text(data.attrs.unit),
        conversion: number(data.attrs.conversion),
        filters,
        decodable: browserCanDecode(filters),
      },
    ];
  });

  const datasets = content.filter((o) => o.kind === 'dataset');
  const bytesOf = (o: WalkedObject) => (o.shape ?? []).reduce((n, d) => n * d, 1) * (o.elementSize ?? 0);
  const largest = [...datasets]
    .sort((a, b) => bytesOf(b) - bytesOf(a))
    .slice(0, MAX_LARGEST)
    .map((o) => ({
      path: o.path,
      shape: o.shape ?? null,
      dtype: o.dtype ?? 'unknown',
      bytes: bytesOf(o),
      filters: o.filters ?? [],
      decodable: browserCanDecode(o.filters ?? []),
    }));

  if (neurodataTypes.length === MAX_TYPES) problems.push(`only the first ${MAX_TYPES} typed objects are listed`);
  if (series.length > MAX_SERIES) problems.push(`only the first ${MAX_SERIES} of ${series.length} time series are listed`);
  return {
    format: isNwb ? 'nwb' : 'hdf5',
    nwb: isNwb ? summarizeNwb(byPath, childrenOf, content) : null,
    neurodataTypes,
    series: series.slice(0, MAX_SERIES),
    tree: { groups: content.filter((o) => o.kind === 'group').length, datasets: datasets.length },
    largest,
    problems,
  };
}

/** Where NWB 2 keeps a file's session, subject, devices and tables. */
function summarizeNwb(byPath: Map<string, WalkedObject>, childrenOf: Map<string, WalkedObject[]>, content: WalkedObject[]): NwbSummary {
  const value = (path: string) => byPath.get(path)?.value;
  const rows = (path: string) => byPath.get(path)?.shape?.[0] ?? null;
  const groupsUnder = (path: string) => (childrenOf.get(path) ?? []).filter((o) => o.kind === 'group');
  const ofType = (type: string) => content.filter((o) => o.kind === 'group' && o.attrs.neurodata_type === type);
  const units = byPath.get('/units') ?? ofType('Units')[0];
  const trials = byPath.get('/intervals/trials');
  const electrodes = '/general/extracellular_ephys/electrodes';
  return {
    version: text(byPath.get('/')?.attrs.nwb_version),
    identifier: text(value('/identifier')),
    sessionDescription: text(value('/session_description')),
    sessionStartTime: text(value('/session_start_time')),
    experimenter: texts(value('/general/experimenter')),
    lab: text(value('/general/lab')),
    institution: text(value('/general/institution')),
    keywords: texts(value('/general/keywords')),
    experimentDescription: text(value('/general/experiment_description')),
    subject: {
      species: text(value('/general/subject/species')),
      age: text(value('/general/subject/age')),
      sex: text(value('/general/subject/sex')),
      genotype: text(value('/general/subject/genotype')),
      strain: text(value('/general/subject/strain')),
    },
    devices: groupsUnder('/general/devices')
      .slice(0, MAX_ITEMS)
      .map((d) => ({ name: nameOf(d.path), description: text(d.attrs.description) ?? text(value(`${d.path}/description`)) })),
    electrodeGroups: ofType('ElectrodeGroup')
      .slice(0, MAX_ITEMS)
      .map((g) => ({ name: nameOf(g.path), location: text(g.attrs.location) })),
    electrodes: rows(`${electrodes}/id`),
    units: units ? rows(`${units.path}/id`) : null,
    spikes: units ? rows(`${units.path}/spike_times`) : null,
    trials: trials ? rows('/intervals/trials/id') : null,
    intervals: groupsUnder('/intervals')
      .filter((g) => g.attrs.neurodata_type === 'TimeIntervals')
      .slice(0, MAX_ITEMS)
      .map((g) => ({ name: nameOf(g.path), count: rows(`${g.path}/id`) })),
  };
}
