import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseViewState, viewStateQuery } from './view-state';

describe('viewer URL state', () => {
  it('round-trips a view through the query string', () => {
    const view = { path: '/acquisition/ElectricalSeries', t: 12.5, d: 0.25, ch: 32, n: 8 };
    expect(parseViewState(new URLSearchParams(viewStateQuery(view)))).toEqual(view);
  });

  it('falls back to defaults and clamps what does not make sense', () => {
    expect(parseViewState(new URLSearchParams('path=acquisition&t=x&d=-3&ch=-1&n=100000'))).toEqual({
      ...DEFAULT_VIEW,
      d: 1e-4,
      ch: 0,
      n: 256,
    });
  });
});
