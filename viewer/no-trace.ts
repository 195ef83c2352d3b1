import type { Hdf5Summary } from '../contracts/hdf5-summary';

/** Why a file has no trace view, in words a reader can act on, from what the crawler read of it. */

const shapeText = (shape: number[] | null) => (shape ? shape.map((n) => n.toLocaleString('en-US')).join(' × ') : 'no shape');

export function whyNoTrace(key: string, summary: Hdf5Summary | null | undefined): string {
  const below = 'Its groups and datasets are below, in H5Web.';
  if (!summary) return `There is no time series to draw: this file has no NWB time × channels series the viewer found. ${below}`;
  const largest = summary.largest[0];
  const maxwell = /\.raw\.h5$/i.test(key) || summary.largest.some((d) => /^\/(recordings|data_store|sig)\b/.test(d.path));
  const what = maxwell
    ? 'a MaxWell raw recording, not an NWB file'
    : summary.format === 'nwb'
      ? 'an NWB file without a time × channels series'
      : 'an HDF5 file, not an NWB file';
  if (largest && !largest.decodable) {
    const filter = largest.filters.find((f) => f.name || f.id)!;
    return `This is ${what}: its data, ${largest.path} (${shapeText(largest.shape)} ${largest.dtype}), is compressed with filter ${filter.id}${filter.name ? ` (${filter.name})` : ''}, which a browser cannot decode, so there is no trace view. ${maxwell ? "Read it with MaxWell's own tools, or convert it to NWB; " : 'Download it to read it; '}${below}`;
  }
  return `This is ${what}, so there is no trace view${largest ? `; its largest dataset is ${largest.path} (${shapeText(largest.shape)} ${largest.dtype})` : ''}. ${below}`;
}
