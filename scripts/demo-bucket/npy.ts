/** NumPy `.npy` (format 1.0) for 1-D arrays, the way phy/Kilosort store spike times and clusters. */

type NpyArray = BigInt64Array | BigUint64Array | Int32Array | Float32Array | Float64Array;

function descr(array: NpyArray): string {
  if (array instanceof BigInt64Array) return '<i8';
  if (array instanceof BigUint64Array) return '<u8';
  if (array instanceof Int32Array) return '<i4';
  if (array instanceof Float32Array) return '<f4';
  return '<f8';
}

export function npy(array: NpyArray): Buffer {
  let header = `{'descr': '${descr(array)}', 'fortran_order': False, 'shape': (${array.length},), }`;
  // numpy pads the header with spaces so the data starts on a 64-byte boundary.
  const total = 10 + header.length + 1;
  header = `${header.padEnd(header.length + ((64 - (total % 64)) % 64), ' ')}\n`;
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(header.length, 8);
  return Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(array.buffer, array.byteOffset, array.byteLength)]);
}
