import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticIndex } from '../bench/support/synthetic-index';
import { searchParamsSchema, toSearchRequest } from '../contracts/search-params';
import { openDatabase, type AppDatabase } from '../lib/db/index';
import { searchExperiments } from '../lib/search/run';

/**
 * The rows of a page's experiments are kept with the catalog (lib/search/result-rows.ts): pages that show
 * them again give what a fresh connection reads, and a change committed by another connection is shown.
 */

let dir: string;
let path: string;
let db: AppDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bgs-result-rows-'));
  path = join(dir, 'index.db');
  await buildSyntheticIndex({ path, experiments: 2_000, objects: 4_000, seed: 5, recordings: true });
  db = openDatabase(path, { readonly: true });
}, 120_000);

afterAll(() => {
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const search = (sqlite: AppDatabase['$client'], params: Record<string, string>) =>
  searchExperiments(sqlite, toSearchRequest(searchParamsSchema.parse({ limit: '20', ...params })));

describe('result rows, kept with the catalog', () => {
  it('give every keystroke of words typed on one connection the results a fresh connection gives', () => {
    const filters: Record<string, string>[] = [{}, { species: 'human' }];
    const asks = ['organoid', 'hc328 mouse', 'maxwell'].flatMap((word) =>
      filters.flatMap((filter) => Array.from(word, (_, typed) => ({ ...filter, q: word.slice(0, typed + 1) }))),
    );
    const typed = asks.map((ask) => search(db.$client, ask));
    // Pages that shared experiments: the later ones were answered from rows kept by the earlier.
    const shown = typed.flatMap((answer) => answer.results.map((r) => r.id));
    expect(new Set(shown).size).toBeLessThan(shown.length / 2);
    asks.forEach((ask, i) => {
      // A new connection, with nothing kept: this keystroke's rows read from the index.
      const fresh = openDatabase(path, { readonly: true });
      try {
        expect(typed[i]).toEqual(search(fresh.$client, ask));
      } finally {
        fresh.$client.close();
      }
    });
  });

  it('show an experiment as another connection changed it, once its commit is seen', () => {
    const before = search(db.$client, { q: 'organoid' });
    const shownFirst = before.results[0]!;
    const writer = openDatabase(path);
    try {
      writer.$client.prepare('UPDATE experiments SET purpose = ?, cell_line = ? WHERE id = ?').run('organoid retitled', 'hc999', shownFirst.id);
    } finally {
      writer.$client.close();
    }
    const after = search(db.$client, { q: 'organoid', limit: '100' }).results.find((r) => r.id === shownFirst.id);
    expect(after?.purpose).toBe('organoid retitled');
    expect(after?.cellLine).toBe('hc999');
    expect(shownFirst.purpose).not.toBe('organoid retitled');
  });
});
