import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSearchQuery, QueryError, type ParsedQuery } from './parse';
import { seededRandom } from '../../scripts/seeded-random';
import { noFilterValues } from '../../contracts/filters';

const noFilters = (): ParsedQuery['filters'] => noFilterValues();
const matchOf = (text: string) => parseSearchQuery(text).match;
const excludeOf = (text: string) => parseSearchQuery(text).exclude;
const filtersOf = (text: string) => parseSearchQuery(text).filters;

function queryError(text: string): string {
  try {
    parseSearchQuery(text);
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return (error as QueryError).message;
  }
  throw new Error(`expected a QueryError for ${JSON.stringify(text)}`);
}

describe('parseSearchQuery: words and phrases', () => {
  it('returns nothing to match for empty or whitespace-only text', () => {
    for (const text of ['', '   ', '\t\n', '\u0000', '***', '-', '""', '( ) ^']) {
      expect(parseSearchQuery(text)).toEqual({ match: null, exclude: null, filters: noFilters(), measures: {}, terms: [], notes: [] });
    }
  });

  it('ANDs words and makes only the last one, while it is being typed, a prefix', () => {
    expect(matchOf('hc3')).toBe('"hc3"*');
    expect(matchOf('hc328 ')).toBe('"hc328"');
    expect(matchOf('mouse organoid')).toBe('"mouse" AND "organoid"*');
    expect(matchOf('mouse organoid\t')).toBe('"mouse" AND "organoid"');
    expect(matchOf('Mouse ORGANOID ')).toBe('"mouse" AND "organoid"');
  });

  it('matches a last token of a single digit whole: as a prefix it expands to most of the index', () => {
    expect(matchOf('rec4.2')).toBe('"rec4 2"');
    expect(matchOf('trace_2')).toBe('"trace 2"');
    expect(matchOf('rec4.21')).toBe('"rec4 21"*');
    expect(matchOf('m')).toBe('"m"*');
    expect(matchOf('"dose r')).toBe('"dose r"*');
  });

  it('turns a word with separators into the phrase of its unicode61 tokens', () => {
    expect(matchOf('GABA_v0 ')).toBe('"gaba v0"');
    expect(matchOf('rec4.2 ')).toBe('"rec4 2"');
    expect(matchOf('2023-04-02 ')).toBe('"2023 04 02"');
    expect(matchOf('e-hc328 ')).toBe('"e hc328"');
    expect(matchOf('derived/kilosort2/x_phy.zip ')).toBe('"derived kilosort2 x phy zip"');
    expect(matchOf('gaba_v')).toBe('"gaba v"*');
    expect(matchOf('hc328_')).toBe('"hc328"*');
  });

  it('keeps letters and digits of any script, and combining accents inside their word', () => {
    expect(matchOf('Müller العصبية 東京 ')).toBe('"müller" AND "العصبية" AND "東京"');
    expect(matchOf('Mu\u0308ller ')).toBe('"mu\u0308ller"');
    expect(matchOf('\u0301 \u0301\u0302 x')).toBe('"x"*');
  });

  it('treats control characters, NUL included, as separators', () => {
    expect(matchOf('a\u0000b')).toBe('"a" AND "b"*');
    expect(matchOf('rec4\u00012 ')).toBe('"rec4" AND "2"');
    expect(matchOf('x\u007fy\u001f')).toBe('"x" AND "y"');
  });

  it('quotes phrases, and closes an unbalanced quote at the end as a prefix phrase being typed', () => {
    expect(matchOf('"dose response"')).toBe('"dose response"');
    expect(matchOf('"Dose  Response" mouse ')).toBe('"dose response" AND "mouse"');
    expect(matchOf('"dose resp')).toBe('"dose resp"*');
    expect(matchOf('"dose resp ')).toBe('"dose resp"');
    expect(matchOf('mouse"dose response"')).toBe('"mouse" AND "dose response"');
  });

  it('excludes -word and -"phrase", never as a prefix', () => {
    expect(parseSearchQuery('mouse -gaba')).toMatchObject({ match: '"mouse"', exclude: '"gaba"' });
    expect(parseSearchQuery('-"dose response" -GABA_v0 rat')).toMatchObject({
      match: '"rat"*',
      exclude: '"dose response" OR "gaba v0"',
    });
    expect(parseSearchQuery('-gaba')).toMatchObject({ match: null, exclude: '"gaba"' });
    expect(parseSearchQuery('mouse - ')).toMatchObject({ match: '"mouse"', exclude: null });
    expect(excludeOf('--x ')).toBe('"x"');
  });

  it('neutralises FTS5 syntax by quoting every token', () => {
    expect(matchOf('NEAR(gaba dose) ')).toBe('"near gaba" AND "dose"');
    expect(matchOf('gaba* ^dose +x {a b} (c) ')).toBe('"gaba" AND "dose" AND "x" AND "a" AND "b" AND "c"');
    expect(matchOf('AND NOT x ')).toBe('"and" AND "not" AND "x"');
    expect(matchOf(`' OR 1=1; DROP TABLE t; -- `)).toBe('"1 1" AND "drop" AND "table" AND "t"');
    expect(matchOf('uuid:hc328 ')).toBe('"uuid hc328"');
  });

  it('lists the positive words and phrases as typed, for highlighting', () => {
    expect(parseSearchQuery('GABA_v0 "dose response" -rat species:mouse mouse OR GABA_v0').terms).toEqual(['GABA_v0', 'dose response', 'mouse']);
  });
});

