import { describe, expect, it } from 'vitest';
import { channelGroups, describeChannel, type ChannelInfo } from './channels';

const channel = (group: string | null, change: Partial<ChannelInfo> = {}): ChannelInfo => ({
  label: 'A-000',
  row: 0,
  electrodeId: 12,
  group,
  location: 'CA1',
  x: 17.5,
  y: 35,
  ...change,
});

describe('channels of a series', () => {
  it('are grouped by electrode group, in the order of their first channel', () => {
    expect(channelGroups([channel('shank1'), channel('shank0'), channel('shank1'), channel(null), channel('shank0')])).toEqual([
      { name: 'shank1', channels: [0, 2] },
      { name: 'shank0', channels: [1, 4] },
    ]);
    expect(channelGroups(null)).toEqual([]);
  });

  it('are described with what the electrodes table says of them', () => {
    expect(describeChannel(channel('shank1'), 3)).toBe('channel 3: A-000 · electrode 12 · group shank1 · CA1 · at (17.5, 35)');
    expect(describeChannel(channel(null, { electrodeId: null, location: null, x: null }), 0)).toBe('channel 0: A-000');
  });
});
