import { METADATA_LIMITS } from '../../crawler/metadata';
import { seededRandom } from '../../scripts/seeded-random';
import { h5FileBytes } from './h5-file-bytes';

/**
 * A bucket of experiments built to break a crawler and the pages after it: metadata nested thousands deep,
 * hundreds of thousands of entries, values no lab file holds, folder and file names that need escaping in
 * every layer (URL, XML listing, presigned URL), and HDF5 files that are truncated, point outside
 * themselves or link back into themselves. Beside them, ordinary experiments, which must be indexed as if
 * the hostile ones were not there.
 *
 * The fixed cases below are each one named kind; `seed` adds `randomCases` more, drawn from the same pools
 * (random nesting, random nasty strings and numbers, random broken bytes, random odd folder names), so a
 * failing seed can be replayed exactly.
 */

export interface HostileCase {
  /** `<prefix>/<folder>` as the crawler indexes it. */
  path: string;
  what: string;
  /** The metadata is unparseable: the experiment must carry an error. */
  broken?: boolean;
  /** The document is over one of the crawler's limits: its truncation must say which. */
  truncation?: 'depth' | 'values' | 'text';
  /** Files of the experiment whose HDF5 manifest must be recorded as unreadable. */
  unreadableHdf5?: string[];
}

export interface HostileBucket {
  objects: Record<string, string | Uint8Array>;
  cases: HostileCase[];
  /** Folders that are not experiments (`.` and `..`): listed, never indexed. */
  notExperiments: string[];
  /** Ordinary experiments (path → their metadata document), which must be indexed with their fields. */
  ordinary: Map<string, { species: string; sampleType: string; purpose: string }>;
}

const NASTY_STRINGS = [
  '<script>alert(1)</script>',
  '"}); DROP TABLE experiments; --',
  "' OR 1=1 --",
  'NEAR(a b) AND "x" OR y*',
  '\u0000nul\u0000',
  '\ud800 lone surrogate \udfff',
  '\u202eright-to-left override',
  'zero\u200bwidth\ufeffjoiners',
  'e\u0301 combining',
  '🧠🔬🧪',
  '%00%2e%2e%2f',
  '../../etc/passwd',
  '\r\n\t',
  ' '.repeat(300),
  'x'.repeat(5000),
  '{{constructor.constructor("return process")()}}',
  'javascript:alert(1)',
  '__proto__',
];

const NASTY_NUMBERS = ['1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890', '0.1e-7', '9007199254740993'];

const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '.',
  'a.b',
  'ephys_experiments',
  'notes',
  '\u0000',
  '🧠',
];

/** Folder names that need escaping somewhere between S3, the index and a browser. */
const ODD_FOLDERS = [
  '2023-02-01-e-space in name',
  '2023-02-02-e-caf\u00e9',
  '2023-02-02-e-cafe\u0301',
  '2023-02-03-e-100%',
  '2023-02-04-e-what?',
  '2023-02-05-e-#hash',
  '2023-02-06-e-a+b',
  '2023-02-07-e-carriage\rreturn',
  '2023-02-08-e-line\nfeed',
  '2023-02-09-e-tab\there',
  '2023-02-10-e-\u{1f9e0}brain',
  '2023-02-11-e-amp&lt<gt>"quote\'',
  '2023-02-12-e-trailing ',
  '2023-02-13-e-%2e%2e',
  '2023-02-14-e-%41',
  '2023-02-15-e-semi;colon=equals,comma',
  '2023-02-16-e-back\\slash',
  '2023-02-17-e-\u0661\u0662\u0663-arabic-digits',
];

const text = (value: string) => new TextEncoder().encode(value);

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep around one value, built without recursion. */
function nested(kind: 'array' | 'object', depth: number, inner = '1'): string {
  const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
  return open.repeat(depth) + inner + close.repeat(depth);
}

