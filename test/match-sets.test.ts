import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticIndex } from '../bench/support/synthetic-index';
import { openDatabase, type AppDatabase } from '../lib/db/index';
import { searchFresh, searchOn } from './support/search';

/**
 * Match sets are kept until the index changes (lib/search/match-sets.ts): the answers are the ones an
 * uncached search gives, ranked or too large to rank, and a commit by another connection is seen.
 */

let dir: string;
let path: string;
let db: AppDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bgs-match-sets-'));
  path = join(dir, 'index.db');
  // Enough experiments that a first keystroke matches more than the 10,000 a search ranks.
  await buildSyntheticIndex({ path, experiments: 12_000, objects: 12_000, seed: 3, recordings: false });
  db = openDatabase(path);
}, 120_000);

afterAll(() => {
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('match sets, kept until the index changes', () => {
  it('answer a first keystroke again, with any filter, as an uncached search does', () => {
    const first = searchOn(db.$client, { q: 'm' });
    expect(first.total).toBeGreaterThan(10_000);
    const again = searchOn(db.$client, { q: 'm' });
    const filtered = searchOn(db.$client, { q: 'm', species: 'human' });
    // Another connection has caches of its own: its answers were computed from FTS5.
    const other = openDatabase(path, { readonly: true });
    try {
      expect(again).toEqual(searchOn(other.$client, { q: 'm' }));
      expect(filtered).toEqual(searchOn(other.$client, { q: 'm', species: 'human' }));
    } finally {
      other.$client.close();
    }
    expect(again).toEqual(first);
    expect(filtered.total).toBeLessThan(first.total);
  });

  it('answer from sets kept as bits (too large to rank, or an exclusion) their pages and orders as an uncached search', () => {
    const other = openDatabase(path, { readonly: true });
    try {
      const asks: Record<string, string>[] = [
        { q: 'm', sort: 'oldest' },
        { q: 'c -organoid' },
        { q: 'h -organoid', sort: 'newest' },
        { q: 'm', hardware: 'Maxwell' },
      ];
      for (const ask of asks) {
        // Twice here: the second answer is from the kept set.
        searchOn(db.$client, ask);
        const here = searchOn(db.$client, ask);
        expect(here).toEqual(searchOn(other.$client, ask));
        expect(here.total).toBeGreaterThan(0);
        expect(searchOn(db.$client, { ...ask, cursor: here.nextCursor! })).toEqual(searchOn(other.$client, { ...ask, cursor: here.nextCursor! }));
      }
    } finally {
      other.$client.close();
    }
  });

  it('keep the ranks of a set small enough to rank: pages, filters and exclusions as an uncached search', () => {
    const other = openDatabase(path, { readonly: true });
    try {
      const asks: Record<string, string>[] = [
        { q: 'organoid' },
        { q: 'organoid', species: 'human' },
        { q: 'organoid', sort: 'newest' },
        { q: 'organoid -mouse' },
        { q: 'organoid', limit: '7' },
      ];
      for (const ask of asks) {
        const here = searchOn(db.$client, ask);
        expect(searchOn(db.$client, ask)).toEqual(here);
        expect(here).toEqual(searchOn(other.$client, ask));
        expect(here.total).toBeGreaterThan(0);
        expect(here.total).toBeLessThan(10_000);
        if (here.nextCursor)
          expect(searchOn(db.$client, { ...ask, cursor: here.nextCursor })).toEqual(searchOn(other.$client, { ...ask, cursor: here.nextCursor }));
      }
      expect(searchOn(db.$client, { q: 'organoid' }).sort).toBe('relevance');
    } finally {
      other.$client.close();
    }
  });

  it('answer each keystroke of a word typed on one connection as an uncached search does, from too broad to rank to ranked', () => {
    const asks = ['organoid', 'human organoid', 'mouse OR organoid'].flatMap((word) =>
      Array.from(word, (_, typed) => ({ q: word.slice(0, typed + 1) })),
    );
    // Typed in order on one connection, as a search thread sees them, before any other connection is used
    // (a catalog, and the sets kept with it, belongs to the last connection that asked).
    const typed = asks.map((ask) => searchOn(db.$client, ask));
    // A new connection for each, with nothing kept: each keystroke's answer from FTS5 alone.
    expect(typed).toEqual(asks.map((ask) => searchFresh(path, ask)));
    // First keystrokes too broad to rank, the later ones ranked.
    expect(typed.map((answer) => answer.sort)).toContain('newest');
    expect(typed.at(-1)?.sort).toBe('relevance');
  });

  it('follow a commit by another connection: an experiment added there is found', () => {
    const before = searchOn(db.$client, { q: 'm' });
    const writer = openDatabase(path);
    let added: number;
    try {
      // A copy of a matching experiment under a new name (the text index follows by its triggers).
      const columns = (
        writer.$client.prepare("SELECT name FROM pragma_table_info('experiments') WHERE name NOT IN ('id', 'uuid', 'path')").pluck().all() as string[]
      ).join(', ');
      added = Number(
        writer.$client
          .prepare(
            `INSERT INTO experiments (uuid, path, ${columns}) SELECT 'copy-' || uuid, path || '-copy', ${columns} FROM experiments WHERE id = ?`,
          )
          .run(before.results[0]!.id).lastInsertRowid,
      );
    } finally {
      writer.$client.close();
    }
    const after = searchOn(db.$client, { q: 'm' });
    expect(after.total).toBe(before.total + 1);
    expect(searchOn(db.$client, { q: 'm', sort: 'newest', limit: '100' }).results.map((r) => r.id)).toContain(added);
  });
});
