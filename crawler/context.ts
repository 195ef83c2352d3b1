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
}

export type ExperimentOutcome = 'new' | 'updated' | 'unchanged' | 'failed';

export interface CrawlProgress {
  phase: 'listing' | 'indexing' | 'finishing' | 'manifests';
  objectsListed: number;
  experimentsListed: number;
  experimentsDone: number;
  outcomes: Record<ExperimentOutcome, number>;
}
