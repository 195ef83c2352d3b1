import type Database from 'better-sqlite3';

/**
 * The only place an FTS5 MATCH is run. `expression` always comes from `parseSearchQuery`, which quotes every
 * token; it is bound as a parameter, never put into the SQL text.
 */

// Column weights for bm25 over experiments_fts(uuid, path, purpose, metadata_text, file_text): the uuid and
// the purpose say what an experiment is; the metadata mentions many words in passing, and file names rank last.
const EXPERIMENT_WEIGHTS = '10.0, 2.0, 5.0, 1.0, 0.5';
const SQL = {
  experimentRanks: `SELECT rowid AS id, bm25(experiments_fts, ${EXPERIMENT_WEIGHTS}) AS rank FROM experiments_fts WHERE experiments_fts MATCH ?`,
  experimentIds: 'SELECT rowid AS id FROM experiments_fts WHERE experiments_fts MATCH ?',
} as const;

export type FtsQuery = { kind: 'experimentRanks' | 'experimentIds'; expression: string };

export interface FtsResults {
  experimentRanks: { id: number; rank: number }[];
  experimentIds: { id: number }[];
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
  return statement.all(query.expression) as FtsResults[Q['kind']];
}