describe('parseSearchQuery: OR', () => {
  it('joins the items on each side of an upper-case OR', () => {
    expect(matchOf('mouse OR rat organoid ')).toBe('("mouse" OR "rat") AND "organoid"');
    expect(matchOf('a OR b OR "c d" e')).toBe('("a" OR "b" OR "c d") AND "e"*');
    expect(matchOf('mouse OR ra')).toBe('("mouse" OR "ra"*)');
    expect(matchOf('mouse or rat ')).toBe('"mouse" AND "or" AND "rat"');
  });

  it('ignores an OR without a positive word or phrase on both sides', () => {
    expect(parseSearchQuery('OR')).toMatchObject({ match: null, exclude: null });
    expect(matchOf('OR mouse ')).toBe('"mouse"');
    expect(matchOf('mouse OR')).toBe('"mouse"');
    expect(matchOf('mouse OR OR rat ')).toBe('("mouse" OR "rat")');
    expect(parseSearchQuery('mouse OR -rat cat ')).toMatchObject({ match: '"mouse" AND "cat"', exclude: '"rat"' });
    expect(parseSearchQuery('mouse OR species:rat cat ')).toMatchObject({ match: '"mouse" AND "cat"' });
    expect(matchOf('mouse OR *** rat ')).toBe('("mouse" OR "rat")');
    expect(excludeOf('-OR')).toBe('"or"');
  });
});

