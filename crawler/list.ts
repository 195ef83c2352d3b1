import pLimit from 'p-limit';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, listFolders, listObjects, type ListedObject } from '../lib/s3';

export interface ListedExperiment {
  prefix: string;
  uuid: string;
  path: string;
  objects: ListedObject[];
}

export class ListingError extends Error {
  override name = 'ListingError';
}

interface ListOptions {
  client: S3Client;
  bucket: string;
  prefixes: string[];
  concurrency: number;
  /** Index only the newest `count` experiments (by the date their uuid starts with). */
  count?: number;
  onObjects?: (listed: number) => void;
}

/** Groups keys `<prefix>/<uuid>/…` by experiment; keys directly under a prefix and folder markers are not files. */
function addToExperiments(found: Map<string, ListedExperiment>, prefix: string, batch: ListedObject[]): void {
  for (const object of batch) {
    const rest = object.key.slice(prefix.length + 1);
    const slash = rest.indexOf('/');
    if (slash <= 0 || object.key.endsWith('/')) continue;
    const uuid = rest.slice(0, slash);
    const path = `${prefix}/${uuid}`;
    let experiment = found.get(path);
    if (!experiment) found.set(path, (experiment = { prefix, uuid, path, objects: [] }));
    experiment.objects.push(object);
  }
}

async function listInto(
  found: Map<string, ListedExperiment>,
  options: ListOptions,
  prefix: string,
  folder: string,
  counter: { objects: number },
): Promise<void> {
  try {
    for await (const page of listObjects(options.client, options.bucket, folder)) {
      addToExperiments(found, prefix, page);
      counter.objects += page.length;
      options.onObjects?.(counter.objects);
    }
  } catch (error) {
    throw new ListingError(`cannot list s3://${options.bucket}/${folder}: ${describeS3Error(error)}`, { cause: error });
  }
}

/**
 * Lists every experiment and its objects under the given prefixes. All listing happens before anything is
 * written, so a prefix that cannot be listed fails the run with the index untouched.
 */
export async function listExperiments(options: ListOptions): Promise<ListedExperiment[]> {
  const limit = pLimit(options.concurrency);
  const found = new Map<string, ListedExperiment>();
  const counter = { objects: 0 };
  if (options.count === undefined) {
    await Promise.all(options.prefixes.map((prefix) => limit(() => listInto(found, options, prefix, `${prefix}/`, counter))));
  } else {
    const folders = await Promise.all(
      options.prefixes.map((prefix) =>
        limit(async () => {
          try {
            return (await listFolders(options.client, options.bucket, `${prefix}/`)).map((folder) => ({ prefix, folder }));
          } catch (error) {
            throw new ListingError(`cannot list s3://${options.bucket}/${prefix}/: ${describeS3Error(error)}`, { cause: error });
          }
        }),
      ),
    );
    const folderName = (f: { folder: string }) => f.folder.split('/').at(-2)!;
    const newest = folders
      .flat()
      .sort((a, b) => folderName(b).localeCompare(folderName(a)))
      .slice(0, options.count);
    await Promise.all(newest.map(({ prefix, folder }) => limit(() => listInto(found, options, prefix, folder, counter))));
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}
