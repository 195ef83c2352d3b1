import type Database from 'better-sqlite3';
import { createMatcher, type TermMatcher } from './highlight';
import type { SearchResult, Segment } from '../../contracts/search-answer';

const MAX_FILES_PER_RESULT = 5;

interface ResultRow extends Omit<SearchResult, 'snippet' | 'files'> {
  metadataText: string;
  fileText: string;
}

const statements = new WeakMap<Database.Database, { rows: Database.Statement; objects: Database.Statement }>();

function prepared(sqlite: Database.Database) {
  let cached = statements.get(sqlite);
  if (!cached) {
    cached = {
      rows: sqlite.prepare(
        `SELECT id, uuid, path, prefix, date, species, sample_type AS sampleType, cell_line AS cellLine, hardware,
                channel_count AS channelCount, purpose, metadata_error AS metadataError,
                metadata_text AS metadataText, file_text AS fileText
         FROM experiments WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      objects: sqlite.prepare(
        `SELECT experiment_id AS experimentId, uuid, key FROM objects
         WHERE experiment_id IN (SELECT value FROM json_each(?)) ORDER BY key`,
      ),
    };
    statements.set(sqlite, cached);
  }
  return cached;
}

/** The page's experiments, in the given order, with their snippets and, when found by file name, their files. */
export function describeResults(sqlite: Database.Database, ids: number[], terms: string[]): SearchResult[] {
  const { rows, objects } = prepared(sqlite);
  const details = new Map((rows.all(JSON.stringify(ids)) as ResultRow[]).map((r) => [r.id, r]));
  const matcher = createMatcher(terms);
  // Files are listed for experiments found by their file names: the experiment's own text lacks a term.
  const byFileName = ids.filter((id) => {
    const row = details.get(id);
    return matcher.active && row && !matcher.containsAll(`${row.uuid} ${row.path} ${row.purpose ?? ''} ${row.metadataText}`);
  });
  const files = new Map<number, { uuid: string; key: string }[]>();
  if (byFileName.length) {
    for (const o of objects.all(JSON.stringify(byFileName)) as { experimentId: number; uuid: string; key: string }[]) {
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
