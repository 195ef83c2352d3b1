import type { ExperimentFields } from '../lib/db/crawl-store';
import type { MetadataSource } from '../lib/db/schema';
import { describeS3Error, getObjectBytes, type ListedObject } from '../lib/s3';
import type { CrawlContext } from './context';
import { deriveFields } from './derive';
import type { ListedExperiment } from './list';
import { decodeMetadata, flattenMetadata, MAX_METADATA_BYTES } from './metadata';

export interface MetadataObject extends ListedObject {
  source: Exclude<MetadataSource, 'none'>;
}

/** `metadata.json` at the experiment's root, else the shallowest `manifest.json` (imaging), else none. */
export function pickMetadataObject(experiment: ListedExperiment): MetadataObject | undefined {
  const root = `${experiment.path}/`;
  const metadata = experiment.objects.find((o) => o.key === `${root}metadata.json`);
  if (metadata) return { ...metadata, source: 'metadata.json' };
  const manifests = experiment.objects
    .filter((o) => o.key.endsWith('/manifest.json'))
    .sort((a, b) => a.key.split('/').length - b.key.split('/').length || a.key.localeCompare(b.key));
  return manifests[0] && { ...manifests[0], source: 'manifest.json' };
}

type MetadataFields = Pick<
  ExperimentFields,
  'metadataSource' | 'metadataKey' | 'metadataEtag' | 'metadataRaw' | 'metadataError' | 'metadataTruncation' | 'metadataText'
> &
  ReturnType<typeof deriveFields>;

interface ParsedMetadata {
  etag: string;
  raw: string | null;
  error: string | null;
  value: Record<string, unknown> | null;
}

function fieldsFrom(experiment: ListedExperiment, object: MetadataObject | undefined, parsed: ParsedMetadata): MetadataFields {
  const flattened = parsed.value ? flattenMetadata(parsed.value) : { text: '', truncation: null };
  return {
    metadataSource: object?.source ?? 'none',
    metadataKey: object?.key ?? null,
    metadataEtag: object ? parsed.etag : null,
    metadataRaw: parsed.raw,
    metadataError: parsed.error,
    metadataTruncation: flattened.truncation,
    metadataText: flattened.text,
    ...deriveFields(experiment.uuid, parsed.value),
  };
}

/**
 * The metadata columns of an experiment. A broken file is not a failure: its problem is recorded and the
 * experiment is indexed by path and files. Only an S3 failure (after the SDK's retries) is, so that the
 * stored row stays as it was and the next crawl tries again.
 */
export async function readExperimentMetadata(
  ctx: CrawlContext,
  experiment: ListedExperiment,
  object: MetadataObject | undefined,
): Promise<{ ok: true; fields: MetadataFields } | { ok: false }> {
  if (!object) return { ok: true, fields: fieldsFrom(experiment, undefined, { etag: '', raw: null, error: null, value: null }) };
  if (object.size > MAX_METADATA_BYTES) {
    const error = `${object.source} is ${object.size} bytes, over the ${MAX_METADATA_BYTES}-byte limit`;
    return { ok: true, fields: fieldsFrom(experiment, object, { etag: object.etag, raw: null, error, value: null }) };
  }
  let bytes: Uint8Array;
  let etag: string;
  try {
    ({ bytes, etag } = await getObjectBytes(ctx.s3.client, ctx.bucket, object.key, MAX_METADATA_BYTES));
  } catch (error) {
    ctx.onWarning?.(`cannot read s3://${ctx.bucket}/${object.key}: ${describeS3Error(error)}`);
    return { ok: false };
  }
  const decoded = decodeMetadata(bytes);
  const parsed = decoded.ok
    ? { etag, raw: decoded.text, error: null, value: decoded.value }
    : { etag, raw: decoded.text, error: `${object.source}: ${decoded.error}`, value: null };
  return { ok: true, fields: fieldsFrom(experiment, object, parsed) };
}
