import type Database from 'better-sqlite3';
import type { ResultFile, ResultPreview, SearchResult, Segment } from '../../contracts/search-answer';
import { resultHdf5Files, resultObjects } from '../db/search-queries';
import { describeFile, describeHoldings } from '../recordings/describe';
import { recordingFacts, type RecordingFacts } from '../recordings/facts';
import type { Catalog } from './catalog';
import { createMatcher, type TermMatcher } from './highlight';
import { keptResultRows } from './result-rows';

const MAX_FILES_PER_RESULT = 5;

/** Which HDF5 files (by their facts) meet the query's criteria of what files hold. */
export type FileMatcher = (files: RecordingFacts[]) => boolean[];

/**
 * The page's experiments, in the given order, with their snippets, what their files hold and the files
 * the query found: by name or by what they hold (when the experiment's own text lacks a term), and, when
 * the query asks what files hold (`matchFiles`), the HDF5 files that hold it.
 */
export function describeResults(
  sqlite: Database.Database,
  catalog: Catalog,
  ids: number[],
  terms: string[],
  matchFiles?: FileMatcher,
): SearchResult[] {
  const details = keptResultRows(sqlite, catalog, ids);
  const matcher = createMatcher(terms);
  const ownText = (id: number) => {
    const row = details.get(id)!;
    return `${row.uuid} ${row.path} ${row.purpose ?? ''} ${row.metadataText}`;
  };
  const byFiles = new Set(ids.filter((id) => matcher.active && details.has(id) && !matcher.containsAll(ownText(id))));
  const files = new Map<number, ResultFile[]>();
  const add = (experimentId: number, file: ResultFile) => {
    const list = files.get(experimentId) ?? [];
    if (list.length < MAX_FILES_PER_RESULT && !list.some((f) => f.uuid === file.uuid)) files.set(experimentId, [...list, file]);
  };
  const relative = (experimentId: number, key: string) => key.slice(details.get(experimentId)!.path.length + 1);

  // HDF5 files that do not hold what the query asks are not listed for their names either.
  const refused = new Set<string>();
  // What files hold is looked at when the query asks it, or when file names do not explain the match.
  const hdf5Of = matchFiles ? ids : [...byFiles].filter((id) => !matcher.containsAll(`${ownText(id)} ${details.get(id)!.fileText}`));
  if (hdf5Of.length) {
    // Sorted by key, so each experiment's files stay in order; matched all at once (one catalog of them).
    const hdf5 = resultHdf5Files(sqlite, hdf5Of);
    const facts = hdf5.map((f) => recordingFacts([f.summary]));
    const meets = matchFiles?.(facts);
    hdf5.forEach((file, i) => {
      if (meets && !meets[i]) {
        refused.add(file.uuid);
        return;
      }
      const id = file.experimentId;
      if (byFiles.has(id) && !matcher.containsAll(`${relative(id, file.key)}\n${facts[i]!.recordingText}`)) return;
      add(id, { uuid: file.uuid, key: file.key, holds: describeFile(file.summary) });
    });
  }
  if (byFiles.size) {
    for (const o of resultObjects(sqlite, [...byFiles])) {
      if (!refused.has(o.uuid) && matcher.containsAll(relative(o.experimentId, o.key))) add(o.experimentId, { uuid: o.uuid, key: o.key });
    }
  }

  return ids.flatMap((id) => {
    const row = details.get(id);
    if (!row) return [];
    const { metadataText, fileText, recordingText, hdf5Files, nwbFiles, maxChannels, maxSeconds, unitCount, preview, ...result } = row;
    const listed = files.get(id) ?? [];
    // Files the query found are listed as links: the file names are then no snippet as well.
    const texts = [row.uuid, row.purpose ?? '', metadataText, recordingText, ...(listed.length ? [] : [fileText])];
    return [
      {
        ...result,
        snippet: firstSnippet(matcher, texts),
        holds: describeHoldings({ hdf5Files, nwbFiles, maxChannels, maxSeconds, unitCount }),
        files: listed,
        preview: preview === null ? null : (JSON.parse(preview) as ResultPreview),
      },
    ];
  });
}

/** The snippet of the first text with a match: the file list, often the longest, is looked at last. */
function firstSnippet(matcher: TermMatcher, texts: string[]): Segment[] {
  if (!matcher.active) return [];
  for (const text of texts) {
    const snippet = matcher.snippet(text);
    if (snippet.length) return snippet;
  }
  return [];
}
