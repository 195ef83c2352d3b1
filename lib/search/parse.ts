/**
 * The one place user search text becomes a search query (STYLE.md rule 4). Whatever is typed, the result is
 * a `ParsedQuery` whose FTS5 expressions contain only double-quoted runs of letters and digits joined by
 * AND / OR and parentheses we wrote ourselves, or a `QueryError` whose message can be shown to the user.
 *
 * Decisions the grammar leaves open:
 * - `OR` (upper case) joins the positive word or phrase on each side of it. Where it has no positive word
 *   or phrase on one side (leading, trailing, lone, next to a `-word` or a field operator) it is ignored, not
 *   searched as the word "or": someone typing `mouse OR ` is about to type the other side. `AND` and `NOT`
 *   are plain words, as every word is quoted.
 * - The last bare word is a prefix match while it is being typed (no trailing whitespace); so is a phrase
 *   whose closing quote has not been typed yet (`"dose resp`). An excluded word never is: `-g` while typing
 *   would exclude everything starting with g.
 * - A last token that is a single digit is matched whole, not as a prefix: FTS5 expands a prefix into every
 *   indexed token it starts, and dates and counts make tokens starting with a digit the most numerous.
 *   `rec4.2` (`"rec4 2"*`) took 390 ms over a million file names and `"rec4 2"` takes milliseconds; a single
 *   letter (`gaba_v`, 40 ms) stays a prefix. The index has FTS5's prefix indexes for one to five characters
 *   (migrations 0013, 0014 and 0017, measured: whole words unchanged), so a first keystroke is cheap too; the digit rule
 *   stays, as it decides what a query means.
 * - `foo:bar` with an unknown field is the word `foo:bar`, i.e. the phrase "foo bar", like any word with
 *   separators; `-species:mouse` is the excluded phrase "species mouse" (filters cannot be negated).
 * - A field operator with nothing after the colon (`species:`, `after:`) is ignored: it is being typed.
 * - Several `after:` keep the latest date and several `before:` the earliest: every operator narrows.
 * - A measure (`channels:`, `duration:`, `rate:`) takes a number with an optional comparison before it
 *   (`>=`, `<=`, `>`, `<`, `=`, the default) and unit after it: `duration:` s (the default), m or min, h;
 *   `rate:` Hz (the default), k or kHz. A comparison without its number yet (`channels:>`) is being typed.
 *   Several bounds on one measure must all hold: `duration:>10m duration:<1h`.
 */

import {
  COMPARISONS,
  FILTER_NAMES,
  FILTERS,
  MEASURE_NAMES,
  MEASURES,
  noFilterValues,
  type Comparison,
  type FilterName,
  type FilterSpec,
  type FilterValues,
  type MeasureBound,
  type MeasureName,
  type MeasureSpec,
} from '../../contracts/filters';

export class QueryError extends Error {
  override name = 'QueryError';
}

export interface ParsedQuery {
  /** FTS5 MATCH expression for the positive part of the text query, or null when there is none.
   *  Every token inside it is double-quoted (so no FTS5 syntax from the user survives); it is passed to SQLite as a bound parameter, never concatenated into SQL. */
  match: string | null;
  /** FTS5 MATCH expression for excluded words/phrases (`-word`), or null. Excluding is done by the caller with NOT IN. */
  exclude: string | null;
  /** Field operators (contracts/filters.ts), lower-cased, values as typed (trimmed, inner whitespace
   *  collapsed to one space); values of a filter with a fixed list (modality) lower-cased. Values of one
   *  filter are in typed order. */
  filters: FilterValues & {
    after?: string; // inclusive lower bound, YYYY-MM-DD (after:2023-06 → 2023-06-01; after:2023 → 2023-01-01)
    before?: string; // exclusive upper bound, YYYY-MM-DD (before:2024-01-01 → 2024-01-01; before:2024-02 → 2024-02-01)
  };
  /** Bounds on the measures (contracts/filters.ts), in the measure's unit, in typed order. */
  measures: Partial<Record<MeasureName, MeasureBound[]>>;
  /** The words and phrases to highlight (for snippets), without operators: as typed, without quotes, in order,
   *  without duplicates. Raw user text: escape it before building a RegExp from it. */
  terms: string[];
  /** What of the text was read otherwise than it may look, in words a user can act on (an unclosed quote,
   *  an OR with nothing on one side, a lone `-`, a word that looks like an unknown filter). */
  notes: string[];
}

