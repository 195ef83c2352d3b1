import type { Hdf5Summary, SeriesSummary } from '../../contracts/hdf5-summary';
import { DECODABLE_FILTERS } from '../../hdf5/filters';
import type { experiments } from '../db/schema';
import { formatCount, formatLength, formatSampleRate } from '../format';
import { channelsOf, flagsOf } from './facts';

/**
 * What files hold, in one line: a file's under its name in results and on its experiment's page
 * ("ElectricalSeries 1,024 ch × 62 min @ 20 kHz · LFP · 312 units"), an experiment's on its card and in
 * its description ("2 NWB files · 1,024 ch · 62 min · 312 units").
 */

// The namespaces of NWB itself: a type from any other is an extension's, worth naming.
const CORE_NAMESPACES = new Set(['core', 'hdmf-common', 'hdmf-experimental']);
const MAX_EXTENSION_TYPES = 3;

const samplesOf = (s: SeriesSummary) => (s.shape ?? []).reduce((n, d) => n * d, 1);
const isLfp = (s: SeriesSummary) => /(^|\/)LFP(\/|$)/i.test(s.path);

/** The series a file is about: its largest recording of channels, else its largest series of any kind. */
export function mainSeries(summary: Hdf5Summary): SeriesSummary | undefined {
  const bySize = summary.series.filter((s) => !isLfp(s)).sort((a, b) => samplesOf(b) - samplesOf(a));
  return bySize.find((s) => channelsOf(s) !== null) ?? bySize[0];
}

/** `ElectricalSeries 1,024 ch × 62 min @ 20 kHz`, `ImageSeries 32 × 32 px × 1 s @ 10 Hz`. */
export function describeSeries(series: SeriesSummary): string {
  const channels = channelsOf(series);
  const frame = series.type.includes('Image') && series.shape?.length === 3 ? `${series.shape[1]} × ${series.shape[2]} px` : null;
  const extent = channels !== null ? `${formatCount(channels)} ch` : frame;
  const length = series.seconds === null ? null : formatLength(series.seconds);
  const body = [extent, length].filter(Boolean).join(' × ');
  const rate = series.rate === null ? '' : ` @ ${formatSampleRate(series.rate)}`;
  return `${series.type}${body ? ` ${body}` : ''}${rate}`;
}

/** One line of what a file holds, from its summary. */
export function describeFile(summary: Hdf5Summary): string {
  const parts: string[] = [];
  const main = mainSeries(summary);
  if (main) parts.push(describeSeries(main));
  else if (summary.largest[0]) {
    const { path, shape, dtype } = summary.largest[0];
    parts.push(`${summary.format === 'nwb' ? 'NWB' : 'HDF5'}: ${path} ${shape?.map(formatCount).join(' × ') ?? 'scalar'} ${dtype}`);
  } else parts.push(summary.format === 'nwb' ? 'NWB, no data' : 'HDF5, no datasets');
  const flags = flagsOf(summary);
  if (flags.has('lfp')) parts.push('LFP');
  const nwb = summary.nwb;
  if (nwb?.units) parts.push(`${formatCount(nwb.units)} units`);
  if (nwb?.trials) parts.push(`${formatCount(nwb.trials)} trials`);
  for (const series of summary.series) {
    if (series !== main && series.type.includes('Image')) parts.push(describeSeries(series));
  }
  const extensions = new Set(
    summary.neurodataTypes.filter((t) => t.namespace !== null && !CORE_NAMESPACES.has(t.namespace)).map((t) => `${t.type} (${t.namespace})`),
  );
  parts.push(...[...extensions].slice(0, MAX_EXTENSION_TYPES));
  // The name is the file's own word for its filter; the id is the registry's.
  const undecodable = new Set(
    [...summary.series, ...summary.largest].flatMap((d) =>
      d.filters.filter((f) => !DECODABLE_FILTERS.has(f.id)).map((f) => `${f.name} (filter ${f.id})`),
    ),
  );
  if (undecodable.size > 0) parts.push(`${[...undecodable].join(', ')}: not viewable in a browser`);
  return parts.join(' · ');
}

type Holdings = Pick<typeof experiments.$inferSelect, 'hdf5Files' | 'nwbFiles' | 'maxChannels' | 'maxSeconds' | 'unitCount'>;

/** One line of what an experiment's files hold, from its recording columns; null when it has no HDF5 file. */
export function describeHoldings(e: Holdings): string | null {
  if (e.hdf5Files === 0) return null;
  const other = e.hdf5Files - e.nwbFiles;
  const files = [
    e.nwbFiles > 0 ? `${formatCount(e.nwbFiles)} NWB ${e.nwbFiles === 1 ? 'file' : 'files'}` : null,
    other > 0 ? `${formatCount(other)} HDF5 ${other === 1 ? 'file' : 'files'}` : null,
  ];
  return [...files, describeRecordingSize(e), describeUnits(e)].filter(Boolean).join(' · ');
}

/** Its widest and longest recording ("1,024 ch · 62 min"), from what its files hold; null when unknown. */
export function describeRecordingSize(e: Pick<Holdings, 'maxChannels' | 'maxSeconds'>): string | null {
  const parts = [e.maxChannels === null ? null : `${formatCount(e.maxChannels)} ch`, e.maxSeconds === null ? null : formatLength(e.maxSeconds)];
  return parts.some(Boolean) ? parts.filter(Boolean).join(' · ') : null;
}

/** Its sorted units ("312 units"); null without any. */
export const describeUnits = (e: Pick<Holdings, 'unitCount'>) => (e.unitCount > 0 ? `${formatCount(e.unitCount)} units` : null);
