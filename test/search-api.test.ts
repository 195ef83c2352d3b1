import type { S3Client } from '@aws-sdk/client-s3';
import { NextRequest } from 'next/server';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as experimentsRoute } from '../lib/api/experiments';
import { GET as searchRoute } from '../lib/api/search';
import { syntheticBucketObjects } from '../scripts/synthetic-bucket';
import { deleteExperiments, writeExperiments, type ExperimentFields } from '../lib/db/crawl-store';
import { getCatalog } from '../lib/search/catalog';
import { searchJson } from '../lib/search/index';
import { parseSearchQuery } from '../lib/search/parse';
import { answerKey, refreshSearch, searchExperiments } from '../lib/search/run';
import { searchParamsSchema, toSearchRequest } from '../contracts/search-params';
import { getDb, openDatabase } from '../lib/db/index';
import { fixtureBucketObjects, SHAPES } from './support/fixture-bucket';
import { crawlInto, openTempIndex, tempDir } from './support/index';
import { createTestBucket, putObjects, testClient } from './support/s3';
import { seededRandom } from '../scripts/seeded-random';

let client: S3Client;
let dir: ReturnType<typeof tempDir>;

interface Body {
  total: number;
  sort: string;
  results: {
    uuid: string;
    path: string;
    prefix: string;
    date: string | null;
    snippet: { text: string; match: boolean }[];
    files: { uuid: string; key: string }[];
  }[];
  facets: Record<string, { value: string; count: number }[]>;
  nextCursor: string | null;
  stats: { experiments: number; oldestDate: string; newestDate: string; lastCrawlFinishedAt: string };
  error?: { code: string; message: string };
}

async function api(params: Record<string, string | string[]>, route = searchRoute): Promise<{ status: number; body: Body }> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const value of [v].flat()) search.append(k, value);
  const response = await route(new NextRequest(`http://localhost/api/search?${search}`));
  return { status: response.status, body: (await response.json()) as Body };
}

const paths = (body: Body) => body.results.map((r) => r.path);
/** An experiment with nothing but its folder name, as the crawler writes one without metadata. */
const experimentFields = (uuid: string): ExperimentFields => ({
  uuid,
  prefix: 'ephys',
  path: `ephys/${uuid}`,
  metadataSource: 'none',
  metadataKey: null,
  metadataEtag: null,
  metadataRaw: null,
  metadataError: null,
  metadataTruncation: null,
  metadataText: '',
  fileText: '',
  date: uuid.slice(0, 10),
  species: null,
  sampleType: null,
  cellLine: null,
  hardware: null,
  chipIds: null,
  channelCount: null,
  sampleRate: null,
  recordingNames: [],
  purpose: null,
  objectCount: 0,
  totalBytes: 0,
  newestModified: new Date(),
});
// Shorter than the default 5 s, so the test can wait it out.
const STALE_MS = 300;
const pastStaleWindow = () => new Promise((resolve) => setTimeout(resolve, STALE_MS + 50));

beforeAll(async () => {
  client = testClient();
  const bucket = await createTestBucket(client, 'search');
  await putObjects(client, bucket, {
    ...fixtureBucketObjects(),
    ...Object.fromEntries(syntheticBucketObjects({ experiments: 150, filesPerExperiment: 5, seed: 3 })),
    [`${SHAPES.mearec}/derived/kilosort2/rec4.2_phy.zip`]: 'phy',
    // hc328 only in passing, not in the uuid: must rank below the experiments named after it.
    'ephys/2022-02-02-e-chip18111_weekly/metadata.json': JSON.stringify({ notes: { comments: 'neighbouring well held hc328' } }),
  });
  dir = tempDir('search');
  const db = openTempIndex(dir.path);
  const summary = await crawlInto(db, bucket);
  expect(summary.status).toBe('succeeded');
  db.$client.close();
  // The routes read the index the server way: from the environment, through getDb().
  process.env.DATABASE_PATH = join(dir.path, 'search.db');
  process.env.S3_BUCKET = bucket;
  process.env.SEARCH_STALE_SECONDS = String(STALE_MS / 1000);
});

