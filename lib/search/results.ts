import type Database from 'better-sqlite3';
import type { SearchResult, Segment } from '../../contracts/search-answer';
import { resultObjects, resultRows } from '../db/search-queries';
import { createMatcher, type TermMatcher } from './highlight';

const MAX_FILES_PER_RESULT = 5;

/** The page's experiments, in the given order, with their snippets and, when found by file name, their files. */
export function describeResults(sqlite: Database.Database, ids: number[], terms: string[]): SearchResult[] {
  const details = new Map(resultRows(sqlite, ids).map((r) => [r.id, r]));
  const matcher = createMatcher(terms);
  // Files are listed for experiments found by their file names: the experiment's own text lacks a term.
  const byFileName = ids.filter((id) => {
    const row = details.get(id);
    return matcher.active && row && !matcher.containsAll(`${row.uuid} ${row.path} ${row.purpose ?? ''} ${row.metadataText}`);
  });
  const files = new Map<number, { uuid: string; key: string }[]>();
  if (byFileName.length) {
    for (const o of resultObjects(sqlite, byFileName)) {
      const path = details.get(o.experimentId)!.path;
      const list = files.get(o.experimentId) ?? [];
      if (list.length < MAX_FILES_PER_RESULT && matcher.containsAll(o.key.slice(path.length + 1))) {
        files.set(o.experimentId, [...list, { uuid: o.uuid, key: o.key }]);
      }
    }
  }
  return ids.flatMap((id) => {
    const row = details.get(id);
    if (!row) return [];
    const { metadataText, fileText, ...result } = row;
    return [{ ...result, snippet: firstSnippet(matcher, [row.uuid, row.purpose ?? '', metadataText, fileText]), files: files.get(id) ?? [] }];
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