function fixedCases(): { objects: Record<string, string | Uint8Array>; cases: HostileCase[] } {
  const objects: Record<string, string | Uint8Array> = {};
  const cases: HostileCase[] = [];
  const add = (c: HostileCase, metadata?: string | Uint8Array) => {
    cases.push(c);
    if (metadata !== undefined) objects[`${c.path}/metadata.json`] = metadata;
    objects[`${c.path}/original/data/recording.raw.h5`] = text('not really a recording');
  };

  add(
    { path: 'ephys/2023-01-01-e-deep_array_2000', what: 'an array nested 2,000 deep (4 KB)', truncation: 'depth' },
    `{"notes":${nested('array', 2000)}}`,
  );
  add({ path: 'ephys/2023-01-02-e-deep_object_5000', what: 'objects nested 5,000 deep', truncation: 'depth' }, `{"notes":${nested('object', 5000)}}`);
  add({ path: 'ephys/2023-01-03-e-deep_object_1100', what: 'objects nested 1,100 deep', truncation: 'depth' }, `{"notes":${nested('object', 1100)}}`);
  add({ path: 'ephys/2023-01-04-e-deep_object_1500', what: 'objects nested 1,500 deep', truncation: 'depth' }, `{"notes":${nested('object', 1500)}}`);
  add(
    { path: 'ephys/2023-01-05-e-deep_array_200000', what: 'an array nested 200,000 deep (400 KB)', truncation: 'depth' },
    `{"a":${nested('array', 200_000)}}`,
  );

  const recordings = Array.from({ length: 150_000 }, (_, i) => `"r${i}":{"num_channels":${(i % 1024) + 1},"sample_rate":20000}`);
  add(
    { path: 'ephys/2023-01-06-e-150000_recordings', what: 'ephys_experiments with 150,000 entries', truncation: 'text' },
    `{"hardware":"Maxwell","ephys_experiments":{${recordings.join(',')}}}`,
  );
  const listed = Array.from({ length: 150_000 }, (_, i) => `{"name":"r${i}","num_channels":${i + 1},"sample_rate":${i + 1}}`);
  add(
    { path: 'ephys/2023-01-07-e-150000_listed_recordings', what: 'ephys_experiments as a list of 150,000', truncation: 'text' },
    `{"ephys_experiments":[${listed.join(',')}]}`,
  );
  const wide = Array.from({ length: 200_000 }, (_, i) => `"k${i}":"v${i}"`);
  add({ path: 'ephys/2023-01-08-e-200000_keys', what: 'one object with 200,000 keys', truncation: 'text' }, `{"notes":{${wide.join(',')}}}`);
  add(
    { path: 'ephys/2023-01-09-e-9mb_string', what: 'one 9 MB string value', truncation: 'text' },
    `{"notes":{"purpose":"${'word '.repeat((9 * 1024 * 1024) / 5)}"}}`,
  );
  add(
    { path: 'ephys/2023-01-10-e-million_numbers', what: 'an array of 1,000,000 numbers (only the first 64 are words)' },
    `{"channel_map":[${Array.from({ length: 1_000_000 }, (_, i) => i % 1000).join(',')}]}`,
  );
  add(
    { path: 'ephys/2023-01-11-e-600000_empty_strings', what: '600,000 empty strings: no text, but values past the limit', truncation: 'values' },
    `{"notes":[${'"",'.repeat(600_000)}""]}`,
  );
  add(
    { path: 'ephys/2023-01-12-e-prototype_keys', what: '__proto__, constructor and toString as keys everywhere' },
    JSON.stringify({
      notes: { biology: { species: { toString: 'x' }, sample_type: ['organoid'] }, purpose: { valueOf: 1 } },
      ephys_experiments: { ['__proto__']: { num_channels: 5 }, constructor: { sample_rate: 'x' }, hasOwnProperty: 1, toString: { name: 7 } },
    }).replace('"toString":"x"', '"__proto__":{"polluted":true}'),
  );
  add(
    { path: 'ephys/2023-01-13-e-odd_values', what: 'infinite, negative zero, huge and NaN-looking numbers; booleans and nulls as fields' },
    `{"num_channels":1e309,"sample_rate":-1e309,"timestamp":"9999-99-99","hardware":null,"maxwell_chip_id":[true,false,null,{}],` +
      `"notes":{"purpose":123456789012345678901234567890,"biology":{"species":-0,"sample_type":1e-400,"cell_line":"NaN"}},` +
      `"ephys_experiments":{"a":{"num_channels":"Infinity","sample_rate":"1e400","blocks":[{"num_frames":-5,"path":{"x":1}}]},"b":{"blocks":"nope"}}}`,
  );
  add(
    { path: 'ephys/2023-01-14-e-nasty_strings', what: 'NUL, lone surrogates, bidi overrides, markup and FTS syntax as values and keys' },
    JSON.stringify({
      uuid: NASTY_STRINGS[0],
      notes: Object.fromEntries(NASTY_STRINGS.map((s, i) => [`${NASTY_KEYS[i % NASTY_KEYS.length]}${i}`, s])),
      hardware: NASTY_STRINGS[1],
      ephys_experiments: {
        [NASTY_STRINGS[0]!]: { name: NASTY_STRINGS[3], num_channels: 4, sample_rate: 20000, blocks: [{ path: NASTY_STRINGS[11], num_frames: 10 }] },
      },
    }),
  );
  add(
    { path: 'ephys/2023-01-15-e-1mb_purpose', what: 'a 1 MB purpose, shown on the page and the card', truncation: 'text' },
    JSON.stringify({ notes: { purpose: 'long purpose '.repeat(80_000) } }),
  );
  add(
    { path: 'ephys/2023-01-16-e-utf16', what: 'UTF-16 with a byte-order mark', broken: true },
    new Uint8Array([0xff, 0xfe, ...Array.from(text('{"a":1}'), (b) => [b, 0]).flat()]),
  );
  add(
    { path: 'ephys/2023-01-17-e-gzip', what: 'gzip bytes named metadata.json', broken: true },
    new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56, 0x4a]),
  );
  add({ path: 'ephys/2023-01-18-e-empty', what: 'an empty file', broken: true }, '');
  add({ path: 'ephys/2023-01-19-e-json_string', what: 'a JSON string, not an object', broken: true }, '"just a string"');
  add({ path: 'ephys/2023-01-20-e-unclosed_deep', what: 'an unclosed array 100,000 deep', broken: true }, `{"a":${'['.repeat(100_000)}`);
  add(
    { path: 'ephys/2023-01-21-e-duplicate_keys', what: 'the same key 10,000 times' },
    `{${Array.from({ length: 10_000 }, (_, i) => `"notes":"n${i}"`).join(',')}}`,
  );
  add({ path: 'ephys/2023-01-22-e-whitespace', what: '5 MB of whitespace around a tiny object' }, `${' '.repeat(5 * 1024 * 1024)}{"notes":"padded"}`);
  add({ path: 'imaging/2023-01-23-i-deep_manifest', what: 'an imaging manifest.json nested 3,000 deep', truncation: 'depth' });
  objects['imaging/2023-01-23-i-deep_manifest/images/manifest.json'] = `{"captures":${nested('array', 3000)}}`;

  // Files whose names need care: dot segments (which browsers resolve away), empty segments, CR and LF.
  const files = 'ephys/2023-01-24-e-odd_file_names';
  add({ path: files, what: 'files named with dot segments, empty segments, CR, LF and percent signs' }, '{"notes":{"purpose":"odd file names"}}');
  for (const name of [
    'a/../b.txt',
    './c.txt',
    'd/./e.txt',
    '../f.txt',
    'g//h.txt',
    'cr\rin.txt',
    'lf\nin.txt',
    '%2e%2e/i.txt',
    'j%20k.txt',
    '..',
    '.',
  ]) {
    objects[`${files}/${name}`] = text(`file ${name}`);
  }
  // A folder with a key just over the length a folder segment usually has, and files 1,000 levels deep.
  objects[`${files}/${'deep/'.repeat(150)}leaf.txt`] = text('deep');
  return { objects, cases };
}

