/**
 * Post-processing of HDF5 files written by h5wasm.
 *
 * HDF5 stamps every version-2 object header with the wall-clock time and h5wasm offers no way to
 * turn that off (no H5Pset_obj_track_times), so identical inputs give different bytes. We rewrite
 * those stamps to a fixed time and recompute the header checksum.
 *
 * The same walk can swap a dataset's filter for an unregistered one, which is how the demo
 * reproduces Maxwell `.raw.h5` files: browsable metadata, chunks that no reader can decode.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { lookup3 } from './lookup3';

const SIGNATURE = Buffer.from('OHDR', 'latin1');
const FILTER_PIPELINE_MESSAGE = 0x0b;

export interface ClosedFilterPatch {
  /** Filter the file was written with (id < 256, so its entry carries no name). */
  fromFilterId: number;
  /** Unregistered filter id readers will fail on. */
  toFilterId: number;
  name: string;
}

export interface HeaderPatchOptions {
  /** Seconds since the Unix epoch, written as access/modification/change/birth time. */
  fixedTime: number;
  closedFilter?: ClosedFilterPatch;
}

export interface HeaderPatchResult {
  headers: number;
  pipelines: number;
}

/** Bytes read at a time while looking for object headers; files can be hundreds of MB. */
const SCAN_WINDOW = 8 * 1024 * 1024;
/** Signature, version, flags, four times, attribute-phase limits and an 8-byte chunk size. */
const MAX_PREFIX = 4 + 2 + 16 + 4 + 8;

/** Byte length of a v2 object header including its checksum, from its prefix; null if not one. */
function headerLength(prefix: Buffer): { length: number; flags: number; timesAt: number | null; messagesAt: number } | null {
  if (prefix[4] !== 2) return null;
  const flags = prefix[5] ?? 0;
  let p = 6;
  const timesAt = flags & 0x20 ? p : null;
  if (flags & 0x20) p += 16;
  if (flags & 0x10) p += 4;
  const sizeBytes = [1, 2, 4, 8][flags & 3] ?? 1;
  if (p + sizeBytes > prefix.length) return null;
  const chunkSize = sizeBytes === 8 ? Number(prefix.readBigUInt64LE(p)) : prefix.readUIntLE(p, sizeBytes);
  const messagesAt = p + sizeBytes;
  return { length: messagesAt + chunkSize + 4, flags, timesAt, messagesAt };
}

function patchPipeline(header: Buffer, at: number, size: number, patch: ClosedFilterPatch): boolean {
  if (header[at] !== 2 || header[at + 1] !== 1) return false; // only single-filter v2 pipelines
  if (header.readUInt16LE(at + 2) !== patch.fromFilterId) return false;
  const entryBytes = size - 2;
  const nameBytes = Buffer.from(`${patch.name}\0`, 'latin1');
  // A v2 entry for a filter id >= 256 gains a name-length field and a name; the message keeps
  // its size, so the name is NUL-padded until the rest divides into 4-byte client values.
  let paddedName = nameBytes.length;
  while ((entryBytes - 8 - paddedName) % 4 !== 0) paddedName++;
  const clientValues = (entryBytes - 8 - paddedName) / 4;
  if (clientValues < 0) throw new Error(`filter entry of ${entryBytes} bytes cannot hold name "${patch.name}"`);
  const entry = at + 2;
  header.fill(0, entry, entry + entryBytes);
  header.writeUInt16LE(patch.toFilterId, entry);
  header.writeUInt16LE(paddedName, entry + 2);
  header.writeUInt16LE(0, entry + 4); // mandatory: readers must refuse rather than skip it
  header.writeUInt16LE(clientValues, entry + 6);
  nameBytes.copy(header, entry + 8);
  return true;
}

/**
 * Patches one candidate header (the bytes from its signature to its checksum). Returns the number
 * of pipelines closed, or null when the bytes are not a header after all: a chance "OHDR" inside
 * compressed data will not carry a valid checksum.
 */
function patchHeader(header: Buffer, layout: NonNullable<ReturnType<typeof headerLength>>, options: HeaderPatchOptions): number | null {
  const checksumAt = layout.length - 4;
  if (header.readUInt32LE(checksumAt) !== lookup3(header.subarray(0, checksumAt))) return null;
  if (layout.timesAt !== null) {
    for (let i = 0; i < 4; i++) header.writeUInt32LE(options.fixedTime, layout.timesAt + 4 * i);
  }
  let pipelines = 0;
  if (options.closedFilter) {
    const messageHeaderBytes = layout.flags & 0x04 ? 6 : 4;
    for (let p = layout.messagesAt; p + messageHeaderBytes <= checksumAt; ) {
      const type = header[p];
      const size = header.readUInt16LE(p + 1);
      const body = p + messageHeaderBytes;
      if (type === FILTER_PIPELINE_MESSAGE && patchPipeline(header, body, size, options.closedFilter)) pipelines++;
      p = body + size;
    }
  }
  header.writeUInt32LE(lookup3(header.subarray(0, checksumAt)), checksumAt);
  return pipelines;
}

/** Patches the HDF5 file at `path` in place, reading it a window at a time. */
export function patchHdf5File(path: string, options: HeaderPatchOptions): HeaderPatchResult {
  const result: HeaderPatchResult = { headers: 0, pipelines: 0 };
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const window = Buffer.alloc(SCAN_WINDOW + SIGNATURE.length - 1);
    const prefix = Buffer.alloc(MAX_PREFIX);
    for (let base = 0; base < size; base += SCAN_WINDOW) {
      // Overlap by three bytes so a signature straddling two windows is still seen (once).
      const filled = readSync(fd, window, 0, Math.min(window.length, size - base), base);
      const view = window.subarray(0, filled);
      for (let i = view.indexOf(SIGNATURE); i >= 0 && i < SCAN_WINDOW; i = view.indexOf(SIGNATURE, i + 1)) {
        const at = base + i;
        const prefixBytes = readSync(fd, prefix, 0, Math.min(MAX_PREFIX, size - at), at);
        const layout = headerLength(prefix.subarray(0, prefixBytes));
        if (!layout || at + layout.length > size) continue;
        const header = Buffer.alloc(layout.length);
        readSync(fd, header, 0, layout.length, at);
        const pipelines = patchHeader(header, layout, options);
        if (pipelines === null) continue;
        writeSync(fd, header, 0, header.length, at);
        result.headers++;
        result.pipelines += pipelines;
      }
    }
  } finally {
    closeSync(fd);
  }
  return result;
}
