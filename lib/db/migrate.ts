import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { join } from 'node:path';

export const MIGRATIONS_FOLDER = join(process.cwd(), 'drizzle');

/**
 * Applies pending migrations. Drizzle reads the last applied migration outside its transaction, so a crawler
 * and a server starting together on a new database can race; the loser rolls back and, on retry, finds the
 * migrations applied.
 */
export function applyMigrations(db: BetterSQLite3Database<Record<string, unknown>>, attempts = 3): void {
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * attempt);
    }
  }
}