const MAX_QUERY_CHARACTERS = 500;
/**
 * The cost of a query is its tokens: FTS5 reads a token's whole list of places for each time it occurs
 * in the query, about 10 ms for a common one at 100,000 experiments. `1.1.1.…` (499 characters) was one
 * word of 250 tokens and took a second. A pasted S3 key is some 17 tokens.
 */
const MAX_WORDS = 32;
const MAX_PHRASE_WORDS = 16;

type Field = FilterName | MeasureName | 'after' | 'before';

const FIELD_BY_OPERATOR: Record<string, Field> = {
  ...Object.fromEntries(FILTER_NAMES.flatMap((name) => FILTERS[name].operators.map((operator) => [operator, name]))),
  ...Object.fromEntries(MEASURE_NAMES.map((name) => [MEASURES[name].operator, name])),
  after: 'after',
  before: 'before',
};
const isMeasure = (field: Field): field is MeasureName => Object.hasOwn(MEASURES, field);

// What a measure's unit words are worth in its unit, lower-case; '' is the unit itself.
const UNIT_WORDS: Record<MeasureSpec['unit'], Record<string, number>> = {
  count: { '': 1 },
  seconds: { '': 1, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600 },
  hertz: { '': 1, hz: 1, k: 1000, khz: 1000 },
};
const MEASURE_VALUE = new RegExp(`^(${COMPARISONS.join('|')})?(\\d+(?:\\.\\d+)?|\\.\\d+)([a-z]*)$`, 'i');

// Whitespace ends a word; control characters (NUL included) are treated the same so they cannot glue
// two words into one or reach anything downstream.
const BREAK = /[\s\p{Cc}]/u;
const BREAK_RUN = /[\s\p{Cc}]+/u;

// unicode61 keeps letters, digits and private-use characters together and splits on everything else. Marks
// are kept too: with remove_diacritics FTS5 keeps combining accents inside the token (`Mu\u0308ller` is one
// token, muller). Keeping more than FTS5 does is harmless, because FTS5 re-tokenizes every quoted string
// with the table's tokenizer; splitting where FTS5 does not would turn one token into a phrase that cannot
// match. A run of marks alone would be an empty phrase to FTS5, which makes an AND match nothing, so a token
// needs at least one letter or digit.
const TOKEN_RUN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{Co}]/u;

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

interface TextItem {
  kind: 'text';
  typed: string;
  tokens: string[];
  negated: boolean;
  prefix: boolean;
  /** A phrase whose closing quote was not typed. */
  unclosed?: boolean;
  /** `foo` of `foo:bar`, when foo is no filter's operator. */
  unknownField?: string;
}
interface FieldItem {
  kind: 'field';
  operator: string;
  field: Field;
  value: string;
}
interface OrItem {
  kind: 'or';
}
type Item = TextItem | FieldItem | OrItem;

