/** The file name endings by which the lab's HDF5 files are known (NWB files are HDF5). */
export const HDF5_EXTENSIONS = ['nwb', 'h5', 'hdf5'] as const;

/** Whether a file's name says it is HDF5 (case aside). */
export const isHdf5Name = (name: string) => HDF5_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(`.${ext}`));

/** The first block of a file, in which HDF5's signature must be. */
export const HEAD_BYTES = 64 * 1024;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Where HDF5's signature may sit in the first `length` bytes: 0, 512, 1024, 2048… (after a user block). */
export function signatureOffsets(length: number): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + HDF5_SIGNATURE.length <= Math.min(length, HEAD_BYTES); at = at === 0 ? 512 : at * 2) offsets.push(at);
  return offsets;
}

/** Whether these 8 bytes are HDF5's signature. */
export function isHdf5Signature(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/** Whether `head` (the file's first bytes) holds HDF5's signature at one of its places. */
export function hasHdf5Signature(head: Uint8Array): boolean {
  return signatureOffsets(head.length).some((at) => isHdf5Signature(head.subarray(at, at + HDF5_SIGNATURE.length)));
}
