import { h5FileBytes } from './h5-file-bytes';

/** Eight channels on two shanks of four, as a probe's NWB file names them. */
export const TWO_SHANKS = { channels: 8, perShank: 4, frames: 2000, rate: 20_000 };

/**
 * A small NWB-shaped file whose electrodes are in two groups: an ElectricalSeries of 2,000 frames × 8
 * channels, the electrodes table (`group_name` shank0/shank1, `channel_name` S<shank>-<n>, positions) and the
 * series' `electrodes` region over it.
 */
export function twoShankFile(): Promise<Buffer> {
  return h5FileBytes((file) => {
    const { channels, perShank, frames, rate } = TWO_SHANKS;
    const series = file.create_group('acquisition').create_group('ElectricalSeries');
    series.create_attribute('neurodata_type', 'ElectricalSeries');
    series.create_dataset({
      name: 'data',
      data: Int16Array.from({ length: frames * channels }, (_, i) => Math.round(100 * Math.sin(i / 37 + (i % channels)))),
      shape: [frames, channels],
    });
    series.create_dataset({ name: 'starting_time', data: new Float64Array([0]), shape: [], dtype: '<d' }).create_attribute('rate', rate, null, '<d');
    series.create_dataset({ name: 'electrodes', data: Int32Array.from({ length: channels }, (_, i) => i), shape: [channels] });
    const electrodes = file.create_group('general').create_group('extracellular_ephys').create_group('electrodes');
    electrodes.create_attribute('neurodata_type', 'DynamicTable');
    const shank = (i: number) => Math.floor(i / perShank);
    electrodes.create_dataset({ name: 'id', data: Int32Array.from({ length: channels }, (_, i) => 100 + i), shape: [channels] });
    electrodes.create_dataset({ name: 'group_name', data: Array.from({ length: channels }, (_, i) => `shank${shank(i)}`) });
    electrodes.create_dataset({ name: 'channel_name', data: Array.from({ length: channels }, (_, i) => `S${shank(i)}-${i % perShank}`) });
    electrodes.create_dataset({ name: 'rel_x', data: Float64Array.from({ length: channels }, (_, i) => 200 * shank(i)), shape: [channels] });
    electrodes.create_dataset({ name: 'rel_y', data: Float64Array.from({ length: channels }, (_, i) => 20 * (i % perShank)), shape: [channels] });
  });
}