/** HDF5 files the manifest walker must record as unreadable, each over the size that gets a manifest. */
async function hostileHdf5(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const padded = (file: Parameters<Parameters<typeof h5FileBytes>[0]>[0]) =>
    file.create_dataset({ name: 'padding', data: Float64Array.from({ length: 64 * 1024 }, (_, i) => Math.sin(i)), shape: [64 * 1024] });
  const healthy = await h5FileBytes(
    (file) => {
      padded(file);
      const group = file.create_group('acquisition');
      group.create_attribute('neurodata_type', 'ElectricalSeries');
    },
    { libver: ['earliest', 'v108'] },
  );
  // Superblock version 0: the root group's object header address sits at bytes 64–71, the end-of-file
  // address at 40–47 (HDF5 file format spec, "Version 0 Superblock").
  const patched = (offset: number, value: bigint) => {
    const copy = Buffer.from(healthy);
    copy.writeBigUInt64LE(value, offset);
    return copy;
  };
  const cycle = await h5FileBytes((file) => {
    padded(file);
    const loop = file.create_group('loop');
    loop.create_hard_link('/', 'back_to_root');
    loop.create_hard_link('/loop', 'to_itself');
  });
  return [
    { name: 'truncated.nwb', bytes: healthy.subarray(0, Math.floor(healthy.length * 0.6)) },
    { name: 'root_past_end.nwb', bytes: patched(64, 1n << 40n) },
    { name: 'root_at_garbage.nwb', bytes: patched(64, 4096n) },
    { name: 'eof_huge.h5', bytes: patched(40, 1n << 50n) },
    {
      name: 'signature_then_noise.h5',
      bytes: Uint8Array.from({ length: 300 * 1024 }, (_, i) =>
        i < 8 ? [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a][i]! : (i * 2654435761) >>> 24,
      ),
    },
    { name: 'link_cycle.nwb', bytes: cycle },
  ];
}

