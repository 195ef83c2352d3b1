/**
 * Snippets and file matches for the few experiments on a page, computed here rather than by FTS5: with the
 * page's rows in hand this costs microseconds, while FTS5's snippet() and a rowid-restricted MATCH evaluate
 * the whole query again per row (seconds for a common file-name token).
 *
 * Tokens are found the way the index's unicode61 tokenizer finds them (runs of letters and digits), folded
 * to lower case without diacritics; a query token matches a text token it starts, as the last typed word does.
 */

import type { Segment } from '../../contracts/search-answer';

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const TOKEN_CHARACTER = /^[\p{L}\p{N}\p{M}\p{Co}]$/u;
const ASCII = /^\p{ASCII}*$/u;
const CONTEXT_TOKENS = 8;
const MAX_SNIPPET_CHARS = 240;

// Metadata is almost always ASCII, where folding is lower-casing: normalizing it cost more than the search.
function fold(text: string): string {
  return ASCII.test(text) ? text.toLowerCase() : text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function isTokenCharacter(code: number): boolean {
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
  return TOKEN_CHARACTER.test(String.fromCodePoint(code));
}

/** Where a token of `folded` starts with `word`, from `from` on; -1 if none does. */
function tokenStartingWith(folded: string, word: string, from = 0): number {
  for (let at = folded.indexOf(word, from); at >= 0; at = folded.indexOf(word, at + 1)) {
    if (at === 0) return at;
    // The whole code point before: a letter outside the BMP is two UTF-16 units.
    const low = folded.charCodeAt(at - 1);
    const before = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? folded.codePointAt(at - 2)! : low;
    if (!isTokenCharacter(before)) return at;
  }
  return -1;
}

export interface TermMatcher {
  /** True when there are terms to look for. */
  readonly active: boolean;
  /** Whether every term has all its tokens somewhere in `text`. */
  containsAll(text: string): boolean;
  /** A window of `text` around its first matching token, matches marked; empty when nothing matches. */
  snippet(text: string): Segment[];
}

export function createMatcher(terms: string[]): TermMatcher {
  const tokens = terms.map((term) => Array.from(term.matchAll(TOKEN), (m) => fold(m[0]))).filter((t) => t.length > 0);
  const words = tokens.flat();
  const isMatch = (token: string) => {
    const folded = fold(token);
    return words.some((w) => folded.startsWith(w));
  };

  /** Where the first token that a word starts begins in `text`; -1 if none. */
  function firstMatch(text: string): number {
    // ASCII lower-cases to a string of the same length, so positions found in the folded copy hold in the original.
    if (ASCII.test(text)) {
      const folded = text.toLowerCase();
      let first = -1;
      for (const word of words) {
        const at = tokenStartingWith(folded, word);
        if (at >= 0 && (first < 0 || at < first)) first = at;
      }
      return first;
    }
    for (const m of text.matchAll(TOKEN)) if (isMatch(m[0])) return m.index;
    return -1;
  }

  return {
    active: words.length > 0,
    containsAll(text) {
      const folded = fold(text);
      return tokens.every((term) => term.every((word) => tokenStartingWith(folded, word) >= 0));
    },
    snippet(text) {
      if (!words.length) return [];
      const firstAt = firstMatch(text);
      if (firstAt < 0) return [];
      // Tokenize only around the first match.
      const windowStart = Math.max(0, firstAt - MAX_SNIPPET_CHARS / 2);
      const windowText = text.slice(windowStart, firstAt + MAX_SNIPPET_CHARS);
      const windowTokens = Array.from(windowText.matchAll(TOKEN));
      const first = windowTokens.findIndex((m) => m.index + windowStart >= firstAt);
      const fromToken = windowTokens[Math.max(0, first - CONTEXT_TOKENS)]!;
      const toToken = windowTokens[Math.min(windowTokens.length - 1, first + 2 * CONTEXT_TOKENS)]!;
      const from = fromToken.index;
      const to = toToken.index + toToken[0].length;
      const segments: Segment[] = [];
      let at = from;
      for (const m of windowTokens) {
        if (m.index < from || m.index >= to || !isMatch(m[0])) continue;
        if (m.index > at) segments.push({ text: windowText.slice(at, m.index).replace(/\s+/g, ' '), match: false });
        segments.push({ text: m[0], match: true });
        at = m.index + m[0].length;
      }
      if (to > at) segments.push({ text: windowText.slice(at, to).replace(/\s+/g, ' '), match: false });
      if (windowStart + from > 0) segments.unshift({ text: '…', match: false });
      if (windowStart + to < text.length) segments.push({ text: '…', match: false });
      return segments;
    },
  };
}