export function parseSearchQuery(text: string): ParsedQuery {
  // Measured in code points, as a person counts characters; the UTF-16 length bounds it from above.
  if (text.length > MAX_QUERY_CHARACTERS && Array.from(text).length > MAX_QUERY_CHARACTERS) {
    throw new QueryError(`query is too long (max ${MAX_QUERY_CHARACTERS} characters)`);
  }
  const items = lex(text);
  let words = 0;
  for (const item of items) {
    if (item.kind === 'field' && item.value !== '') words++;
    if (item.kind !== 'text') continue;
    if (item.tokens.length > MAX_PHRASE_WORDS) {
      throw new QueryError(
        `"${item.typed.slice(0, 40)}${item.typed.length > 40 ? '…' : ''}" has ${item.tokens.length} words; a phrase may have at most ${MAX_PHRASE_WORDS}`,
      );
    }
    words += item.tokens.length;
  }
  // Words joined by . - _ / count one each: they are separate words to the index.
  if (words > MAX_WORDS) throw new QueryError(`too many words (max ${MAX_WORDS}; parts of words joined by . - _ / count too)`);

  const filters: ParsedQuery['filters'] = noFilterValues();
  const measures: ParsedQuery['measures'] = {};
  const groups: TextItem[][] = [];
  const excluded: TextItem[] = [];
  const terms = new Set<string>();
  const notes = new Set<string>();
  let previousWasPositive = false;
  let orPending = false;
  const ignoredOr = 'OR needs a word or phrase on each side; it was ignored';

  for (const item of items) {
    if (item.kind === 'or') {
      if (!previousWasPositive) notes.add(ignoredOr);
      orPending = previousWasPositive;
      continue;
    }
    if (item.kind === 'text' && item.unclosed) notes.add(`no closing quote: "${abbreviated(item.typed)}" is searched as one phrase`);
    if (item.kind === 'text' && item.unknownField) notes.add(`${item.unknownField}: is not a filter, so it is searched as words`);
    if (item.kind === 'field') {
      const { field } = item;
      if (orPending) notes.add(ignoredOr);
      if (isMeasure(field)) addMeasure(measures, field, item);
      else addFilter(filters, { ...item, field });
      previousWasPositive = false;
    } else if (item.tokens.length === 0) {
      // A - at the end is the start of a word being typed.
      if (item.negated && item !== items.at(-1)) notes.add('a - with no word after it excludes nothing; it was ignored');
      continue; // punctuation only: as if it was not typed, so it neither joins nor breaks an OR
    } else if (item.negated) {
      if (orPending) notes.add(ignoredOr);
      excluded.push(item);
      previousWasPositive = false;
    } else {
      const group = orPending ? groups.at(-1) : undefined;
      if (group) group.push(item);
      else groups.push([item]);
      terms.add(item.typed);
      previousWasPositive = true;
    }
    orPending = false;
  }

  // The same word twice costs FTS5 twice and changes nothing: each expression is kept once.
  const distinct = (expressions: string[]) => [...new Set(expressions)];
  return {
    match: groups.length ? distinct(groups.map(groupExpression)).join(' AND ') : null,
    exclude: excluded.length ? distinct(excluded.map(phraseExpression)).join(' OR ') : null,
    filters,
    measures,
    terms: [...terms],
    notes: [...notes],
  };
}

const abbreviated = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

function groupExpression(group: TextItem[]): string {
  const alternatives = [...new Set(group.map(phraseExpression))];
  return alternatives.length > 1 ? `(${alternatives.join(' OR ')})` : alternatives[0]!;
}

// The tokens hold only letters, digits and marks, so no quote can occur inside and no escaping is needed.
function phraseExpression(item: TextItem): string {
  const prefix = item.prefix && !/^\p{N}$/u.test(item.tokens.at(-1) ?? '');
  return `"${item.tokens.join(' ')}"${prefix ? '*' : ''}`;
}

function tokensOf(typed: string): string[] {
  return (typed.toLowerCase().match(TOKEN_RUN) ?? []).filter((token) => LETTER_OR_DIGIT.test(token));
}

