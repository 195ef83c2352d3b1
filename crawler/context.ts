import type { AppDatabase } from '../lib/db/index';
import type { CountingS3Client } from '../lib/s3';

/** What every part of a crawl is given: the index, the S3 client, and where to report. */
export interface CrawlContext {
  db: AppDatabase;
  s3: CountingS3Client;
  bucket: string;
  onProgress?: (progress: CrawlProgress) => void;
  /** Problems that do not stop the run (an experiment whose metadata could not be read). */
  onWarning?: (message: string) => void;
  /** Each HDF5 file the manifest phase looked at, with what it cost. */
  onHdf5File?: (file: Hdf5FileCost) => void;
}

export interface Hdf5FileCost {
  key: string;
  size: number;
  outcome: 'built' | 'small' | 'fromStored' | 'notHdf5' | 'unreadable' | 'failed';
  /** Range requests to S3, the first block's included, and the bytes they returned. */
  reads: number;
  bytes: number;
  ms: number;
  /** Its preview, when one was looked for: drawn or skipped, and what its data took of those reads. */
  preview?: { status: 'drawn' | 'skipped'; reads: number; bytes: number };
}

export type ExperimentOutcome = 'new' | 'updated' | 'unchanged' | 'failed';

export interface CrawlProgress {
  phase: 'listing' | 'indexing' | 'finishing' | 'manifests';
  objectsListed: number;
  experimentsListed: number;
  experimentsDone: number;
  outcomes: Record<ExperimentOutcome, number>;
  /** HDF5 files whose manifest and summary the manifests phase builds, and how many it has done. */
  hdf5Planned: number;
  hdf5Done: number;
}
