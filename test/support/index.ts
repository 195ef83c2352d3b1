import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawl, type CrawlOptions, type CrawlSummary } from '../../crawler/crawl';
import { openDatabase, type AppDatabase } from '../../lib/db/index';
import { createS3Client } from '../../lib/s3';
import { testConfig } from './s3';

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `bgs-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function openTempIndex(dir: string, name = 'search.db'): AppDatabase {
  return openDatabase(join(dir, name));
}

/** Runs one crawl in-process, with its own S3 client (so request counts are this run's alone). */
export async function crawlInto(
  db: AppDatabase,
  bucket: string,
  options: Partial<CrawlOptions> & { endpoint?: string; maxAttempts?: number; onWarning?: (message: string) => void } = {},
): Promise<CrawlSummary> {
  const { endpoint, maxAttempts, onWarning, ...rest } = options;
  const s3 = createS3Client(testConfig(bucket, { endpoint, maxAttempts }));
  try {
    return await crawl(
      { db, s3, bucket, onWarning },
      { prefixes: ['archive', 'ephys', 'fluidics', 'imaging', 'integrated'], concurrency: 8, rebuild: false, dryRun: false, ...rest },
    );
  } finally {
    s3.client.destroy();
  }
}

/**
 * The index's content without what legitimately differs between two crawls of the same bucket
 * (row ids, crawl times), for comparing indexes.
 */
export function dumpIndex(db: AppDatabase) {
  const sqlite = db.$client;
  return {
    experiments: sqlite
      .prepare(
        `SELECT uuid, prefix, path, metadata_source, metadata_key, metadata_etag, metadata_raw, metadata_error, metadata_text,
                date, species, sample_type, cell_line, hardware, chip_ids, channel_count, sample_rate, recording_names, purpose,
                object_count, total_bytes, newest_modified
         FROM experiments ORDER BY path`,
      )
      .all(),
    objects: sqlite
      .prepare(
        `SELECT o.uuid, o.key, o.size, o.etag, o.last_modified, e.path AS experiment
         FROM objects o JOIN experiments e ON e.id = o.experiment_id ORDER BY o.key`,
      )
      .all(),
    manifests: sqlite
      .prepare(
        `SELECT o.key, m.etag, m.status, m.ranges, hex(m.bytes) AS bytes, m.error
         FROM hdf5_manifests m JOIN objects o ON o.id = m.object_id ORDER BY o.key`,
      )
      .all(),
  };
}

export function integrityCheck(db: AppDatabase): string {
  const sqlite = db.$client;
  const result = sqlite.pragma('integrity_check', { simple: true }) as string;
  sqlite.exec(`INSERT INTO experiments_fts(experiments_fts, rank) VALUES('integrity-check', 1)`);
  return result;
}