afterAll(() => {
  dir?.remove();
  client?.destroy();
});

describe('GET /api/search', () => {
  it('finds uuid fragments and file names a person would type, with highlighted snippets', async () => {
    const hc = await api({ q: 'hc328' });
    expect(paths(hc.body)).toContain(SHAPES.commentsObject);
    const hit = hc.body.results.find((r) => r.path === SHAPES.commentsObject)!;
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text.toLowerCase())).toContain('hc328');

    expect(paths((await api({ q: 'GABA_v0' })).body).sort()).toEqual([SHAPES.maxwellOld, SHAPES.maxwellNwb].sort());
    expect(paths((await api({ q: 'mearec-6cells' })).body)).toEqual([SHAPES.mearec]);

    const rec = await api({ q: 'rec4.2' });
    expect(paths(rec.body)).toEqual([SHAPES.mearec]);
    expect(rec.body.results[0]!.files.map((f) => f.key)).toEqual([`${SHAPES.mearec}/derived/kilosort2/rec4.2_phy.zip`]);

    const ks = await api({ q: 'kilosort2 data_GABA_BL_20325', limit: '100' });
    expect(paths(ks.body)).toContain(SHAPES.maxwellOld);
    expect(ks.body.results.find((r) => r.path === SHAPES.maxwellOld)!.files[0]!.key).toMatch(/derived\/kilosort2\//);
  });

  it('treats the last word as a prefix while typing', async () => {
    expect(paths((await api({ q: 'bicucul', limit: '100' })).body)).toContain(SHAPES.listStyle);
    expect((await api({ q: 'bicucul ' })).body.total).toBe(0);
  });

  it('answers a query and its variants in case alike, and they share one key in the answer cache', () => {
    const db = getDb().$client;
    const asked = (q: string) => toSearchRequest(searchParamsSchema.parse({ q }));
    const keyOf = (q: string) => answerKey(asked(q), parseSearchQuery(q));
    let shared = 0;
    for (const q of [
      'organoid',
      'Organoid hc328',
      'Bicucul',
      '"Spike Sorting" -Mouse',
      'hc328 OR Slice',
      'species:Human culture',
      'unclosed "Quote',
    ]) {
      for (const variant of [q.toLowerCase(), q.toUpperCase(), q.replace(/\b\w/g, (c) => c.toUpperCase())]) {
        if (keyOf(variant) !== keyOf(q)) continue;
        shared++;
        expect(searchExperiments(db, asked(variant)), `${variant} / ${q}`).toEqual(searchExperiments(db, asked(q)));
      }
    }
    expect(shared).toBeGreaterThanOrEqual(12);
    // What the text asks beyond its words is not folded: a filter's value as typed, OR as an operator.
    expect(keyOf('species:Human')).not.toBe(keyOf('species:human'));
    expect(keyOf('hc328 OR slice')).not.toBe(keyOf('hc328 or slice'));
  });

  it('supports phrases, exclusion, OR and every field operator', async () => {
    expect(paths((await api({ q: '"closed-loop feeding"' })).body)).toEqual([SHAPES.commentsObject]);
    expect((await api({ q: '"feeding closed-loop"' })).body.total).toBe(0);
    const gaba = (await api({ q: 'GABA' })).body.total;
    const gabaNotMouse = await api({ q: 'GABA -mouse' });
    expect(gabaNotMouse.body.total).toBeLessThan(gaba);
    expect(paths(gabaNotMouse.body)).not.toContain(SHAPES.maxwellOld);
    const either = (await api({ q: 'bicuculline OR tetrode', limit: '100' })).body;
    expect(paths(either)).toEqual(expect.arrayContaining([SHAPES.listStyle, SHAPES.mearec]));
    const mouse = await api({ q: 'species:mouse', limit: '100' });
    expect(mouse.body.facets.species).toEqual([{ value: 'mouse', count: mouse.body.total }]);
    const maxwell = await api({ q: 'hardware:maxwell', limit: '100' });
    expect(maxwell.body.facets.hardware!.every((f) => /maxwell/i.test(f.value))).toBe(true);
    const imaging = await api({ q: 'modality:imaging', limit: '100' });
    expect(imaging.body.results.every((r) => r.prefix === 'imaging')).toBe(true);
    expect(imaging.body.total).toBeGreaterThan(1);
    const dated = await api({ q: 'after:2023-06 before:2024-01-01', limit: '100' });
    expect(dated.body.total).toBeGreaterThan(0);
    expect(dated.body.results.every((r) => r.date! >= '2023-06-01' && r.date! < '2024-01-01')).toBe(true);
  });

  it('applies the URL filters and counts facets over the whole matching set', async () => {
    const all = await api({ q: 'organoid' });
    for (const facet of ['prefix', 'species', 'sampleType', 'hardware'] as const) {
      const param = facet === 'sampleType' ? 'sample_type' : facet;
      for (const { value, count } of all.body.facets[facet]!.slice(0, 3)) {
        const filtered = await api({ q: 'organoid', [param]: value });
        expect(filtered.body.total, `${facet}=${value}`).toBe(count);
      }
    }
    for (const { value, count } of all.body.facets.year!.slice(0, 2)) {
      expect((await api({ q: 'organoid', from: `${value}-01-01`, to: `${value}-12-31` })).body.total).toBe(count);
    }
  });

  it('ranks uuid matches above mentions in passing, and breaks ties by date', async () => {
    const ranked = await api({ q: 'hc328', limit: '100' });
    const inUuid = ranked.body.results.map((r) => r.uuid.includes('hc328'));
    expect(inUuid).toContain(true);
    expect(inUuid).toContain(false);
    // Once a result matches only outside its uuid, no uuid match follows.
    expect(inUuid.slice(inUuid.indexOf(false))).not.toContain(true);
    const newest = await api({ q: '', limit: '100' });
    expect(newest.body.sort).toBe('newest');
    const dates = newest.body.results.map((r) => r.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    const oldest = await api({ q: '', sort: 'oldest', limit: '100' });
    expect(oldest.body.results[0]!.date).toBe(oldest.body.stats.oldestDate);
  });

  it('paginates stably: pages of 7 concatenate to the single big page', async () => {
    for (const q of ['', 'organoid']) {
      const whole = await api({ q, limit: '100' });
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Body } = await api(cursor ? { q, limit: '7', cursor } : { q, limit: '7' });
        pages.push(...paths(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pages.length).toBe(whole.body.total);
      expect(new Set(pages).size).toBe(pages.length);
      expect(pages.slice(0, whole.body.results.length)).toEqual(paths(whole.body));
    }
  });

  it("sees a crawl's commit once SEARCH_STALE_SECONDS have passed: cached answers follow the index", async () => {
    const q = 'zebrafish';
    const before = (await api({ q })).body;
    expect(before.total).toBe(0);
    // Within the window the answers from before the commit may stand; after it, never.
    const writer = openDatabase(process.env.DATABASE_PATH!);
    writeExperiments(writer, 'b', new Date(), [{ fields: experimentFields('2026-01-01-e-zebrafish_pilot'), upsert: [], remove: [] }]);
    writer.$client.close();
    await pastStaleWindow();
    const after = (await api({ q })).body;
    expect(paths(after)).toEqual(['ephys/2026-01-01-e-zebrafish_pilot']);
    // The counts every answer carries follow the index as the answers do.
    expect(after.stats.experiments).toBe(before.stats.experiments + 1);
    const remover = openDatabase(process.env.DATABASE_PATH!);
    deleteExperiments(remover, ['ephys/2026-01-01-e-zebrafish_pilot']);
    remover.$client.close();
    await pastStaleWindow();
    expect((await api({ q })).body.total).toBe(0);
  });

  it('keeps an answer computed from a catalog held stale no longer than the catalog is held: it would hide the commit until the next one', async () => {
    const commit = (uuid: string) => {
      const writer = openDatabase(process.env.DATABASE_PATH!);
      writeExperiments(writer, 'b', new Date(), [{ fields: experimentFields(uuid), upsert: [], remove: [] }]);
      writer.$client.close();
    };
    const q = 'medaka';
    expect((await api({ q })).body.total).toBe(0);
    commit('2026-03-03-e-other_fish');
    await pastStaleWindow();
    // The catalog loaded anew (as a search thread's prepareSearch does, or another query), then a commit:
    // the answers kept are of the new version, the catalog is within its window and lacks the new experiment.
    getCatalog(getDb().$client, STALE_MS);
    commit('2026-03-04-e-medaka_pilot');
    expect((await api({ q })).body.total).toBeLessThanOrEqual(1);
    // While the catalog is held, its answers are kept: asked again, the same bytes come from the cache.
    const asked = toSearchRequest(searchParamsSchema.parse({ q }));
    const first = await searchJson(asked);
    expect(await searchJson(asked)).toBe(first);
    await pastStaleWindow();
    expect(paths((await api({ q })).body)).toEqual(['ephys/2026-03-04-e-medaka_pilot']);
    const remover = openDatabase(process.env.DATABASE_PATH!);
    deleteExperiments(remover, ['ephys/2026-03-03-e-other_fish', 'ephys/2026-03-04-e-medaka_pilot']);
    remover.$client.close();
    await pastStaleWindow();
  });

  it('keeps the catalog it loaded for maxStaleMs after a commit, then reloads it', async () => {
    const reader = openDatabase(process.env.DATABASE_PATH!);
    try {
      const before = getCatalog(reader.$client, 60_000);
      const writer = openDatabase(process.env.DATABASE_PATH!);
      writeExperiments(writer, 'b', new Date(), [{ fields: experimentFields('2026-02-02-e-catalog_check'), upsert: [], remove: [] }]);
      deleteExperiments(writer, ['ephys/2026-02-02-e-catalog_check']);
      writeExperiments(writer, 'b', new Date(), [{ fields: experimentFields('2026-02-03-e-catalog_check'), upsert: [], remove: [] }]);
      writer.$client.close();
      expect(getCatalog(reader.$client, 60_000)).toBe(before);
      // Due to be loaded again by a call that holds it no longer than that (a search thread asks its turn).
      expect(getCatalog.due(reader.$client, 60_000)).toBe(false);
      expect(getCatalog.due(reader.$client, 0)).toBe(true);
      // A search thread's turn loads it between searches.
      refreshSearch(reader.$client);
      expect(getCatalog.due(reader.$client, 0)).toBe(false);
      const after = getCatalog(reader.$client, 60_000);
      expect(after).not.toBe(before);
      expect(after.ids.length).toBe(before.ids.length + 1);
      deleteExperiments(reader, ['ephys/2026-02-03-e-catalog_check']);
    } finally {
      reader.$client.close();
    }
    await pastStaleWindow();
  });

  it('reports the index stats', async () => {
    const { body } = await api({ q: '' });
    expect(body.stats).toMatchObject({ experiments: body.total, oldestDate: '2019-07-07' });
    expect(new Date(body.stats.lastCrawlFinishedAt).getTime()).toBeGreaterThan(Date.now() - 600_000);

    // Another connection's commit counts at once, though answers may be held for SEARCH_STALE_SECONDS: no
    // answer counts an experiment the stats do not.
    const writer = openDatabase(process.env.DATABASE_PATH!);
    writeExperiments(writer, 'b', new Date(), [{ fields: experimentFields('2026-03-05-e-stats_check'), upsert: [], remove: [] }]);
    expect((await api({ q: '' })).body.stats.experiments).toBe(body.stats.experiments + 1);
    deleteExperiments(writer, ['ephys/2026-03-05-e-stats_check']);
    writer.$client.close();
    expect((await api({ q: '' })).body.stats.experiments).toBe(body.stats.experiments);
    await pastStaleWindow();
  });

  it.each([
    [{ sort: 'best' }, /^sort must be one of relevance, newest, oldest$/],
    [{ limit: '0' }, /^limit must be between 1 and 100$/],
    [{ limit: '101' }, /^limit must be between 1 and 100$/],
    [{ limit: 'ten' }, /^limit must be a number$/],
    [{ from: '2023/01/01' }, /^from must be a date like 2023-06-15$/],
    [{ cursor: 'bm90IGEgY3Vyc29y' }, /^cursor is not one this server gave out/],
    [{ q: 'after:2023-13' }, /^after: expects a date/],
    [{ q: 'modality:genomics' }, /^modality: expects one of archive, ephys/],
    [{ q: 'x'.repeat(10_001) }, /^q must be at most 10,000 characters$/],
    [{ q: 'y '.repeat(300) }, /^query is too long/],
    [{ q: ['a', 'b'] }, /^q /],
  ])('refuses a bad request with a 400 naming the parameter (%#)', async (params, message) => {
    const { status, body } = await api(params);
    expect(status).toBe(400);
    expect(body.error!.code).toBe('bad_request:search');
    expect(body.error!.message).toMatch(message);
  });
});

