import { h5FileBytes } from './h5-file-bytes';

export const HUGE_SERIES = { frames: 100_000_000, channels: 64, rate: 20_000 };

/**
 * A small file with an NWB-shaped ElectricalSeries of 100,000,000 frames × 64 channels (12.8 GB as int16):
 * the data is written for the first chunk, then the dataset is resized, and HDF5 allocates no chunk that was
 * never written. Reading past the first chunk gives the fill value (0).
 */
export function hugeSeriesFile(): Promise<Buffer> {
  return h5FileBytes((file) => {
    const series = file.create_group('acquisition').create_group('ElectricalSeries');
    series.create_attribute('neurodata_type', 'ElectricalSeries');
    const { frames, channels, rate } = HUGE_SERIES;
    const first = Int16Array.from({ length: 1024 * channels }, (_, i) => (i % 199) - 99);
    const data = series.create_dataset({ name: 'data', data: first, shape: [1024, channels], maxshape: [null, channels], chunks: [1024, channels] });
    data.resize([frames, channels]);
    series.create_dataset({ name: 'starting_time', data: new Float64Array([0]), shape: [], dtype: '<d' }).create_attribute('rate', rate, null, '<d');
  });
}
