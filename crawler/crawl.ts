import pLimit from 'p-limit';
import {
  deleteExperiments,
  experimentIdsOf,
  finishCrawlRun,
  listExperimentPaths,
  loadExperimentState,
  startCrawlRun,
  touchExperiments,
  writeExperiments,
  type CrawlRunTotals,
  type ExperimentFields,
  type ExperimentFileFields,
  type ExperimentWrite,
  type ObjectState,
  type StoredExperimentState,
} from '../lib/db/crawl-store';
import { experimentDateRange } from '../lib/db/date-range';
import { daysBefore } from '../lib/folder-dates';
import type { ListedObject } from '../lib/s3';
import type { CrawlContext, CrawlProgress, ExperimentOutcome } from './context';
import { listExperiments, type ListedExperiment } from './list';
import { buildManifests, noManifestCounts, updateRecordingFacts, type ManifestCounts } from './manifests';
import { readExperimentMetadata, pickMetadataObject } from './read-metadata';

export interface CrawlOptions {
  prefixes: string[];
  concurrency: number;
  /** Index only the newest N experiments; nothing is deleted in such a run. */
  count?: number;
  /**
   * A recent pass: only the experiment folders dated within the last `recentDays` days (and their files'
   * manifests); nothing it did not list is touched, nothing is deleted.
   */
  recentDays?: number;
  /** A pass over these experiment folders only (`<prefix>/<folder name>`), as a recent pass: nothing else is touched. */
  folders?: string[];
  /** Rebuild every experiment as if the index were empty, and drop everything not found in this run. */
  rebuild: boolean;
  dryRun: boolean;
}

export interface CrawlSummary {
  status: 'succeeded' | 'partial' | 'failed';
  dryRun: boolean;
  experiments: Record<ExperimentOutcome | 'deleted', number>;
  objects: number;
  /** HDF5 manifests built this run (none in a dry run). */
  manifests: ManifestCounts;
  s3Requests: Record<string, number>;
  seconds: number;
  oldestDate: string | null;
  newestDate: string | null;
  error?: string;
}

function sameObject(a: ObjectState, b: ListedObject): boolean {
  return a.etag === b.etag && a.size === b.size && a.lastModified.getTime() === b.lastModified.getTime();
}

function diffObjects(stored: StoredExperimentState | undefined, listed: ListedObject[]) {
  const upsert = listed.filter((o) => {
    const before = stored?.objects.get(o.key);
    return !before || !sameObject(before, o);
  });
  const listedKeys = new Set(listed.map((o) => o.key));
  const remove = stored ? [...stored.objects.keys()].filter((key) => !listedKeys.has(key)) : [];
  return { upsert, remove };
}

function fileFields(experiment: ListedExperiment): ExperimentFileFields {
  let totalBytes = 0;
  let newest = 0;
  for (const o of experiment.objects) {
    totalBytes += o.size;
    newest = Math.max(newest, o.lastModified.getTime());
  }
  const folder = experiment.path.length + 1;
  return {
    path: experiment.path,
    objectCount: experiment.objects.length,
    totalBytes,
    newestModified: new Date(newest),
    fileText: experiment.objects.map((o) => o.key.slice(folder)).join('\n'),
  };
}

/** What one experiment needs to be up to date with its listing; reads its metadata only when it changed. */
async function planExperiment(
  ctx: CrawlContext,
  options: CrawlOptions,
  experiment: ListedExperiment,
): Promise<{ outcome: ExperimentOutcome; write?: ExperimentWrite }> {
  const stored = loadExperimentState(ctx.db, experiment.path);
  const metadataObject = pickMetadataObject(experiment);
  const metadataChanged =
    options.rebuild || !stored || stored.metadataKey !== (metadataObject?.key ?? null) || stored.metadataEtag !== (metadataObject?.etag ?? null);
  const { upsert, remove } = options.rebuild
    ? { upsert: experiment.objects, remove: diffObjects(stored, experiment.objects).remove }
    : diffObjects(stored, experiment.objects);
  if (!metadataChanged && upsert.length === 0 && remove.length === 0) return { outcome: 'unchanged' };
  const outcome = stored ? 'updated' : 'new';
  if (options.dryRun) return { outcome };

  let fields: ExperimentFields | ExperimentFileFields = fileFields(experiment);
  if (metadataChanged) {
    const read = await readExperimentMetadata(ctx, experiment, metadataObject);
    if (!read.ok) return { outcome: 'failed' };
    fields = { uuid: experiment.uuid, prefix: experiment.prefix, ...fields, ...read.fields };
  }
  return { outcome, write: { fields, upsert, remove } };
}

// Experiments written per transaction: a crash loses at most this much finished work, never consistency.
const WRITE_BATCH = 64;

/**
 * What is kept of an experiment whose write the index refused (content no lab file holds, which SQLite
 * cannot store): its files and the reason, instead of its metadata, so the refusal shows on its page.
 */
function refusedWrite({ fields, upsert, remove }: ExperimentWrite, reason: string): ExperimentWrite | undefined {
  if (!('metadataSource' in fields)) return undefined;
  const error = `the index could not store this experiment's metadata: ${reason}`;
  return { fields: { ...fields, metadataRaw: null, metadataText: '', metadataTruncation: null, metadataError: error }, upsert, remove };
}

