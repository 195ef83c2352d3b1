import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getConfig } from '../config';
import { applyMigrations } from './migrate';
import * as schema from './schema';

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens (creating if needed) the index at `path`, sets the connection pragmas and applies pending migrations.
 * WAL lets the site read while a crawl writes; the busy timeout makes a second writer wait instead of failing.
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): AppDatabase {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  sqlite.pragma('busy_timeout = 10000');
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Searches touch large parts of the full-text index: keep hot pages in memory and read the rest mapped
  // instead of copied (on a 1 GB index, common-word searches were several times faster than with the defaults).
  sqlite.pragma('cache_size = -131072');
  sqlite.pragma('mmap_size = 2147483648');
  const db = drizzle(sqlite, { schema });
  if (!options.readonly) applyMigrations(db);
  return db;
}

const globalForDb = globalThis as unknown as { appDatabase?: AppDatabase };

/** The server's connection, opened once per process (kept on globalThis so dev hot reloads reuse it). */
export function getDb(): AppDatabase {
  globalForDb.appDatabase ??= openDatabase(getConfig().databasePath);
  return globalForDb.appDatabase;
}
