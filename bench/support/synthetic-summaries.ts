import type { Hdf5Summary, SeriesSummary } from '../../contracts/hdf5-summary';
import { isHdf5Name } from '../../hdf5/signature';
import type { Rng } from './rng';

/**
 * The summaries a crawl would store for a synthetic experiment's HDF5 files, shaped like the lab's: NWB files
 * written from Maxwell recordings (an ElectricalSeries of the recording's channels at its rate, the electrodes
 * table, a subject, Units after spike sorting, sometimes LFP or trials) and raw Maxwell `.h5` files (plain
 * HDF5, the signal as one large uint16 dataset). Sizes and shapes follow the file's size and the metadata's
 * channels and rate, so the index holds what a crawl of such a bucket would.
 */

export interface SummaryContext {
  uuid: string;
  channels: number | null;
  rate: number | null;
  species: string | null;
  purpose: string | null;
  date: string | null;
  /** The experiment was spike-sorted: its NWB files have Units. */
  sorted: boolean;
}

// As the lab's converter and Kilosort's export write them: a summary of such a file is about 5 KiB, as the
// fixtures' are (bench:crawl prints each kind's).
const ELECTRODE_COLUMNS = ['x', 'y', 'z', 'imp', 'location', 'filtering', 'group', 'group_name', 'channel_name', 'rel_x', 'rel_y'];
const UNIT_COLUMNS = ['spike_times', 'electrodes', 'waveform_mean', 'KSLabel', 'Amplitude', 'ContamPct', 'fr', 'ch', 'depth', 'n_spikes'];
const SPECIES: Record<string, string> = { human: 'Homo sapiens', mouse: 'Mus musculus', rat: 'Rattus norvegicus' };

const type = (path: string, name: string, namespace = 'core') => ({ path, type: name, namespace });
// The lab's NWB files keep their int16 samples gzip-compressed to about a third.
const COMPRESSION = 3;
const GZIP = [{ id: 1, name: 'deflate' }];

function series(path: string, name: string, shape: number[], rate: number): SeriesSummary {
  return {
    path,
    type: name,
    shape,
    dtype: '<i2',
    rate,
    timestamps: null,
    start: 0,
    seconds: shape[0]! / rate,
    unit: 'volts',
    conversion: 6.3e-6,
    filters: [],
    decodable: true,
  };
}

