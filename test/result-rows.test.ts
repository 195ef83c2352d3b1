import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticIndex } from '../bench/support/synthetic-index';
import { openDatabase, type AppDatabase } from '../lib/db/index';
import { tempDir } from './support/index';
import { searchFresh, searchOn } from './support/search';

/**
 * The rows of a page's experiments are kept with the catalog (lib/search/result-rows.ts): pages that show
 * them again give what a fresh connection reads, and a change committed by another connection is shown.
 */

let dir: ReturnType<typeof tempDir>;
let path: string;
let db: AppDatabase;

beforeAll(async () => {
  dir = tempDir('result-rows');
  path = join(dir.path, 'index.db');
  await buildSyntheticIndex({ path, experiments: 2_000, objects: 4_000, seed: 5, recordings: true });
  db = openDatabase(path, { readonly: true });
}, 120_000);

afterAll(() => {
  db?.$client.close();
  dir?.remove();
});

describe('result rows, kept with the catalog', () => {
  it('give every keystroke of words typed on one connection the results a fresh connection gives', () => {
    const filters: Record<string, string>[] = [{}, { species: 'human' }];
    const asks = ['organoid', 'hc328 mouse', 'maxwell'].flatMap((word) =>
      filters.flatMap((filter) => Array.from(word, (_, typed) => ({ ...filter, q: word.slice(0, typed + 1) }))),
    );
    const typed = asks.map((ask) => searchOn(db.$client, ask));
    // Pages that shared experiments: the later ones were answered from rows kept by the earlier.
    const shown = typed.flatMap((answer) => answer.results.map((r) => r.id));
    expect(new Set(shown).size).toBeLessThan(shown.length / 2);
    expect(typed).toEqual(asks.map((ask) => searchFresh(path, ask)));
  });

  it('show an experiment as another connection changed it, once its commit is seen', () => {
    const before = searchOn(db.$client, { q: 'organoid' });
    const shownFirst = before.results[0]!;
    const writer = openDatabase(path);
    try {
      writer.$client.prepare('UPDATE experiments SET purpose = ?, cell_line = ? WHERE id = ?').run('organoid retitled', 'hc999', shownFirst.id);
    } finally {
      writer.$client.close();
    }
    const after = searchOn(db.$client, { q: 'organoid', limit: '100' }).results.find((r) => r.id === shownFirst.id);
    expect(after?.purpose).toBe('organoid retitled');
    expect(after?.cellLine).toBe('hc999');
    expect(shownFirst.purpose).not.toBe('organoid retitled');
  });
});
