import pLimit from 'p-limit';
import {
  hdf5SummariesOf,
  listManifestWork,
  saveManifests,
  saveRecordingFacts,
  storedManifest,
  type ManifestWrite,
  type PreviewWrite,
} from '../lib/db/crawl-store';
import { recordingFacts } from '../lib/recordings/facts';
import { describeS3Error, getObjectRange } from '../lib/s3';
import { TAIL_BYTES } from '../hdf5/block-reader';
import type { CrawlContext, Hdf5FileCost } from './context';
import { hasHdf5Signature, HEAD_BYTES } from '../hdf5/signature';
import type { ManifestResult, PreviewOutcome } from './hdf5-manifest';
import { ManifestPool } from './manifest-pool';
import { describePreview, drawPreview } from './preview-image';

export interface ManifestCounts {
  /** Files whose manifest and summary were built from S3. */
  built: number;
  /** Files small enough for the viewer to read whole: summarised, no manifest kept. */
  small: number;
  /** Files whose stored manifest gave their summary, with no read from S3. */
  fromStored: number;
  notHdf5: number;
  /** HDF5 could not walk the file; recorded, and not tried again until the file changes. */
  unreadable: number;
  /** S3 failed; nothing recorded, so the next crawl tries again. */
  failed: number;
  /** Range requests to S3 for all of them, and the bytes they returned. */
  reads: number;
  bytesRead: number;
  seconds: number;
  /** Previews drawn, and the files that have none (with a reason recorded); what the drawn ones' data took from S3. */
  previewsDrawn: number;
  previewsSkipped: number;
  previewReads: number;
  previewBytes: number;
}

export const noManifestCounts = (): ManifestCounts => ({
  built: 0,
  small: 0,
  fromStored: 0,
  notHdf5: 0,
  unreadable: 0,
  failed: 0,
  reads: 0,
  bytesRead: 0,
  seconds: 0,
  previewsDrawn: 0,
  previewsSkipped: 0,
  previewReads: 0,
  previewBytes: 0,
});

// Manifests written per transaction: a crawl killed here loses at most this many, and the next run builds them.
const WRITE_BATCH = 32;

/**
 * Learns what every HDF5 file in the scope's prefixes (and experiments, when it names them) holds whose current version the index does not know yet:
 * its manifest (unless the viewer reads it whole at once: up to TAIL_BYTES), its summary and its preview,
 * `concurrency` at a time, writing them in batches. A file whose manifest is stored (from before summaries
 * or previews were) is walked over it, reading from S3 only its preview's data. Each other file's first block is read here: a file
 * that is not HDF5 costs that one read and never reaches the worker, whose h5wasm takes about a second
 * to start. `onProgress` hears how many files are done of how many there are.
 */