/** Splits the text into words, phrases, field operators and ORs, in typed order. */
function lex(text: string): Item[] {
  const items: Item[] = [];
  const endsInBreak = text.length > 0 && BREAK.test(text.at(-1) ?? '');
  let position = 0;

  // Reads from after an opening quote to the closing quote, or to the end when it was never typed.
  const readQuoted = (): { content: string; closed: boolean } => {
    const close = text.indexOf('"', position);
    const end = close === -1 ? text.length : close;
    const content = text.slice(position, end);
    position = close === -1 ? text.length : close + 1;
    return { content, closed: close !== -1 };
  };

  while (position < text.length) {
    const start = text[position] ?? '';
    if (BREAK.test(start)) {
      position++;
      continue;
    }
    const negated = start === '-';
    if (negated) position++;

    if (text[position] === '"') {
      position++;
      const { content, closed } = readQuoted();
      items.push({ ...textItem(content, negated, !negated && !closed && !endsInBreak), ...(closed ? {} : { unclosed: true }) });
      continue;
    }

    let end = position;
    while (end < text.length && text[end] !== '"' && !BREAK.test(text[end] ?? '')) end++;
    const word = text.slice(position, end);
    position = end;

    if (word === 'OR' && !negated) {
      items.push({ kind: 'or' });
      continue;
    }
    const colon = word.indexOf(':');
    const operator = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    const field = Object.hasOwn(FIELD_BY_OPERATOR, operator) ? FIELD_BY_OPERATOR[operator] : undefined;
    if (field) {
      let value = word.slice(colon + 1);
      let typed = word;
      // `species:"homo sapiens"`: the quoted value belongs to the operator only when it starts right after the colon.
      if (value === '' && text[position] === '"') {
        position++;
        value = readQuoted().content;
        typed = `${word} ${value}`;
      }
      if (negated) items.push(textItem(typed, true, false));
      else items.push({ kind: 'field', operator, field, value: value.split(BREAK_RUN).filter(Boolean).join(' ') });
      continue;
    }
    const item = textItem(word, negated, !negated && end === text.length);
    // `foo:bar` typed as a filter that does not exist; a URL or a time (`http://`, `10:30`) is not one.
    const looksLikeField = /^\p{L}+$/u.test(operator) && colon < word.length - 1 && word[colon + 1] !== '/';
    items.push(looksLikeField ? { ...item, unknownField: word.slice(0, colon) } : item);
  }
  return items;
}

function textItem(typed: string, negated: boolean, prefix: boolean): TextItem {
  return { kind: 'text', typed: typed.split(BREAK_RUN).filter(Boolean).join(' '), tokens: tokensOf(typed), negated, prefix };
}

function addMeasure(measures: ParsedQuery['measures'], name: MeasureName, item: FieldItem): void {
  if (item.value === '' || (COMPARISONS as readonly string[]).includes(item.value)) return;
  const { unit, example }: MeasureSpec = MEASURES[name];
  const [, comparison = '=', number = 'NaN', word = ''] = MEASURE_VALUE.exec(item.value.replaceAll(' ', '')) ?? [];
  const value = Number(number) * (UNIT_WORDS[unit][word.toLowerCase()] ?? Number.NaN);
  if (!Number.isFinite(value) || (unit === 'count' && !Number.isInteger(value))) {
    throw new QueryError(`${item.operator}: expects a value like ${example}`);
  }
  measures[name] = [...(measures[name] ?? []), { comparison: comparison as Comparison, value }];
}

function addFilter(filters: ParsedQuery['filters'], item: FieldItem & { field: FilterName | 'after' | 'before' }): void {
  if (item.value === '') return;
  if (item.field === 'after' || item.field === 'before') {
    const date = startOfPeriod(item.value, item.operator);
    const current = filters[item.field];
    // Every operator narrows: the latest `after`, the earliest `before`.
    if (!current || (item.field === 'after' ? date > current : date < current)) filters[item.field] = date;
    return;
  }
  const { values: known }: FilterSpec = FILTERS[item.field];
  if (known === undefined) {
    filters[item.field].push(item.value);
    return;
  }
  const value = item.value.toLowerCase();
  if (!known.includes(value)) throw new QueryError(`${item.operator}: expects one of ${known.join(', ')}`);
  filters[item.field].push(value);
}

/** `2023` → 2023-01-01, `2023-06` → 2023-06-01, `2023-06-15` → itself: the first day the value names. */
function startOfPeriod(value: string, operator: string): string {
  const [, year = '', month = '01', day = '01'] = DATE.exec(value) ?? [];
  if (!year || Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month))) {
    throw new QueryError(`${operator}: expects a date like 2023-06 or 2023-06-15`);
  }
  return `${year}-${month}-${day}`;
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
