import { h5FileBytes } from './h5-file-bytes';

/** A filter id no browser build of HDF5 has, standing in for the Maxwell raw format's closed filter. */
export const UNSUPPORTED_FILTER_ID = 32004;

/**
 * A small NWB-shaped file (/acquisition/ElectricalSeries with data and starting_time) whose data is
 * compressed with a filter the browser cannot decode. h5wasm cannot write with an unknown filter, so the
 * data is written with deflate and the filter id in the dataset's pipeline message is changed afterwards
 * (the version 1 message stores id, name length, flags and values at fixed places; no checksum covers it).
 */
export async function unsupportedFilterFile(): Promise<Buffer> {
  const bytes = await h5FileBytes(
    (file) => {
      const series = file.create_group('acquisition').create_group('ElectricalSeries');
      series.create_attribute('neurodata_type', 'ElectricalSeries');
      series.create_dataset({
        name: 'data',
        data: Int16Array.from({ length: 4000 }, (_, i) => i % 97),
        shape: [400, 10],
        chunks: [100, 10],
        compression: 'gzip',
      });
      series
        .create_dataset({ name: 'starting_time', data: new Float64Array([0]), shape: [], dtype: '<d' })
        .create_attribute('rate', 20000, null, '<d');
    },
    // The oldest format: version 1 object headers (no checksums) and version 1 pipeline messages.
    { libver: ['earliest', 'v108'] },
  );
  // id 1 (deflate), name length 8, …, then the name "deflate".
  const at = bytes.indexOf('deflate\0') - 8;
  if (at < 0 || bytes.readUInt16LE(at) !== 1 || bytes.readUInt16LE(at + 2) !== 8)
    throw new Error('no version 1 deflate pipeline message found to rewrite');
  bytes.writeUInt16LE(UNSUPPORTED_FILTER_ID, at);
  return bytes;
}