/** A random JSON document (as text) from the pools above, and what it is. */
function randomDocument(next: () => number): { json: string; depth: number; broken: boolean } {
  // `depth`: the objects and arrays around the innermost value.
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  if (next() < 0.15) {
    const broken = pick([
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      '{"a":NaN}',
      '{"a":undefined}',
      '\ufeff{"a":1}',
      '{"a":"\\x41"}',
      '[1,2]',
      'null',
      `{"a":"${'\\'.repeat(7)}"}`,
    ]);
    return { json: broken, depth: 0, broken: true };
  }
  const depth = 1 + Math.floor(next() * next() * 400);
  let inner = JSON.stringify(pick(NASTY_STRINGS));
  if (next() < 0.3) inner = pick(NASTY_NUMBERS);
  for (let level = 1; level < depth; level++) {
    const key = JSON.stringify(pick(NASTY_KEYS));
    inner = next() < 0.5 ? `[${inner},${pick(NASTY_NUMBERS)}]` : `{${key}:${inner},"s":${JSON.stringify(pick(NASTY_STRINGS))}}`;
  }
  return { json: `{"notes":${inner}}`, depth, broken: false };
}

const ORDINARY_SPECIES = ['human', 'mouse'];
const ORDINARY_SAMPLES = ['organoid', 'slice'];

export async function hostileBucket(options: { seed?: number; randomCases?: number; ordinary?: number } = {}): Promise<HostileBucket> {
  const next = seededRandom(options.seed ?? 12);
  const { objects, cases } = fixedCases();

  // The same kind of HDF5 trouble in one experiment, so its page shows each file's reason.
  const hdf5Path = 'ephys/2023-01-25-e-hostile_hdf5';
  const hdf5 = await hostileHdf5();
  objects[`${hdf5Path}/metadata.json`] = '{"notes":{"purpose":"HDF5 files that are truncated, point outside themselves or loop"}}';
  for (const file of hdf5) objects[`${hdf5Path}/shared/${file.name}`] = file.bytes;
  cases.push({
    path: hdf5Path,
    what: 'HDF5 files that are truncated, point outside themselves or link back into themselves',
    unreadableHdf5: hdf5.map((f) => `${hdf5Path}/shared/${f.name}`),
  });

  for (const folder of ODD_FOLDERS) {
    const path = `ephys/${folder}`;
    objects[`${path}/metadata.json`] = JSON.stringify({ notes: { purpose: `folder named ${JSON.stringify(folder)}` } });
    objects[`${path}/shared/${folder}.txt`] = text(folder);
    cases.push({ path, what: `a folder named ${JSON.stringify(folder)}` });
  }
  const notExperiments = ['ephys/.', 'ephys/..'];
  for (const path of notExperiments) objects[`${path}/metadata.json`] = '{"notes":"not an experiment"}';

  for (let i = 0; i < (options.randomCases ?? 24); i++) {
    const doc = randomDocument(next);
    const odd = ODD_FOLDERS[Math.floor(next() * ODD_FOLDERS.length)]!.slice(13);
    const path = `ephys/2022-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}-e-random_${i}_${odd}`;
    objects[`${path}/metadata.json`] = doc.json;
    cases.push({
      path,
      what: `random document ${i} (depth ${doc.depth})`,
      broken: doc.broken,
      truncation: doc.depth > METADATA_LIMITS.depth ? 'depth' : undefined,
    });
  }

  const ordinary = new Map<string, { species: string; sampleType: string; purpose: string }>();
  for (let i = 0; i < (options.ordinary ?? 30); i++) {
    const species = ORDINARY_SPECIES[i % 2]!;
    const sampleType = ORDINARY_SAMPLES[Math.floor(i / 2) % 2]!;
    const path = `ephys/2024-03-${String(1 + (i % 28)).padStart(2, '0')}-e-ordinary_${i}`;
    const purpose = `ordinary experiment ${i} among hostile ones`;
    objects[`${path}/metadata.json`] = JSON.stringify({ hardware: 'Maxwell', notes: { purpose, biology: { species, sample_type: sampleType } } });
    objects[`${path}/original/data/rec_${i}.raw.h5`] = text(`recording ${i}`);
    ordinary.set(path, { species, sampleType, purpose });
  }
  return { objects, cases, notExperiments, ordinary };
}