describe('parseSearchQuery: field operators', () => {
  it('collects filters, field names in any case, values as typed', () => {
    expect(filtersOf('species:mouse Species:"homo sapiens" sample_type:organoid sample:slice hardware:MaxWell')).toEqual({
      ...noFilters(),
      species: ['mouse', 'homo sapiens'],
      sampleType: ['organoid', 'slice'],
      hardware: ['MaxWell'],
    });
    expect(filtersOf('species:"  homo \u0000 sapiens  "')).toEqual({ ...noFilters(), species: ['homo sapiens'] });
    expect(filtersOf('species:"homo sap')).toEqual({ ...noFilters(), species: ['homo sap'] });
    expect(parseSearchQuery('hardware:maxwell')).toEqual({
      match: null,
      exclude: null,
      filters: { ...noFilters(), hardware: ['maxwell'] },
      measures: {},
      terms: [],
      notes: [],
    });
  });

  it('collects what the files hold: type: and has: as filters, has: only of its list', () => {
    expect(filtersOf('type:Units TYPE:ndx-events.TTLs has:units has:LFP')).toEqual({
      ...noFilters(),
      dataType: ['Units', 'ndx-events.TTLs'],
      has: ['units', 'lfp'],
    });
    expect(queryError('has:neurons')).toBe('has: expects one of units, spikes, lfp, trials');
  });

  it("reads measures: a comparison, a number and a unit, in the measure's own unit", () => {
    const measuresOf = (text: string) => parseSearchQuery(text).measures;
    expect(measuresOf('channels:>=512 channels:<2000')).toEqual({
      channels: [
        { comparison: '>=', value: 512 },
        { comparison: '<', value: 2000 },
      ],
    });
    expect(measuresOf('duration:>10m')).toEqual({ duration: [{ comparison: '>', value: 600 }] });
    expect(measuresOf('duration:<=1.5h duration:90 duration:30s duration:2min')).toEqual({
      duration: [
        { comparison: '<=', value: 5400 },
        { comparison: '=', value: 90 },
        { comparison: '=', value: 30 },
        { comparison: '=', value: 120 },
      ],
    });
    expect(measuresOf('rate:20k rate:>=10kHz rate:=30000Hz rate:.5k')).toEqual({
      rate: [
        { comparison: '=', value: 20_000 },
        { comparison: '>=', value: 10_000 },
        { comparison: '=', value: 30_000 },
        { comparison: '=', value: 500 },
      ],
    });
    // Being typed: nothing to compare with yet.
    expect(measuresOf('channels: duration:> rate:>=')).toEqual({});
    expect(parseSearchQuery('organoid channels:1024')).toMatchObject({
      match: '"organoid"',
      measures: { channels: [{ comparison: '=', value: 1024 }] },
    });
  });

  it('rejects a measure it cannot read, naming the operator and a valid value', () => {
    expect(queryError('channels:many')).toBe('channels: expects a value like channels:>=512');
    expect(queryError('channels:10.5')).toBe('channels: expects a value like channels:>=512');
    expect(queryError('channels:10k')).toBe('channels: expects a value like channels:>=512');
    expect(queryError('duration:>10y')).toBe('duration: expects a value like duration:>10m (s, m or h)');
    expect(queryError('duration:=>10m')).toBe('duration: expects a value like duration:>10m (s, m or h)');
    expect(queryError('rate:20MHz')).toBe('rate: expects a value like rate:20k or rate:>=10kHz');
    expect(queryError(`rate:${'9'.repeat(400)}`)).toBe('rate: expects a value like rate:20k or rate:>=10kHz');
  });

  it('accepts only the known modalities, under modality: or prefix:', () => {
    expect(filtersOf('modality:ephys prefix:Imaging')).toEqual({ ...noFilters(), prefix: ['ephys', 'imaging'] });
    expect(queryError('modality:ephys2')).toBe('modality: expects one of archive, ephys, fluidics, imaging, integrated');
    expect(queryError('prefix:"e phys"')).toBe('prefix: expects one of archive, ephys, fluidics, imaging, integrated');
  });

  it('turns after: into an inclusive and before: into an exclusive first day', () => {
    expect(filtersOf('after:2023-06')).toEqual({ ...noFilters(), after: '2023-06-01' });
    expect(filtersOf('after:2023')).toEqual({ ...noFilters(), after: '2023-01-01' });
    expect(filtersOf('after:2023-06-15')).toEqual({ ...noFilters(), after: '2023-06-15' });
    expect(filtersOf('before:2024-01-01')).toEqual({ ...noFilters(), before: '2024-01-01' });
    expect(filtersOf('before:2024-02')).toEqual({ ...noFilters(), before: '2024-02-01' });
    expect(filtersOf('after:"2024-02-29"')).toEqual({ ...noFilters(), after: '2024-02-29' });
    expect(filtersOf('after:2022 after:2023-06 before:2025 before:2024-03')).toEqual({
      ...noFilters(),
      after: '2023-06-01',
      before: '2024-03-01',
    });
  });

  it('rejects malformed dates naming the operator', () => {
    for (const value of ['2023-13', '2023-00', '2023-02-29', '2023-04-31', '23-06', '2023/06', '2023-6', 'june', '２０２３']) {
      expect(queryError(`after:${value}`)).toBe('after: expects a date like 2023-06 or 2023-06-15');
    }
    expect(queryError('mouse BEFORE:2024-1')).toBe('before: expects a date like 2023-06 or 2023-06-15');
  });

  it('ignores an operator with no value yet, and treats unknown or negated fields as text', () => {
    expect(parseSearchQuery('species: after: modality: type: has:')).toEqual({
      match: null,
      exclude: null,
      filters: noFilters(),
      measures: {},
      terms: [],
      notes: [],
    });
    expect(parseSearchQuery('foo:bar ')).toMatchObject({ match: '"foo bar"', filters: noFilters(), terms: ['foo:bar'] });
    expect(parseSearchQuery('-species:mouse')).toMatchObject({ exclude: '"species mouse"', filters: noFilters() });
    expect(parseSearchQuery('-after:garbage')).toMatchObject({ exclude: '"after garbage"', filters: noFilters() });
  });
});

