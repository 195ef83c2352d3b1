/** The first block of a file, which says whether it is HDF5: read by the crawler before any HDF5 work. */
export const HEAD_BYTES = 64 * 1024;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `head` (the file's first bytes) holds HDF5's signature: at 0, 512, 1024, 2048… (after a user block). */
export function hasHdf5Signature(head: Uint8Array): boolean {
  for (let at = 0; at + HDF5_SIGNATURE.length <= head.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((byte, i) => head[at + i] === byte)) return true;
  }
  return false;
}
