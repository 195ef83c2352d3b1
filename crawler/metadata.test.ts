import { describe, expect, it } from 'vitest';
import { decodeMetadata, flattenMetadata, MAX_METADATA_BYTES, METADATA_LIMITS } from './metadata';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodeMetadata', () => {
  it('parses a JSON object and keeps its text', () => {
    const decoded = decodeMetadata(bytes('{"uuid": "2023-04-02-e-hc328"}'));
    expect(decoded).toEqual({ ok: true, value: { uuid: '2023-04-02-e-hc328' }, text: '{"uuid": "2023-04-02-e-hc328"}' });
  });

  it.each([
    ['invalid JSON', bytes('{"uuid": '), /^invalid JSON/],
    ['a UTF-8 BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{}')]), /byte-order mark/],
    ['an array', bytes('[1, 2]'), /found an array/],
    ['null', bytes('null'), /found null/],
    ['a string', bytes('"hello"'), /found string/],
    ['binary', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]), /not UTF-8/],
    ['NUL bytes', bytes('{"a": 1}\u0000\u0000'), /NUL bytes/],
  ])('reports %s as an error', (_, input, message) => {
    const decoded = decodeMetadata(input);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(message);
  });

  it('refuses files over the size limit without parsing them', () => {
    const decoded = decodeMetadata(new Uint8Array(MAX_METADATA_BYTES + 1));
    expect(decoded).toMatchObject({ ok: false, text: null });
    if (!decoded.ok) expect(decoded.error).toMatch(/over the 10485760-byte limit/);
  });

  it('keeps the text of a broken file so it can be shown', () => {
    expect(decodeMetadata(bytes('{"broken": tru'))).toMatchObject({ ok: false, text: '{"broken": tru' });
  });
});

describe('flattenMetadata', () => {
  it('writes every string and number with its key path, skipping array indices and empty values', () => {
    const text = flattenMetadata({
      uuid: 'x',
      notes: { biology: { species: 'mouse', genotype: '' }, comments: { text: 'ok' } },
      ephys_experiments: [{ name: 'rec1', num_channels: 1020, blocks: [{ path: 'shared/rec1.nwb' }] }],
      flag: false,
      nothing: null,
    }).text;
    expect(text.split('\n')).toEqual([
      'uuid x',
      'notes.biology.species mouse',
      'notes.comments.text ok',
      'ephys_experiments.name rec1',
      'ephys_experiments.num_channels 1020',
      'ephys_experiments.blocks.path shared/rec1.nwb',
    ]);
  });

  it('keeps only the first 64 numbers of a numeric array (channel maps are data, not words)', () => {
    const text = flattenMetadata({ channels: Array.from({ length: 1000 }, (_, i) => i) }).text;
    expect(text.split('\n')).toHaveLength(64);
    expect(text).not.toContain('channels 64');
  });
});

describe('flattenMetadata limits', () => {
  it('walks a document nested 200,000 deep without recursion, keeping what is above the depth limit', () => {
    const deep = JSON.parse(`{"top":"kept",${'"a":['.repeat(1)}${'['.repeat(200_000)}"lost"${']'.repeat(200_001)}}`);
    const { text, truncation } = flattenMetadata(deep);
    expect(text).toBe('top kept');
    expect(truncation).toBe(`only part of the metadata is searchable: it nests deeper than ${METADATA_LIMITS.depth} levels`);
  });

  it('keeps a value inside as many objects as the depth limit, and none inside more', () => {
    const inside = (containers: number) => JSON.parse(`${'{"a":'.repeat(containers)}"v"${'}'.repeat(containers)}`);
    expect(flattenMetadata(inside(METADATA_LIMITS.depth))).toMatchObject({
      text: `${Array(METADATA_LIMITS.depth - 1)
        .fill('a')
        .join('.')}.a v`,
      truncation: null,
    });
    expect(flattenMetadata(inside(METADATA_LIMITS.depth + 1))).toMatchObject({ text: '', truncation: expect.stringMatching(/nests deeper/) });
  });

  it('stops after the value limit and says so', () => {
    const many = { l: Array.from({ length: METADATA_LIMITS.values }, () => ['', 'x']) };
    const { text, truncation } = flattenMetadata(many);
    expect(truncation).toMatch(/holds over 500,000 values/);
    // The document, the list and each two-item array count too: about a third of the arrays are reached.
    expect(text.split('\n').length).toBeGreaterThan(METADATA_LIMITS.values / 4);
    expect(text.split('\n').length).toBeLessThan(METADATA_LIMITS.values / 2);
  });

  it('cuts the text at the character limit, inside the line that crosses it', () => {
    const { text, truncation } = flattenMetadata({ a: 'x'.repeat(10), b: 'y'.repeat(METADATA_LIMITS.textChars) });
    expect(text).toHaveLength(METADATA_LIMITS.textChars);
    expect(text.startsWith(`a ${'x'.repeat(10)}\nb yyy`)).toBe(true);
    expect(truncation).toMatch(/text is over 1,000,000 characters/);
  });
});