function nwbSummary(rng: Rng, size: number, context: SummaryContext): Hdf5Summary {
  const channels = context.channels ?? rng.pick([1024, 1020, 512]);
  // A few files disagree with their metadata: a recording downsampled before conversion.
  const rate = (context.rate ?? 20000) / (rng.chance(0.03) ? 2 : 1);
  const frames = Math.max(1, Math.floor((size * COMPRESSION) / (channels * 2)));
  const groups = rng.int(1, 4);
  const units = context.sorted ? rng.int(20, 600) : 0;
  const lfp = rng.chance(0.2);
  const trials = rng.chance(0.1) ? rng.int(10, 300) : 0;
  const types = [
    type('/', 'NWBFile'),
    type('/general/devices/Maxwell', 'Device'),
    type('/general/subject', 'Subject'),
    ...Array.from({ length: groups }, (_, g) => type(`/general/extracellular_ephys/well${g}`, 'ElectrodeGroup')),
    type('/general/extracellular_ephys/electrodes', 'DynamicTable', 'hdmf-common'),
    type('/general/extracellular_ephys/electrodes/id', 'ElementIdentifiers', 'hdmf-common'),
    ...ELECTRODE_COLUMNS.map((c) => type(`/general/extracellular_ephys/electrodes/${c}`, 'VectorData', 'hdmf-common')),
    type('/acquisition/ElectricalSeries', 'ElectricalSeries'),
    type('/acquisition/ElectricalSeries/electrodes', 'DynamicTableRegion', 'hdmf-common'),
  ];
  const allSeries = [series('/acquisition/ElectricalSeries', 'ElectricalSeries', [frames, channels], rate)];
  if (units > 0) {
    types.push(type('/units', 'Units'), type('/units/id', 'ElementIdentifiers', 'hdmf-common'));
    for (const c of UNIT_COLUMNS) types.push(type(`/units/${c}`, 'VectorData', 'hdmf-common'));
    types.push(type('/units/spike_times_index', 'VectorIndex', 'hdmf-common'));
  }
  if (lfp) {
    const lfpRate = 1000;
    const lfpFrames = Math.floor((frames / rate) * lfpRate);
    types.push(
      type('/processing/ecephys', 'ProcessingModule'),
      type('/processing/ecephys/LFP', 'LFP'),
      type('/processing/ecephys/LFP/ElectricalSeries', 'ElectricalSeries'),
    );
    allSeries.push(series('/processing/ecephys/LFP/ElectricalSeries', 'ElectricalSeries', [lfpFrames, channels], lfpRate));
  }
  if (trials > 0) {
    types.push(type('/intervals/trials', 'TimeIntervals'));
    for (const c of ['start_time', 'stop_time', 'condition']) types.push(type(`/intervals/trials/${c}`, 'VectorData', 'hdmf-common'));
  }
  return {
    format: 'nwb',
    nwb: {
      version: '2.6.0',
      identifier: context.uuid,
      sessionDescription: context.purpose,
      sessionStartTime: context.date ? `${context.date}T12:00:00-08:00` : null,
      experimenter: [],
      lab: 'Braingeneers',
      institution: 'University of California, Santa Cruz',
      keywords: [],
      experimentDescription: null,
      subject: {
        species: context.species ? (SPECIES[context.species] ?? context.species) : null,
        age: null,
        sex: null,
        genotype: null,
        strain: null,
      },
      devices: [{ name: 'Maxwell', description: 'MaxOne high-density microelectrode array' }],
      electrodeGroups: Array.from({ length: groups }, (_, g) => ({ name: `well${g}`, location: 'unknown' })),
      electrodes: channels,
      units: units > 0 ? units : null,
      spikes: units > 0 ? units * rng.int(50, 5000) : null,
      trials: trials > 0 ? trials : null,
      intervals: trials > 0 ? [{ name: 'trials', count: trials }] : [],
    },
    neurodataTypes: types,
    series: allSeries,
    tree: { groups: 14 + groups + (units > 0 ? 1 : 0) + (lfp ? 3 : 0), datasets: 40 + ELECTRODE_COLUMNS.length + (units > 0 ? 6 : 0) },
    largest: [
      {
        path: '/acquisition/ElectricalSeries/data',
        shape: [frames, channels],
        dtype: '<i2',
        bytes: frames * channels * 2,
        filters: GZIP,
        decodable: true,
      },
      ...(units > 0
        ? [
            { path: '/units/spike_times', shape: [units * 800], dtype: '<f8', bytes: units * 6400, filters: [], decodable: true },
            { path: '/units/waveform_mean', shape: [units, 48], dtype: '<f4', bytes: units * 192, filters: [], decodable: true },
          ]
        : []),
      ...ELECTRODE_COLUMNS.slice(0, 7).map((c) => ({
        path: `/general/extracellular_ephys/electrodes/${c}`,
        shape: [channels],
        dtype: '<f8',
        bytes: channels * 8,
        filters: [],
        decodable: true,
      })),
    ].slice(0, 10),
    problems: [],
  };
}

function rawSummary(size: number, context: SummaryContext): Hdf5Summary {
  const channels = context.channels ?? 1024;
  const frames = Math.max(1, Math.floor(size / (channels * 2)));
  return {
    format: 'hdf5',
    nwb: null,
    neurodataTypes: [],
    series: [],
    tree: { groups: 9, datasets: 17 },
    largest: [
      {
        path: '/data_store/data0000/groups/routed/raw',
        shape: [channels, frames],
        dtype: '<u2',
        bytes: frames * channels * 2,
        filters: [],
        decodable: true,
      },
      {
        path: '/data_store/data0000/spikes',
        shape: [Math.floor(frames / 200)],
        dtype: 'compound',
        bytes: frames * 0.08,
        filters: [],
        decodable: true,
      },
      { path: '/data_store/data0000/settings/mapping', shape: [channels], dtype: 'compound', bytes: channels * 16, filters: [], decodable: true },
    ],
    problems: [],
  };
}

/** The summary a crawl would store for this file, or null for a file that is not HDF5. */
export function syntheticSummary(rng: Rng, key: string, size: number, context: SummaryContext): Hdf5Summary | null {
  if (!isHdf5Name(key)) return null;
  return key.endsWith('.nwb') ? nwbSummary(rng, size, context) : rawSummary(size, context);
}
