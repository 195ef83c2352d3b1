import pLimit from 'p-limit';
import { listManifestWork, saveManifest } from '../lib/db/crawl-store';
import { describeS3Error, getObjectRange } from '../lib/s3';
import type { CrawlContext } from './crawl';
import { ManifestPool } from './manifest-pool';

export interface ManifestCounts {
  built: number;
  notHdf5: number;
  /** HDF5 could not walk the file; recorded, and not tried again until the file changes. */
  unreadable: number;
  /** S3 failed; nothing recorded, so the next crawl tries again. */
  failed: number;
}

/**
 * Builds the manifest of every HDF5 file in `prefixes` whose current version has none, `concurrency` at a
 * time. Each result is written on its own, so a crawl killed here keeps what it built.
 */
export async function buildManifests(ctx: CrawlContext, prefixes: string[], concurrency: number): Promise<ManifestCounts> {
  const counts: ManifestCounts = { built: 0, notHdf5: 0, unreadable: 0, failed: 0 };
  const work = listManifestWork(ctx.db, prefixes);
  if (work.length === 0) return counts;
  const pool = new ManifestPool();
  const limit = pLimit(concurrency);
  try {
    await Promise.all(
      work.map((object) =>
        limit(async () => {
          const read = (start: number, end: number) => getObjectRange(ctx.s3.client, ctx.bucket, object.key, object.etag, start, end);
          let result;
          try {
            result = await pool.build(object.size, read);
          } catch (error) {
            counts.failed++;
            ctx.onWarning?.(`cannot build the manifest of s3://${ctx.bucket}/${object.key}: ${describeS3Error(error)}`);
            return;
          }
          const base = { objectId: object.id, etag: object.etag };
          if (result.status === 'built') {
            counts.built++;
            saveManifest(ctx.db, { ...base, status: 'built', ranges: result.manifest.ranges, bytes: result.manifest.bytes }, new Date());
          } else if (result.status === 'not_hdf5') {
            counts.notHdf5++;
            saveManifest(ctx.db, { ...base, status: 'not_hdf5' }, new Date());
          } else {
            counts.unreadable++;
            ctx.onWarning?.(`s3://${ctx.bucket}/${object.key} is not readable as HDF5: ${result.error}`);
            saveManifest(ctx.db, { ...base, status: 'unreadable', error: result.error }, new Date());
          }
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  return counts;
}
