import type { experiments } from './db/schema';

/** What an experiment is, in a few words: the page's summary line, its unfurl description and its card. */

type Experiment = typeof experiments.$inferSelect;

export interface Fact {
  label: string;
  value: string;
}

const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function formatSampleRate(hz: number): string {
  return hz >= 1000 ? `${number(hz / 1000)} kHz` : `${number(hz)} Hz`;
}

/** The summary fields that are known, labelled, in the order the lab reads them. */
export function experimentFacts(e: Experiment): Fact[] {
  const facts: [string, string | null][] = [
    ['Date', e.date],
    ['Modality', e.prefix],
    ['Species', e.species],
    ['Sample type', e.sampleType],
    ['Cell line', e.cellLine],
    ['Hardware', e.hardware],
    ['Chip ids', e.chipIds],
    ['Channels', e.channelCount === null ? null : number(e.channelCount)],
    ['Sample rate', e.sampleRate === null ? null : formatSampleRate(e.sampleRate)],
  ];
  return facts.filter((f): f is [string, string] => f[1] !== null).map(([label, value]) => ({ label, value }));
}

const MAX_DESCRIPTION_CHARS = 300;

/** One line for unfurlers: purpose, species, sample type, channels, date. */
export function experimentDescription(e: Experiment): string {
  const details = [e.species, e.sampleType, e.channelCount === null ? null : `${number(e.channelCount)} channels`, e.date]
    .filter(Boolean)
    .join(' · ');
  const purpose = e.purpose ?? (e.metadataError ? 'metadata could not be read' : `${e.prefix} experiment`);
  const line = details ? `${purpose} (${details})` : purpose;
  return line.length > MAX_DESCRIPTION_CHARS ? `${line.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : line;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${number(seconds)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h} h ${m} min` : `${m} min ${s} s`;
}
