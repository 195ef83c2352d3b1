import { nearlyEqual } from '../../contracts/filters';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';
import { formatCount, formatLength, formatSampleRate } from '../format';
import type { RecordingSummary } from '../metadata-shape';
import { channelsOf } from './facts';
import { mainSeries } from './describe';

/**
 * Where a recording's metadata.json and its files disagree: the rate, the channels or the length it lists
 * against what the file's recording says of itself. A file decimated before conversion, or a block
 * pointing at another recording's file, shows here.
 */
export function disagreements(recording: RecordingSummary, block: RecordingSummary['blocks'][number], summary: Hdf5Summary): string[] {
  const series = mainSeries(summary);
  if (!series) return [];
  const found: string[] = [];
  if (recording.sampleRate !== null && series.rate !== null && !nearlyEqual(series.rate, recording.sampleRate)) {
    found.push(`metadata lists ${formatSampleRate(recording.sampleRate)}, the file records at ${formatSampleRate(series.rate)}`);
  }
  const channels = channelsOf(series);
  if (recording.channels !== null && channels !== null && channels !== recording.channels) {
    found.push(`metadata lists ${formatCount(recording.channels)} channels, the file has ${formatCount(channels)}`);
  }
  if (block.seconds !== null && series.seconds !== null && !nearlyEqual(series.seconds, block.seconds)) {
    found.push(`metadata makes it ${formatLength(block.seconds)} long, the file ${formatLength(series.seconds)}`);
  }
  return found;
}
