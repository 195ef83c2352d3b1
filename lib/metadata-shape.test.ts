import { describe, expect, it } from 'vitest';
import { metadataFixture } from '../test/support/fixtures';
import { summarizeRecordings, type JsonObject } from './metadata-shape';

const fixture = (name: Parameters<typeof metadataFixture>[0]) => JSON.parse(metadataFixture(name)) as JsonObject;

describe('summarizeRecordings', () => {
  it('gives each recording its length from frames and sample rate', () => {
    const [recording] = summarizeRecordings(fixture('maxwell-nwb.json'));
    expect(recording).toMatchObject({ name: 'data_GABA_BL_20325', sampleRate: 20000, channels: 819, seconds: 6001200 / 20000 });
    expect(recording!.blocks).toEqual([{ path: 'shared/data_GABA_BL_20325.nwb', frames: 6001200, seconds: 300.06 }]);
  });

  it('sums blocks, and leaves the length unknown when a block lacks frames or the rate is missing', () => {
    const [summed, partial, norate] = summarizeRecordings({
      ephys_experiments: [
        { name: 'a', sample_rate: 1000, blocks: [{ num_frames: 1000 }, { num_frames: '500' }] },
        { name: 'b', sample_rate: 1000, blocks: [{ num_frames: 1000 }, { path: 'x.h5' }] },
        { name: 'c', blocks: [{ num_frames: 1000 }] },
      ],
    });
    expect(summed!.seconds).toBe(1.5);
    expect(partial!.seconds).toBeNull();
    expect(norate).toMatchObject({ sampleRate: null, seconds: null });
  });
});
