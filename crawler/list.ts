import pLimit from 'p-limit';
import type { S3Client } from '@aws-sdk/client-s3';
import { folderDate } from '../lib/folder-dates';
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
  /** List only the folders dated on or after this day (`YYYY-MM-DD`), as the recent pass does. */
  since?: string;
  /** List only these experiment folders (`<prefix>/<folder name>`), each in a prefix of `prefixes`. */
  folders?: string[];
  onObjects?: (listed: number) => void;
  onWarning?: (message: string) => void;
}

/** A run of consecutive experiment folders of one prefix, listed by one stream of pages. */
interface KeyRange {
  prefix: string;
  /** First folder of the range (`ephys/<uuid>/`); undefined: from the start of the prefix. */
  from?: string;
  /** First folder of the next range; undefined: to the end of the prefix. */
  to?: string;
  /** The range is this one folder (`ephys/<uuid>/`): listed by it as the prefix, so no page runs past it. */
  folder?: string;
}

/** The range of one experiment folder (`<prefix>/<folder name>/`); `<folder name>0` is the first key past it ('0' follows '/'). */
const folderRange = (prefix: string, folder: string): KeyRange => ({ prefix, from: folder, to: `${folder.slice(0, -1)}0`, folder });

// Each range costs one page that runs past its end; ranges of this many folders keep that waste small.
const FOLDERS_PER_RANGE = 200;

// S3 orders keys by their UTF-8 bytes, which JavaScript's UTF-16 comparison does not always agree with.
const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function splitIntoRanges(prefix: string, folders: string[], maxRanges: number): KeyRange[] {
  const size = Math.max(FOLDERS_PER_RANGE, Math.ceil(folders.length / maxRanges));
  const starts = folders.filter((_, i) => i > 0 && i % size === 0);
  return [undefined, ...starts].map((from, i) => ({ prefix, from, to: starts[i] }));
}

// `.` and `..` cannot name an experiment: every URL to them resolves to another path (as `%2e` does too).
const NOT_A_FOLDER_NAME = new Set(['.', '..']);

/**
 * Groups keys `<prefix>/<uuid>/…` by experiment; keys directly under a prefix and folder markers are not
 * files. Returns the folder of a key that cannot be an experiment, which is skipped.
 */
function addToExperiments(found: Map<string, ListedExperiment>, prefix: string, object: ListedObject): string | undefined {
  const rest = object.key.slice(prefix.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0 || object.key.endsWith('/')) return undefined;
  const uuid = rest.slice(0, slash);
  const path = `${prefix}/${uuid}`;
  if (NOT_A_FOLDER_NAME.has(uuid)) return path;
  let experiment = found.get(path);
  if (!experiment) {
    experiment = { prefix, uuid, path, objects: [] };
    found.set(path, experiment);
  }
  experiment.objects.push(object);
  return undefined;
}

interface ListState {
  found: Map<string, ListedExperiment>;
  objects: number;
  /** Folders skipped because no link can name them, warned about once each. */
  skipped: Set<string>;
}

async function listRange(state: ListState, options: ListOptions, range: KeyRange) {
  // Starting after the folder name without its slash includes all of its keys; anything before it is skipped below.
  const startAfter = range.folder ? undefined : range.from?.slice(0, -1);
  for await (const page of listObjects(options.client, options.bucket, range.folder ?? `${range.prefix}/`, startAfter)) {
    const past = page.findIndex((object) => range.to !== undefined && utf8Compare(object.key, range.to) >= 0);
    for (const object of past === -1 ? page : page.slice(0, past)) {
      if (range.from !== undefined && utf8Compare(object.key, range.from) < 0) continue;
      const skipped = addToExperiments(state.found, range.prefix, object);
      if (skipped && !state.skipped.has(skipped)) {
        state.skipped.add(skipped);
        options.onWarning?.(
          `s3://${options.bucket}/${skipped}/ is skipped: a folder named "${skipped.slice(range.prefix.length + 1)}" cannot be linked to`,
        );
      }
      state.objects++;
    }
    options.onObjects?.(state.objects);
    if (past !== -1) return;
  }
}

async function listPrefixFolders(options: ListOptions, prefix: string): Promise<string[]> {
  try {
    return (await listFolders(options.client, options.bucket, `${prefix}/`)).folders;
  } catch (error) {
    throw new ListingError(`cannot list s3://${options.bucket}/${prefix}/: ${describeS3Error(error)}`, { cause: error });
  }
}

// Digits sort before letters: every folder named by a date comes before every folder named otherwise.

/**
 * The key ranges of a prefix's folders dated on or after `since`: S3 starts the listing there, and it ends at
 * the first folder not named by a date, so it costs a request or two whatever the prefix holds. One range
 * runs from the first such folder to where they end.
 */
async function recentRanges(options: ListOptions, prefix: string, since: string): Promise<KeyRange[]> {
  const root = `${prefix}/`;
  let listed: Awaited<ReturnType<typeof listFolders>>;
  try {
    // Starting after `ephys/2026-11-29` (no slash) includes `ephys/2026-11-29-e-…/`.
    listed = await listFolders(options.client, options.bucket, root, {
      startAfter: `${root}${since}`,
      while: (folder) => folderDate(folder.slice(root.length)) !== undefined,
    });
  } catch (error) {
    throw new ListingError(`cannot list s3://${options.bucket}/${root} from ${since}: ${describeS3Error(error)}`, { cause: error });
  }
  const first = listed.folders[0];
  return first === undefined ? [] : [{ prefix, from: first, to: listed.next }];
}

/**
 * Lists every experiment and its objects under the given prefixes. A prefix's experiment folders are listed
 * first, then its keys in ranges of folders, several ranges at once: one stream of 1,000-key pages per prefix
 * would make listing the slowest part of a re-crawl. All listing happens before anything is written, so a
 * prefix that cannot be listed fails the run with the index untouched.
 */
export async function listExperiments(options: ListOptions): Promise<ListedExperiment[]> {
  const limit = pLimit(options.concurrency);
  const { since, folders: only } = options;
  let ranges: KeyRange[];
  if (only !== undefined) {
    ranges = only.map((folder) => folderRange(folder.slice(0, folder.indexOf('/')), `${folder}/`));
  } else if (since !== undefined) {
    ranges = (await Promise.all(options.prefixes.map((prefix) => limit(() => recentRanges(options, prefix, since))))).flat();
  } else {
    const folders = await Promise.all(options.prefixes.map((prefix) => limit(() => listPrefixFolders(options, prefix))));
    const name = (folder: string) => folder.split('/').at(-2)!;
    ranges =
      options.count === undefined
        ? options.prefixes.flatMap((prefix, i) => splitIntoRanges(prefix, folders[i]!, options.concurrency))
        : options.prefixes
            .flatMap((prefix, i) => folders[i]!.map((folder) => ({ prefix, folder })))
            .sort((a, b) => name(b.folder).localeCompare(name(a.folder)))
            .slice(0, options.count)
            .map(({ prefix, folder }) => folderRange(prefix, folder));
  }
  const state: ListState = { found: new Map(), objects: 0, skipped: new Set() };
  await Promise.all(
    ranges.map((range) =>
      limit(async () => {
        try {
          await listRange(state, options, range);
        } catch (error) {
          const where = `${range.prefix}/${range.from ? ` from ${range.from}` : ''}`;
          throw new ListingError(`cannot list s3://${options.bucket}/${where}: ${describeS3Error(error)}`, { cause: error });
        }
      }),
    ),
  );
  return [...state.found.values()].sort((a, b) => a.path.localeCompare(b.path));
}
