/**
 * Snippets and file matches for the few experiments on a page, computed here rather than by FTS5: with the
 * page's rows in hand this costs microseconds, while FTS5's snippet() and a rowid-restricted MATCH evaluate
 * the whole query again per row (seconds for a common file-name token).
 *
 * Tokens are found the way the index's unicode61 tokenizer finds them (runs of letters and digits), folded
 * to lower case without diacritics; a query token matches a text token it starts, as the last typed word does.
 */

export type Segment = { text: string; match: boolean };

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

export function foldToken(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The folded tokens of the query's positive words and phrases, each term's tokens in order. */
export function termTokens(terms: string[]): string[][] {
  return terms.map((term) => Array.from(term.matchAll(TOKEN), (m) => foldToken(m[0]))).filter((t) => t.length > 0);
}

function matches(token: string, wanted: string[][]): boolean {
  const folded = foldToken(token);
  return wanted.some((term) => term.some((w) => folded.startsWith(w)));
}

/** Whether every term has all its tokens somewhere in `text`. */
export function containsAllTerms(text: string, wanted: string[][]): boolean {
  const tokens = Array.from(text.matchAll(TOKEN), (m) => foldToken(m[0]));
  return wanted.every((term) => term.every((w) => tokens.some((t) => t.startsWith(w))));
}

const CONTEXT_TOKENS = 8;
const MAX_SNIPPET_CHARS = 240;

/** A window of `text` around its first matching token, matches marked; empty when nothing matches. */
export function snippetOf(text: string, wanted: string[][]): Segment[] {
  const tokens = Array.from(text.matchAll(TOKEN));
  const first = tokens.findIndex((m) => matches(m[0], wanted));
  if (first < 0) return [];
  const from = tokens[Math.max(0, first - CONTEXT_TOKENS)]!.index;
  const lastToken = tokens[Math.min(tokens.length - 1, first + 2 * CONTEXT_TOKENS)]!;
  const to = Math.min(lastToken.index + lastToken[0].length, from + MAX_SNIPPET_CHARS);
  const segments: Segment[] = [];
  let at = from;
  for (const m of tokens) {
    if (m.index < from || m.index + m[0].length > to || !matches(m[0], wanted)) continue;
    if (m.index > at) segments.push({ text: text.slice(at, m.index).replace(/\s+/g, ' '), match: false });
    segments.push({ text: m[0], match: true });
    at = m.index + m[0].length;
  }
  if (to > at) segments.push({ text: text.slice(at, to).replace(/\s+/g, ' '), match: false });
  if (from > 0) segments.unshift({ text: '…', match: false });
  if (to < text.length) segments.push({ text: '…', match: false });
  return segments;
}
