import 'server-only';
import type { Hdf5Summary } from '../../contracts/hdf5-summary';
import { experimentHdf5Facts } from '../db/queries';
import type { experiments } from '../db/schema';
import { describeFile, describeHoldings } from './describe';
import { listOf } from './facts';

/** What an experiment's files hold, for its page and its API answer. */

export interface FileHoldings {
  /** What it holds, in one line. */
  holds?: string;
  /** Why the crawler could not read it as HDF5. */
  unreadable?: string;
  summary?: Hdf5Summary;
}

/** Each HDF5 file's holdings, by file uuid. */
export function fileHoldings(experimentId: number): Map<string, FileHoldings> {
  const holdings = new Map<string, FileHoldings>();
  for (const [uuid, { status, summary, error }] of experimentHdf5Facts(experimentId)) {
    if (summary) holdings.set(uuid, { holds: describeFile(summary), summary });
    else if (status === 'unreadable') holdings.set(uuid, { unreadable: error ?? 'not readable as HDF5' });
    else if (status === 'not_hdf5') holdings.set(uuid, { unreadable: 'not an HDF5 file (no HDF5 signature)' });
  }
  return holdings;
}

type Experiment = typeof experiments.$inferSelect;

/** The experiment's recording facts as the API gives them: what the search's operators and facets see. */
export function recordingFactsOf(e: Experiment) {
  return {
    holds: describeHoldings(e),
    dataTypes: listOf(e.dataTypes),
    has: listOf(e.recordingFlags),
    maxChannels: e.maxChannels,
    maxSeconds: e.maxSeconds,
    rates: listOf(e.rates).map(Number),
    hdf5Files: e.hdf5Files,
    nwbFiles: e.nwbFiles,
    units: e.unitCount,
  };
}
