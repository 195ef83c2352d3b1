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
const CONTEXT_TOKENS = 8;
const MAX_SNIPPET_CHARS = 240;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
  const starts = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}\\p{M}\\p{Co}])${escapeRegExp(w)}`, 'u');
  const each = tokens.map((term) => term.map(starts));
  const any = tokens.length ? new RegExp(tokens.flat().map((w) => `(?<![\\p{L}\\p{N}\\p{M}\\p{Co}])${escapeRegExp(w)}`).join('|'), 'u') : null;
  // ASCII text folds to a string of the same length, so positions found in the folded copy hold in the original.
  const foldedSameLength = (text: string) => (/^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : null);

  const isMatch = (token: string) => tokens.some((term) => term.some((w) => fold(token).startsWith(w)));

  return {
    active: tokens.length > 0,
    containsAll(text) {
      const folded = fold(text);
      return each.every((term) => term.every((re) => re.test(folded)));
    },
    snippet(text) {
      if (!any) return [];
      const folded = foldedSameLength(text);
      let firstAt: number;
      if (folded !== null) {
        const found = any.exec(folded);
        if (!found) return [];
        firstAt = found.index;
      } else {
        const hit = Array.from(text.matchAll(TOKEN)).find((m) => isMatch(m[0]));
        if (!hit) return [];
        firstAt = hit.index;
      }
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