/** One crawl: list, diff against the index, fetch changed metadata, write the changed experiments. */
export async function crawl(ctx: CrawlContext, options: CrawlOptions): Promise<CrawlSummary> {
  const started = new Date();
  const recent = options.recentDays !== undefined || options.folders !== undefined;
  const runId = options.dryRun ? undefined : startCrawlRun(ctx.db, recent ? 'recent' : 'full', { ...options }, started);
  const outcomes: Record<ExperimentOutcome, number> = { new: 0, updated: 0, unchanged: 0, failed: 0 };
  const progress: CrawlProgress = {
    phase: 'listing',
    objectsListed: 0,
    experimentsListed: 0,
    experimentsDone: 0,
    outcomes,
    hdf5Planned: 0,
    hdf5Done: 0,
  };
  const report = () => ctx.onProgress?.(progress);
  let deleted = 0;
  let manifests = noManifestCounts();
  let status: CrawlSummary['status'] = 'succeeded';
  let error: string | undefined;

  let pending: { write: ExperimentWrite; outcome: ExperimentOutcome }[] = [];
  // Experiments whose files changed: what their files hold is gathered again after the manifests.
  const filesChanged: string[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    for (const { write } of batch) if (write.upsert.length > 0 || write.remove.length > 0) filesChanged.push(write.fields.path);
    const refused = writeExperiments(
      ctx.db,
      ctx.bucket,
      started,
      batch.map((p) => p.write),
    );
    for (const { write, reason } of refused) {
      ctx.onWarning?.(`${write.fields.path}: ${reason}`);
      const kept = refusedWrite(write, reason);
      if (kept && writeExperiments(ctx.db, ctx.bucket, started, [kept]).length === 0) continue;
      // Refused even without its metadata: the stored experiment stays as it was and is tried again next run.
      const outcome = batch.find((p) => p.write === write)!.outcome;
      outcomes[outcome]--;
      outcomes.failed++;
    }
  };

  try {
    const listed = await listExperiments({
      client: ctx.s3.client,
      bucket: ctx.bucket,
      prefixes: options.prefixes,
      concurrency: options.concurrency,
      count: options.count,
      since: options.recentDays === undefined ? undefined : daysBefore(started, options.recentDays),
      folders: options.folders,
      onObjects: (n) => {
        progress.objectsListed = n;
        report();
      },
      onWarning: ctx.onWarning,
    });
    progress.phase = 'indexing';
    progress.experimentsListed = listed.length;
    report();

    const limit = pLimit(options.concurrency);
    const unchanged: string[] = [];
    // Set when the index itself cannot be written: the experiments not yet started are left alone.
    let stopped: unknown;
    const settled = await Promise.allSettled(
      listed.map((experiment) =>
        limit(async () => {
          if (stopped !== undefined) return;
          let planned: Awaited<ReturnType<typeof planExperiment>>;
          try {
            planned = await planExperiment(ctx, options, experiment);
          } catch (caught) {
            // A defect of ours that this experiment exposes: it stays as it was, and the run goes on.
            ctx.onWarning?.(`${experiment.path} could not be indexed: ${caught instanceof Error ? caught.message : String(caught)}`);
            planned = { outcome: 'failed' };
          }
          outcomes[planned.outcome]++;
          if (planned.outcome === 'unchanged') unchanged.push(experiment.path);
          if (planned.write) pending.push({ write: planned.write, outcome: planned.outcome });
          progress.experimentsDone++;
          report();
          if (pending.length >= WRITE_BATCH) {
            try {
              flush();
            } catch (caught) {
              stopped = caught;
            }
          }
        }),
      ),
    );
    if (stopped !== undefined) throw stopped;
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    flush();

    progress.phase = 'finishing';
    report();
    if (!options.dryRun) touchExperiments(ctx.db, unchanged, started);
    // Only a crawl of every folder knows what left the bucket.
    if (options.count === undefined && !recent) {
      const seen = new Set(listed.map((e) => e.path));
      const gone = listExperimentPaths(ctx.db, options.rebuild ? undefined : options.prefixes).filter((p) => !seen.has(p));
      if (!options.dryRun) deleteExperiments(ctx.db, gone);
      deleted = gone.length;
    }
    if (!options.dryRun) {
      progress.phase = 'manifests';
      report();
      const scope = { prefixes: options.prefixes, paths: recent ? listed.map((e) => e.path) : undefined };
      const built = await buildManifests(ctx, scope, options.concurrency, (done, planned) => {
        progress.hdf5Done = done;
        progress.hdf5Planned = planned;
        report();
      });
      manifests = built.counts;
      updateRecordingFacts(ctx, new Set([...experimentIdsOf(ctx.db, filesChanged), ...built.experimentIds]));
    }
    if (outcomes.failed > 0) status = 'partial';
  } catch (caught) {
    status = 'failed';
    error = caught instanceof Error ? caught.message : String(caught);
    // What was read before the failure is kept, unless the index itself is what failed.
    try {
      flush();
    } catch {
      // The run is already failed with the first error.
    }
  }

  const totals: CrawlRunTotals = {
    experimentsNew: outcomes.new,
    experimentsUpdated: outcomes.updated,
    experimentsUnchanged: outcomes.unchanged,
    experimentsDeleted: deleted,
    experimentsFailed: outcomes.failed,
    objects: progress.objectsListed,
    s3Requests: ctx.s3.counts(),
  };
  if (runId !== undefined) finishCrawlRun(ctx.db, runId, { status, finishedAt: new Date(), totals, error });
  const range = experimentDateRange(ctx.db);
  return {
    status,
    dryRun: options.dryRun,
    experiments: { ...outcomes, deleted },
    objects: progress.objectsListed,
    manifests,
    s3Requests: totals.s3Requests,
    seconds: (Date.now() - started.getTime()) / 1000,
    oldestDate: range.oldest,
    newestDate: range.newest,
    ...(error ? { error } : {}),
  };
}