describe('parseSearchQuery: notes on how the text was read', () => {
  const notesOf = (text: string) => parseSearchQuery(text).notes;

  it('says so when a quote is not closed, an OR has nothing on one side, a - excludes nothing, or a filter is unknown', () => {
    expect(notesOf('"unclosed AND OR -')).toEqual(['no closing quote: "unclosed AND OR -" is searched as one phrase']);
    expect(notesOf('OR mouse')).toEqual(['OR needs a word or phrase on each side; it was ignored']);
    expect(notesOf('mouse OR -rat')).toEqual(['OR needs a word or phrase on each side; it was ignored']);
    expect(notesOf('mouse OR species:human')).toEqual(['OR needs a word or phrase on each side; it was ignored']);
    expect(notesOf('mouse - rat')).toEqual(['a - with no word after it excludes nothing; it was ignored']);
    expect(notesOf('speces:mouse')).toEqual(['speces: is not a filter, so it is searched as words']);
    expect(notesOf(`"${'a'.repeat(50)}`)[0]).toBe(`no closing quote: "${'a'.repeat(40)}…" is searched as one phrase`);
  });

  it('has none for well-formed queries, URLs and times', () => {
    for (const text of ['mouse OR rat', '"dose response"', 'species:mouse -rat', 'http://example.org', '10:30', 'hc328 2023-04-02', ''])
      expect(notesOf(text), text).toEqual([]);
  });
});

describe('parseSearchQuery: limits', () => {
  it('rejects more than 500 characters, counted as code points', () => {
    expect(() => parseSearchQuery('a'.repeat(500))).not.toThrow();
    expect(() => parseSearchQuery('🧠'.repeat(500))).not.toThrow();
    expect(queryError('a'.repeat(501))).toBe('query is too long (max 500 characters)');
    expect(queryError('x'.repeat(10_000))).toBe('query is too long (max 500 characters)');
  });

  const TOO_MANY = 'too many words (max 32; parts of words joined by . - _ / count too)';

  it('rejects more than 32 words, counting words, the words of phrases, exclusions and filters', () => {
    const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
    expect(() => parseSearchQuery(words(32))).not.toThrow();
    expect(queryError(words(33))).toBe(TOO_MANY);
    expect(queryError(`${words(29)} -x "y z" species:mouse`)).toBe(TOO_MANY);
    expect(() => parseSearchQuery(`${words(32)} OR * ( ) -`)).not.toThrow();
  });

  it('counts each part of a word joined by separators, so one long dotted word cannot cost seconds', () => {
    expect(queryError(`${'1.'.repeat(249)}1`)).toBe('"1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.…" has 250 words; a phrase may have at most 16');
    expect(queryError('"a b c d e f g h i j k l m n o p q"')).toMatch(/has 17 words; a phrase may have at most 16$/);
    expect(() => parseSearchQuery('ephys/2023-04-02-e-hc328_unperturbed/original/data/Trace_20230402_chip11350.raw.h5')).not.toThrow();
    const sixteen = Array.from({ length: 16 }, (_, i) => `p${i}`).join('_');
    expect(() => parseSearchQuery(`${sixteen} ${sixteen.replaceAll('p', 'q')}`)).not.toThrow();
    expect(queryError(`${sixteen} ${sixteen.replaceAll('p', 'q')} x`)).toBe(TOO_MANY);
  });

  it('keeps a repeated word or phrase once', () => {
    expect(parseSearchQuery('e e e e_e e_e e OR e ').match).toBe('"e" AND "e e"');
    expect(parseSearchQuery('-x -x -y').exclude).toBe('"x" OR "y"');
  });
});