export async function buildManifests(
  ctx: CrawlContext,
  scope: { prefixes: string[]; paths?: string[] },
  concurrency: number,
  onProgress?: (done: number, planned: number) => void,
): Promise<{ counts: ManifestCounts; experimentIds: Set<number> }> {
  const started = performance.now();
  const counts = noManifestCounts();
  const work = listManifestWork(ctx.db, scope.prefixes, scope.paths);
  let done = 0;
  onProgress?.(done, work.length);
  // The experiments whose files' summaries this run records: their recording facts follow.
  const experimentIds = new Set<number>();
  if (work.length === 0) return { counts, experimentIds };
  const pool = new ManifestPool();
  const limit = pLimit(concurrency);
  let pending: ManifestWrite[] = [];
  const save = (write: ManifestWrite, experimentId: number) => {
    experimentIds.add(experimentId);
    pending.push(write);
    if (pending.length >= WRITE_BATCH) flush();
  };
  const flush = () => {
    if (pending.length) saveManifests(ctx.db, pending, new Date());
    pending = [];
  };
  const previewWrite = async (outcome: PreviewOutcome | undefined, key: string): Promise<PreviewWrite | undefined> => {
    if (!outcome) return undefined;
    if (outcome.status === 'read') {
      try {
        const image = await drawPreview(outcome.data);
        counts.previewsDrawn++;
        counts.previewReads += outcome.fetches;
        counts.previewBytes += outcome.fetchedBytes;
        const cost = { reads: outcome.fetches, bytesRead: outcome.fetchedBytes };
        return { status: 'drawn', ...image, description: describePreview(outcome.data), ...cost };
      } catch (error) {
        ctx.onWarning?.(`cannot draw the preview of s3://${ctx.bucket}/${key}: ${error instanceof Error ? error.message : String(error)}`);
        outcome = { status: 'skipped', reason: 'its preview could not be drawn' };
      }
    }
    counts.previewsSkipped++;
    return { status: 'skipped', reason: outcome.reason, reads: 0, bytesRead: 0 };
  };
  try {
    await Promise.all(
      work.map((object) =>
        limit(async () => {
          const fileStarted = performance.now();
          const cost: Pick<Hdf5FileCost, 'reads' | 'bytes' | 'preview'> = { reads: 0, bytes: 0 };
          const report = (outcome: Hdf5FileCost['outcome']) => {
            counts.reads += cost.reads;
            counts.bytesRead += cost.bytes;
            ctx.onHdf5File?.({ key: object.key, size: object.size, outcome, ...cost, ms: performance.now() - fileStarted });
            onProgress?.(++done, work.length);
          };
          const read = async (start: number, end: number) => {
            cost.reads++;
            const bytes = await getObjectRange(ctx.s3.client, ctx.bucket, object.key, object.etag, start, end);
            cost.bytes += bytes.length;
            return bytes;
          };
          const stored = object.stored ? storedManifest(ctx.db, object.id) : undefined;
          let result: ManifestResult;
          try {
            const wantsPreview = !object.previewed;
            if (stored) result = await pool.build(object.size, { stored, read, preview: wantsPreview });
            // Shorter than HDF5's signature: nothing to read.
            else if (object.size < 8) result = { status: 'not_hdf5' };
            else {
              const head = await read(0, Math.min(object.size, HEAD_BYTES) - 1);
              // The builder starts by reading the first block: it gets the one read here.
              const fromHead = (start: number, end: number) =>
                start === 0 && end < head.length ? Promise.resolve(head.slice(0, end + 1)) : read(start, end);
              result = hasHdf5Signature(head) ? await pool.build(object.size, { read: fromHead, preview: wantsPreview }) : { status: 'not_hdf5' };
            }
          } catch (error) {
            counts.failed++;
            report('failed');
            ctx.onWarning?.(`cannot build the manifest of s3://${ctx.bucket}/${object.key}: ${describeS3Error(error)}`);
            return;
          }
          const base = { objectId: object.id, etag: object.etag };
          if (result.status === 'built') {
            const { manifest, summary } = result;
            const outcome = stored ? 'fromStored' : object.size <= TAIL_BYTES ? 'small' : 'built';
            counts[outcome]++;
            const preview = await previewWrite(result.preview, object.key);
            if (preview) cost.preview = { status: preview.status, reads: preview.reads, bytes: preview.bytesRead };
            report(outcome);
            save(
              object.size <= TAIL_BYTES
                ? { ...base, status: 'small', summary, preview }
                : { ...base, status: 'built', ranges: manifest.ranges, bytes: manifest.bytes, summary, preview },
              object.experimentId,
            );
          } else if (result.status === 'not_hdf5') {
            counts.notHdf5++;
            report('notHdf5');
            save({ ...base, status: 'not_hdf5' }, object.experimentId);
          } else {
            counts.unreadable++;
            report('unreadable');
            ctx.onWarning?.(`s3://${ctx.bucket}/${object.key} is not readable as HDF5: ${result.error}`);
            save({ ...base, status: 'unreadable', error: result.error }, object.experimentId);
          }
        }),
      ),
    );
  } finally {
    flush();
    await pool.close();
  }
  counts.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  return { counts, experimentIds };
}

// Experiments whose recording facts are written per transaction.
const FACTS_BATCH = 500;

/** Gathers again what these experiments' files hold (their summaries) into their recording columns. */
export function updateRecordingFacts(ctx: CrawlContext, experimentIds: Set<number>): void {
  const ids = [...experimentIds];
  for (let i = 0; i < ids.length; i += FACTS_BATCH) {
    const summaries = hdf5SummariesOf(ctx.db, ids.slice(i, i + FACTS_BATCH));
    saveRecordingFacts(
      ctx.db,
      [...summaries].map(([experimentId, list]) => ({ experimentId, columns: recordingFacts(list) })),
    );
  }
}
