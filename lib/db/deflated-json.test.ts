import { describe, expect, it } from 'vitest';
import { decodeDeflatedJson, encodeDeflatedJson } from './deflated-json';

describe('deflated JSON', () => {
  const summary = {
    neurodataTypes: Array.from({ length: 40 }, (_, i) => ({
      path: `/general/extracellular_ephys/electrodes/column_${i}`,
      type: 'VectorData',
      namespace: 'hdmf-common',
    })),
  };

  it('stores a summary in a fraction of its JSON, and reads it back as it was', () => {
    const stored = encodeDeflatedJson(summary);
    expect(stored.length).toBeLessThan(JSON.stringify(summary).length / 4);
    expect(decodeDeflatedJson(stored)).toEqual(summary);
  });

  it('reads rows written before as JSON text', () => {
    expect(decodeDeflatedJson(JSON.stringify(summary))).toEqual(summary);
  });
});
