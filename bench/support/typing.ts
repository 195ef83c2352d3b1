import type Database from 'better-sqlite3';
import { Rng } from './rng';

/**
 * People typing searches, as bench:search replays them: each types a word taken from the index (a word of an
 * experiment's purpose, a part of its uuid, a part of a file's name) letter by letter, each keystroke a new
 * query; a third of them with a facet chosen. Nothing loops over a fixed list: a cache hit happens only where
 * two people type the same thing.
 */

export interface Keystroke {
  q: string;
  params: Record<string, string>;
  /** 1 for the first letter typed, 2 for the second… */
  typed: number;
  /** Where the word came from. */
  source: 'purpose' | 'uuid' | 'file name';
}

const FACETS: Record<string, string>[] = [
  { sample_type: 'organoid' },
  { species: 'human' },
  { species: 'mouse' },
  { hardware: 'Maxwell' },
  { prefix: 'ephys' },
];
const WORD = /[\p{L}\p{N}]{3,}/gu;

/** Words of the index to type, drawn with `seed` from rows spread over the whole index. */
export function typedWords(db: Database.Database, seed: number, count: number): { word: string; source: Keystroke['source'] }[] {
  const rng = new Rng(seed);
  const [maxExperiment, maxObject] = [
    db.prepare('SELECT max(id) FROM experiments').pluck().get() as number,
    db.prepare('SELECT max(id) FROM objects').pluck().get() as number,
  ];
  const purpose = db.prepare('SELECT purpose FROM experiments WHERE id >= ? AND purpose IS NOT NULL ORDER BY id LIMIT 1').pluck();
  const uuid = db.prepare('SELECT uuid FROM experiments WHERE id >= ? ORDER BY id LIMIT 1').pluck();
  const key = db.prepare('SELECT key FROM objects WHERE id >= ? ORDER BY id LIMIT 1').pluck();
  const words: { word: string; source: Keystroke['source'] }[] = [];
  while (words.length < count) {
    const source = rng.weighted([
      ['purpose', 5],
      ['uuid', 3],
      ['file name', 2],
    ] as const);
    const text =
      source === 'file name'
        ? ((key.get(rng.int(1, maxObject)) as string | undefined)?.split('/').at(-1) ?? '')
        : (((source === 'uuid' ? uuid : purpose).get(rng.int(1, maxExperiment)) as string | undefined) ?? '');
    const candidates = text.match(WORD) ?? [];
    if (candidates.length) words.push({ word: rng.pick(candidates), source });
  }
  return words;
}

/** Each word typed letter by letter: one keystroke per prefix, with the facet a third of the people chose. */
export function keystrokesOf(words: { word: string; source: Keystroke['source'] }[], seed: number): Keystroke[][] {
  const rng = new Rng(seed + 1);
  return words.map(({ word, source }) => {
    const params = rng.chance(1 / 3) ? rng.pick(FACETS) : {};
    return Array.from({ length: word.length }, (_, i) => ({ q: word.slice(0, i + 1), params, typed: i + 1, source }));
  });
}
