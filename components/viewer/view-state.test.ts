import { describe, expect, it } from 'vitest';
import { channelListText, DEFAULT_VIEW, parseChannelList, parseViewState, shownChannels, viewStateQuery } from './view-state';

describe('viewer URL state', () => {
  it('round-trips a view through the query string', () => {
    const view = { path: '/acquisition/ElectricalSeries', t: 12.5, d: 0.25, ch: 32, n: 8, c: null };
    expect(parseViewState(new URLSearchParams(viewStateQuery(view)))).toEqual(view);
    const chosen = { ...view, c: [0, 1, 2, 3, 9, 40, 41] };
    expect(viewStateQuery(chosen)).toContain('c=0-3%2C9%2C40-41');
    expect(parseViewState(new URLSearchParams(viewStateQuery(chosen)))).toEqual(chosen);
  });

  it('falls back to defaults and clamps what does not make sense', () => {
    expect(parseViewState(new URLSearchParams('path=acquisition&t=x&d=-3&ch=-1&n=100000&c=x,-4'))).toEqual({
      ...DEFAULT_VIEW,
      d: 1e-4,
      ch: 0,
      n: 256,
    });
  });

  it('reads a channel list in any order, once each, at most 256 channels', () => {
    expect(parseChannelList('9,3-5,4,bad,7-6')).toEqual([3, 4, 5, 9]);
    expect(parseChannelList('0-100000')).toHaveLength(256);
    expect(channelListText([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
  });

  it('shows the chosen channels, or the range, within the series', () => {
    expect(shownChannels({ ...DEFAULT_VIEW, ch: 60, n: 16 }, 64)).toEqual([60, 61, 62, 63]);
    expect(shownChannels({ ...DEFAULT_VIEW, c: [2, 70, 90] }, 80)).toEqual([2, 70]);
  });
});
