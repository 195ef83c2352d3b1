import { describe, expect, it } from 'vitest';
import type { Segment } from '../../contracts/search-answer';
import { createMatcher } from './highlight';

const marked = (segments: Segment[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');

describe('createMatcher', () => {
  it('matches a term at the start of a token only, whatever its case', () => {
    const matcher = createMatcher(['hc3']);
    expect(matcher.containsAll('2023-04-02-e-HC328_unperturbed')).toBe(true);
    expect(matcher.containsAll('2023-04-02-e-xhc328')).toBe(false);
    expect(marked(matcher.snippet('recorded from HC328 today'))).toBe('recorded from [HC328] today');
    expect(matcher.snippet('xhc328 only inside a token')).toEqual([]);
  });

  it('finds a later occurrence when the first one is inside a token', () => {
    const matcher = createMatcher(['rat']);
    expect(matcher.containsAll('separation of rat cortex')).toBe(true);
    expect(marked(matcher.snippet('separation of rat cortex'))).toBe('separation of [rat] cortex');
  });

  it('needs every token of every term for containsAll', () => {
    const matcher = createMatcher(['mouse cortex', 'organoid']);
    expect(matcher.containsAll('Mouse organoid, cortex slice')).toBe(true);
    expect(matcher.containsAll('Mouse organoid')).toBe(false);
    expect(matcher.containsAll('cortex organoid')).toBe(false);
  });

  it('folds diacritics on both sides and marks the original text', () => {
    const matcher = createMatcher(['Cérébral']);
    expect(matcher.containsAll('organoïde cerebral')).toBe(true);
    expect(marked(matcher.snippet('un organoïde CÉRÉBRAL humain'))).toBe('un organoïde [CÉRÉBRAL] humain');
    expect(createMatcher(['organoide']).containsAll('un organoïde')).toBe(true);
  });

  it('treats letters outside ASCII as part of a token', () => {
    const matcher = createMatcher(['cortex']);
    // "é" and an astral letter (𝒜, a surrogate pair) before the term make it the middle of a token.
    expect(matcher.containsAll('écortex')).toBe(false);
    expect(matcher.containsAll('𝒜cortex')).toBe(false);
    expect(matcher.containsAll('—cortex')).toBe(true);
    expect(marked(matcher.snippet('𝒜cortex then cortex'))).toBe('𝒜cortex then [cortex]');
  });

  it('marks every matching token in a window around the first match, with ellipses where text was cut', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    words[30] = 'Maxwell';
    words[33] = 'maxone';
    const segments = createMatcher(['max']).snippet(words.join(' '));
    const text = marked(segments);
    expect(text.startsWith('…w22 ')).toBe(true);
    expect(text).toContain('w29 [Maxwell] w31 w32 [maxone] w34');
    expect(text.endsWith(' w46…')).toBe(true);
    expect(segments.filter((s) => s.match)).toHaveLength(2);
  });

  it('collapses runs of white space in the snippet', () => {
    expect(marked(createMatcher(['rat']).snippet('a\n\n  rat\t\tb'))).toBe('a [rat] b');
  });

  it('is inactive without tokens, and then matches nothing', () => {
    const matcher = createMatcher(['--', '']);
    expect(matcher.active).toBe(false);
    expect(matcher.snippet('anything')).toEqual([]);
    expect(matcher.containsAll('anything')).toBe(true);
  });
});
