import type { experiments } from './db/schema';
import { formatBytes, formatCount, formatSampleRate } from './format';
import { describeHoldings, describeRecordingSize, describeUnits } from './recordings/describe';

/** What an experiment is, in a few words: the page's summary line, its unfurl description and its card. */

type Experiment = typeof experiments.$inferSelect;

export interface Fact {
  label: string;
  value: string;
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
    ['Channels', e.channelCount === null ? null : formatCount(e.channelCount)],
    ['Sample rate', e.sampleRate === null ? null : formatSampleRate(e.sampleRate)],
  ];
  return facts.filter((f): f is [string, string] => f[1] !== null).map(([label, value]) => ({ label, value }));
}

/**
 * The two labelled figures an unfurl shows under its title (Slack reads `twitter:label1`/`data1`, `label2`/
 * `data2`): what its recordings are and their spikes, from what its files hold, or else its files and date.
 */
export function unfurlLabels(e: Experiment): Fact[] {
  const metadataChannels = e.channelCount === null ? null : `${formatCount(e.channelCount)} ch`;
  const candidates: [string, string | null][] = [
    ['Recording', describeRecordingSize(e) ?? metadataChannels],
    ['Spikes', describeUnits(e)],
    ['Files', e.objectCount > 0 ? `${formatCount(e.objectCount)} · ${formatBytes(e.totalBytes)}` : null],
    ['Date', e.date],
  ];
  return candidates
    .filter((c): c is [string, string] => c[1] !== null)
    .slice(0, 2)
    .map(([label, value]) => ({ label, value }));
}

const MAX_DESCRIPTION_CHARS = 300;

/** One line for unfurlers: purpose, species, sample type, what its files hold (or its channels), date. */
export function experimentDescription(e: Experiment): string {
  const holds = describeHoldings(e);
  const channels = e.channelCount === null ? null : `${formatCount(e.channelCount)} channels`;
  const details = [e.species, e.sampleType, holds ?? channels, e.date].filter(Boolean).join(' · ');
  const purpose = e.purpose ?? (e.metadataError ? 'metadata could not be read' : `${e.prefix} experiment`);
  const line = details ? `${purpose} (${details})` : purpose;
  return line.length > MAX_DESCRIPTION_CHARS ? `${line.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : line;
}