describe('GET /api/experiments', () => {
  it('lists by filters alone and refuses a text query', async () => {
    const { status, body } = await api({ prefix: 'imaging' }, experimentsRoute);
    expect(status).toBe(200);
    expect(body.results.every((r) => r.prefix === 'imaging')).toBe(true);
    expect((await api({ q: 'x' }, experimentsRoute)).status).toBe(400);
  });
});

describe('whatever is typed', () => {
  const pieces = [
    'hc328',
    'GABA_v0',
    'rec4.2',
    'organoid',
    'mouse',
    '"',
    '""',
    '"dose',
    '*',
    '^',
    '(',
    ')',
    'NEAR(',
    'NEAR(a b, 2)',
    'AND',
    'OR',
    'NOT',
    '-',
    '-mouse',
    '+',
    '{uuid path}',
    'uuid:',
    'metadata_text:x',
    'species:',
    'species:"homo sapiens"',
    'after:',
    'after:2023-06',
    'after:20x',
    'before:2024-02-30',
    'modality:ephys',
    'modality:x',
    'hardware:maxwell',
    ':',
    "' OR 1=1 --",
    '"; DROP TABLE experiments; --',
    '\u0000',
    '\u0007',
    '\u202e',
    'שלום',
    'مرحبا',
    '🧠',
    '🧪🐭',
    'é',
    '\\',
    '%',
    '_',
    'x'.repeat(300),
    '  ',
  ];

  it('10,000 generated queries: zero 5xx, every answer a result or a 400 with a message', async () => {
    const next = seededRandom(42);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pieces[Math.floor(next() * pieces.length)]!);
      const q = words.join(next() < 0.5 ? ' ' : '');
      const { status, body } = await api({ q, limit: '5' });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== 200) {
        expect(status, q).toBe(400);
        expect(body.error, q).toMatchObject({ code: 'bad_request:search', message: expect.stringMatching(/\w/) });
      }
    }
    expect(statuses.get(200)).toBeGreaterThan(5_000);
    expect(statuses.get(400)).toBeGreaterThan(100);
  });

  it('SQL injection attempts return no rows a plain search of their words would not', async () => {
    const attempts = ["hc328' OR '1'='1", 'organoid"; DELETE FROM experiments; --', "x' UNION SELECT * FROM objects --", 'mouse) OR (1=1'];
    for (const q of attempts) {
      const attack = await api({ q, limit: '100' });
      expect(attack.status).toBe(200);
      // Every row the attack returns must be one that searching one of its words alone returns.
      const words = q.match(/[\p{L}\p{N}]+/gu)!.filter((w) => w !== 'OR');
      const plain = new Set<string>();
      for (const word of words) for (const path of paths((await api({ q: `${word} `, limit: '100' })).body)) plain.add(path);
      for (const path of paths(attack.body)) expect(plain.has(path), `${q}: ${path}`).toBe(true);
    }
    expect((await api({ q: '' })).body.stats.experiments).toBeGreaterThan(150);
  });
});
