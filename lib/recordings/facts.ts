import { RECORDING_FLAGS, type RecordingFlag } from '../../contracts/filters';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';

/**
 * What an experiment's HDF5 files hold, gathered from their summaries into the columns search filters and
 * counts on (`type:`, `has:`, `channels:`, `duration:`, `rate:`, the data facet) and the text it matches.
 */
export interface RecordingFacts {
  recordingText: string;
  /** Neurodata types, space-separated, sorted. */
  dataTypes: string;
  /** `units`, `spikes`, `lfp`, `trials`, space-separated. */
  recordingFlags: string;
  maxChannels: number | null;
  maxSeconds: number | null;
  /** Sample rates in Hz, space-separated, ascending. */
  rates: string;
  hdf5Files: number;
  nwbFiles: number;
  unitCount: number;
}

// Channels are electrodes: an ElectricalSeries (or an extension's kind of one) is time × channels. Other
// series' second axis is anything (x and y of a position, an image's width).
const isChannelSeries = (type: string, shape: number[] | null) => shape?.length === 2 && type.includes('ElectricalSeries');
const MAX_TEXT_CHARS = 100_000;
// A type the data_types column and the type: operator can hold: a name, as NWB's schema language writes them.
const TYPE_NAME = /^[\w.-]{1,100}$/;

/** The flags one file's summary sets. */
export function flagsOf(summary: Hdf5Summary): Set<RecordingFlag> {
  const flags = new Set<RecordingFlag>();
  const nwb = summary.nwb;
  if ((nwb?.units ?? 0) > 0) flags.add('units');
  if ((nwb?.spikes ?? 0) > 0) flags.add('spikes');
  if ((nwb?.trials ?? 0) > 0) flags.add('trials');
  // NWB keeps local field potentials in an LFP container (processing/ecephys/LFP) of ElectricalSeries.
  if (summary.neurodataTypes.some((t) => t.type === 'LFP') || summary.series.some((s) => /(^|\/)LFP(\/|$)/i.test(s.path))) flags.add('lfp');
  return flags;
}

/** A series' channel count, when it is a time × channels array. */
export function channelsOf(series: { type: string; shape: number[] | null }): number | null {
  return isChannelSeries(series.type, series.shape) ? series.shape![1]! : null;
}

/** The values of a space-separated fact column (data types, flags, rates). */
export const listOf = (column: string): string[] => column.split(' ').filter(Boolean);

export function recordingFacts(summaries: Hdf5Summary[]): RecordingFacts {
  const types = new Set<string>();
  const flags = new Set<RecordingFlag>();
  const rates = new Set<number>();
  const lines: (string | null)[] = [];
  let maxChannels: number | null = null;
  let maxSeconds: number | null = null;
  let unitCount = 0;
  for (const summary of summaries) {
    unitCount += summary.nwb?.units ?? 0;
    for (const { type } of summary.neurodataTypes) types.add(type);
    for (const flag of flagsOf(summary)) flags.add(flag);
    for (const series of summary.series) {
      types.add(series.type);
      if (series.rate !== null && series.rate > 0) rates.add(series.rate);
      if (series.seconds !== null) maxSeconds = Math.max(maxSeconds ?? 0, series.seconds);
      const channels = channelsOf(series);
      if (channels !== null) maxChannels = Math.max(maxChannels ?? 0, channels);
    }
    const nwb = summary.nwb;
    if (!nwb) continue;
    const { subject } = nwb;
    lines.push(
      ...[
        nwb.sessionDescription,
        nwb.identifier,
        nwb.lab,
        nwb.institution,
        nwb.experimentDescription,
        subject.species,
        subject.age,
        subject.sex,
        subject.genotype,
        subject.strain,
      ],
      ...nwb.experimenter,
      ...nwb.keywords,
      ...nwb.devices.flatMap((d) => [d.name, d.description]),
      ...nwb.electrodeGroups.flatMap((g) => [g.name, g.location]),
    );
  }
  const text = [...new Set(lines.filter((line): line is string => line !== null && line !== ''))];
  return {
    recordingText: [...text, ...types].join('\n').slice(0, MAX_TEXT_CHARS),
    dataTypes: [...types]
      .filter((type) => TYPE_NAME.test(type))
      .sort()
      .join(' '),
    recordingFlags: RECORDING_FLAGS.filter((flag) => flags.has(flag)).join(' '),
    maxChannels,
    maxSeconds,
    rates: [...rates].sort((a, b) => a - b).join(' '),
    hdf5Files: summaries.length,
    nwbFiles: summaries.filter((s) => s.format === 'nwb').length,
    unitCount,
  };
}