// The same tokenizer as drizzle/0001_fts.sql, so these are the rows the real index would return.
describe('parseSearchQuery against SQLite FTS5', () => {
  const sqlite = new Database(':memory:');
  afterAll(() => sqlite.close());
  sqlite.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')`);
  const rows = [
    '2023-04-02-e-hc328_unperturbed',
    '2023-08-12-e-GABA_v0 mouse organoid GABA dose response',
    'derived/kilosort2/rec4.2_phy.zip',
    'تسجيل الخلايا العصبية hc500',
    'Müller lab rat slice',
    'derived/rec4.20_raw.h5',
    'mouse hippocampus slice 2024-01-15',
  ];
  const insert = sqlite.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
  rows.forEach((row, index) => {
    insert.run(index + 1, row);
  });

  const matching = sqlite.prepare<[string], number>('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').pluck();
  const all = sqlite.prepare<[], number>('SELECT rowid FROM t ORDER BY rowid').pluck();
  // What the search does: rows matching `match` (all rows when there is none) minus rows matching `exclude`.
  function search(text: string): number[] {
    const { match, exclude } = parseSearchQuery(text);
    const excluded = new Set(exclude ? matching.all(exclude) : []);
    return (match ? matching.all(match) : all.all()).filter((rowid) => !excluded.has(rowid));
  }

  it.each([
    ['hc328', [1]],
    ['hc3', [1]],
    ['e-hc328', [1]],
    ['2023-04-02', [1]],
    ['2023-04', [1]],
    ['GABA_v0', [2]],
    ['gaba_v', [2]],
    ['kilosort2', [3]],
    ['rec4.2', [3]],
    ['rec4.2_', [3]],
    ['rec4.2 ', [3]],
    ['rec4.2_phy.zip', [3]],
    ['"dose response"', [2]],
    ['"response dose"', []],
    ['"dose resp', [2]],
    ['mouse -gaba', [7]],
    ['mouse -"dose response" ', [7]],
    ['-derived', [1, 2, 4, 5, 7]],
    ['mouse OR rat organoid', [2]],
    ['mouse OR rat slice', [5, 7]],
    ['muller', [5]],
    ['Müller', [5]],
    ['MÜLLER ', [5]],
    ['Mu\u0308ller', [5]],
    ['mueller', []], // unicode61 removes the accent; it does not spell ü as ue
    ['العصبية', [4]],
    ['الخلا', [4]],
    ['uuid:hc328', []],
    ['NEAR(gaba dose) ', []],
    ['gaba* ^dose ', [2]],
  ])('%j finds rows %j', (text, expected) => {
    expect(search(text)).toEqual(expected);
  });

  // Whatever is typed: a ParsedQuery whose expressions SQLite accepts, or a QueryError; nothing else.
  it('survives 10,000 generated queries', () => {
    const random = seededRandom(20240402);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const fragments = [
      'NEAR(',
      'NEAR(a b, 3)',
      '"',
      '"',
      '*',
      '^',
      '(',
      ')',
      ':',
      'AND',
      'OR',
      'OR',
      'NOT',
      '-',
      '+',
      '{x y}',
      'hc328',
      'GABA_v0',
      'rec4.2',
      'kilosort2',
      '2023-04-02',
      'mouse',
      'dose response',
      'uuid:',
      'x:',
      'col:',
      'species:',
      'sample_type:',
      'sample:',
      'hardware:',
      'modality:',
      'prefix:',
      'before:',
      'after:',
      'ephys',
      'imaging',
      'bogus',
      '2023',
      '2023-06',
      '2023-06-15',
      '2023-13',
      '2023-02-30',
      '"homo sapiens"',
      '\u0000',
      '\u0001',
      '\u001b',
      '\u007f',
      '\u0085',
      '\t',
      '\n',
      '\r',
      ' ',
      ' ',
      ' ',
      '\u3000',
      '\u200b',
      '\ufeff',
      '🧠',
      '👩‍🔬',
      '🇺🇸',
      'مرحبا',
      'שלום',
      '\u200f',
      '\u202e',
      '\u0301',
      'e\u0301',
      'Müller',
      '東京',
      '\ud800',
      "'",
      ';',
      "' OR 1=1 --",
      'DROP TABLE t',
      '\\',
      '%',
      '_',
      '--',
      '""',
      '"*"',
      'a'.repeat(120),
    ];
    const randomCodePoint = () => {
      const codePoint = Math.floor(random() * 0x30000);
      return String.fromCodePoint(codePoint >= 0xd800 && codePoint < 0xe000 ? codePoint + 0x800 : codePoint);
    };
    const safeExpression = /^(?:"[^"]*"\*?|[()]| AND | OR )+$/;

    let returned = 0;
    let withMatch = 0;
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const count = random() < 0.05 ? 40 + Math.floor(random() * 400) : 1 + Math.floor(random() * 10);
      let text = '';
      for (let j = 0; j < count; j++) {
        const glue = random() < 0.6 ? ' ' : '';
        text += glue + (random() < 0.1 ? randomCodePoint() : pick(fragments));
      }
      let parsed: ParsedQuery;
      try {
        parsed = parseSearchQuery(text);
      } catch (error) {
        if (!(error instanceof QueryError)) throw new Error(`${JSON.stringify(text)} threw ${String(error)}`);
        rejected++;
        continue;
      }
      returned++;
      for (const expression of [parsed.match, parsed.exclude]) {
        if (expression === null) continue;
        expect(expression, JSON.stringify(text)).toMatch(safeExpression);
        expect(() => matching.all(expression), `${JSON.stringify(text)} → ${expression}`).not.toThrow();
      }
      if (parsed.match) withMatch++;
    }
    // The generator must exercise both outcomes, or the test proves little.
    expect(returned).toBeGreaterThan(5_000);
    expect(withMatch).toBeGreaterThan(4_000);
    expect(rejected).toBeGreaterThan(200);
  });
});
