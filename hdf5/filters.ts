/** HDF5 filters h5wasm decodes without plugins (HDF5's own numbering): the data a browser can read. */
export const DECODABLE_FILTERS: ReadonlyMap<number, string> = new Map([
  [1, 'deflate'],
  [2, 'shuffle'],
  [3, 'fletcher32'],
  [4, 'szip'],
  [5, 'nbit'],
  [6, 'scaleoffset'],
]);

/** Whether data behind these filters can be decoded in a browser. */
export function browserCanDecode(filters: readonly { id: number }[]): boolean {
  return filters.every((f) => DECODABLE_FILTERS.has(f.id));
}
