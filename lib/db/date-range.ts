import { sql } from 'drizzle-orm';
import type { AppDatabase } from './index';
import { experiments } from './schema';

/** Dates of the oldest and newest indexed experiments. */
export function experimentDateRange(db: AppDatabase): { oldest: string | null; newest: string | null } {
  // Separate subqueries: min() and max() together in one SELECT make SQLite scan the whole date index.
  return db
    .select({
      oldest: sql<string | null>`(SELECT min(${experiments.date}) FROM ${experiments})`,
      newest: sql<string | null>`(SELECT max(${experiments.date}) FROM ${experiments})`,
    })
    .from(sql`(SELECT 1)`)
    .get()!;
}
