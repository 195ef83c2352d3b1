import { describe, expect, it } from 'vitest';
import { decodeMetadata, flattenMetadata, MAX_METADATA_BYTES } from './metadata';

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
    });
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
    const text = flattenMetadata({ channels: Array.from({ length: 1000 }, (_, i) => i) });
    expect(text.split('\n')).toHaveLength(64);
    expect(text).not.toContain('channels 64');
  });
});
