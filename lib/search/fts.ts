import type Database from 'better-sqlite3';

/**
 * The only place an FTS5 MATCH is run. `expression` always comes from `parseSearchQuery`, which quotes every
 * token; it is bound as a parameter, never put into the SQL text.
 */

// Column weights for bm25 over experiments_fts(uuid, path, purpose, metadata_text, file_text): the uuid and
// the purpose say what an experiment is; the metadata mentions many words in passing, and file names rank last.
const EXPERIMENT_WEIGHTS = '10.0, 2.0, 5.0, 1.0, 0.5';
const TEXT_COLUMNS = '{uuid path purpose metadata_text}';
const OPEN = '\u0002';
const CLOSE = '\u0003';

const SQL = {
  experimentRanks: `SELECT rowid AS id, bm25(experiments_fts, ${EXPERIMENT_WEIGHTS}) AS rank FROM experiments_fts WHERE experiments_fts MATCH ?`,
  experimentIds: 'SELECT rowid AS id FROM experiments_fts WHERE experiments_fts MATCH ?',
  // Which of the given experiments match outside their file names.
  textMatches: `SELECT rowid AS id FROM experiments_fts
                WHERE experiments_fts MATCH '${TEXT_COLUMNS} : (' || ? || ')' AND rowid IN (SELECT value FROM json_each(?))`,
  snippets: `SELECT rowid AS id, snippet(experiments_fts, -1, '${OPEN}', '${CLOSE}', '…', 16) AS snippet
             FROM experiments_fts WHERE experiments_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
  files: `SELECT o.experiment_id AS experimentId, o.uuid, o.key
          FROM objects_fts JOIN objects o ON o.id = objects_fts.rowid
          WHERE objects_fts MATCH ? AND objects_fts.rowid IN
            (SELECT id FROM objects WHERE experiment_id IN (SELECT value FROM json_each(?)))
          ORDER BY o.key`,
} as const;

export type FtsQuery =
  | { kind: 'experimentRanks' | 'experimentIds'; expression: string }
  | { kind: 'textMatches' | 'snippets' | 'files'; expression: string; experimentIds: number[] };

export interface FtsResults {
  experimentRanks: { id: number; rank: number }[];
  experimentIds: { id: number }[];
  textMatches: { id: number }[];
  snippets: { id: number; snippet: string }[];
  files: { experimentId: number; uuid: string; key: string }[];
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = sqlite.prepare(sql)));
  return statement;
}

export function runFts<Q extends FtsQuery>(sqlite: Database.Database, query: Q): FtsResults[Q['kind']] {
  const statement = prepared(sqlite, SQL[query.kind]);
  const rows =
    'experimentIds' in query
      ? statement.all(query.expression, JSON.stringify(query.experimentIds))
      : statement.all(query.expression);
  return rows as FtsResults[Q['kind']];
}

export type Segment = { text: string; match: boolean };

/** A snippet as text segments, matches marked: rendered as text, so nothing in the data becomes markup. */
export function snippetSegments(snippet: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of snippet.split(OPEN)) {
    const close = part.indexOf(CLOSE);
    if (close === -1) {
      if (part) segments.push({ text: part, match: false });
      continue;
    }
    segments.push({ text: part.slice(0, close), match: true });
    if (part.length > close + 1) segments.push({ text: part.slice(close + 1), match: false });
  }
  return segments;
}
