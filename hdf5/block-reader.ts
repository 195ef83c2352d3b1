/**
 * Byte ranges of a remote file, read through a bounded cache of fixed-size blocks: the storage behind the
 * viewer's h5wasm file. HDF5 reads many small pieces (superblock, object headers, B-tree nodes) and then
 * whole chunks; h5wasm's own lazy file fetched 1 MiB per piece with a HEAD first and kept everything.
 * Here the file's size and ETag come from the index, so there is no HEAD; the blocks a read misses are
 * fetched in one Range request; a read that continues the previous one also fetches the next blocks; a
 * large read (a compressed chunk) fetches as much again after it, since a time window usually runs into
 * the next chunk; a miss near the end fetches the end (HDF5 writes metadata there when a file is closed);
 * the cache has a byte budget; and a response whose ETag differs from the indexed one stops the read,
 * because its bytes belong to another version of the file. Reads the crawler's manifest holds (see
 * manifest.ts) are answered from it.
 *
 * Reads are synchronous: Emscripten's file system calls them synchronously, so in the browser the transport
 * is a synchronous XMLHttpRequest inside a Web Worker.
 */

import { LRUCache } from 'lru-cache';
import { ManifestBytes, type Manifest } from './manifest';

/** Fetches bytes [start, end] (inclusive) of the file; `etag` is the response's ETag header, if exposed. */
export type RangeTransport = (start: number, end: number) => { bytes: Uint8Array; etag: string | null };

export interface BlockReaderOptions {
  size: number;
  /** The ETag the index recorded, with or without quotes. */
  etag: string;
  transport: RangeTransport;
  blockSize?: number;
  maxCachedBytes?: number;
  /** Blocks fetched beyond a read that continues the previous one. */
  readAheadBlocks?: number;
  /** A read at least this long is followed by as many bytes again. */
  largeReadBytes?: number;
  /** A miss within this many bytes of the end fetches through the end. */
  tailBytes?: number;
  /** The largest single read served; larger ones are refused (see ReadTooLargeError). */
  maxReadBytes?: number;
  /** Bytes known before the first read (the crawler's manifest of the file's structure). */
  manifest?: Manifest;
}

/** A miss this close to the end fetches through the end: a file no longer than this is read whole at once. */
export const TAIL_BYTES = 256 * 1024;

export class FileChangedError extends Error {
  override name = 'FileChangedError';
}

export class ReadTooLargeError extends Error {
  override name = 'ReadTooLargeError';
}

const unquote = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

export class BlockReader {
  readonly size: number;
  readonly stats = { requests: 0, bytes: 0 };
  private readonly etag: string;
  private readonly transport: RangeTransport;
  private readonly blockSize: number;
  private readonly readAheadBlocks: number;
  private readonly largeReadBytes: number;
  private readonly tailBytes: number;
  private readonly maxReadBytes: number;
  /** Blocks by number, the least recently read dropped first once they hold maxCachedBytes. */
  private readonly cache: LRUCache<number, Uint8Array>;
  private lastBlock = -2;
  private readonly manifest: ManifestBytes | undefined;
  /**
   * Whether misses fetch beyond what was asked. Off for reads known to be scattered (an overview's evenly
   * spaced windows), where what follows a chunk is never read next.
   */
  readAhead = true;

  constructor(options: BlockReaderOptions) {
    this.size = options.size;
    this.etag = unquote(options.etag);
    this.transport = options.transport;
    this.blockSize = options.blockSize ?? 64 * 1024;
    this.cache = new LRUCache({ maxSize: options.maxCachedBytes ?? 64 * 1024 * 1024, sizeCalculation: (bytes) => Math.max(1, bytes.length) });
    this.readAheadBlocks = options.readAheadBlocks ?? 4;
    this.largeReadBytes = options.largeReadBytes ?? 256 * 1024;
    this.tailBytes = options.tailBytes ?? TAIL_BYTES;
    this.maxReadBytes = options.maxReadBytes ?? 64 * 1024 * 1024;
    this.manifest = options.manifest && new ManifestBytes(options.manifest);
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  read(position: number, length: number): Uint8Array {
    const end = Math.min(this.size, position + length);
    if (position < 0 || position >= end) return new Uint8Array(0);
    if (end - position > this.maxReadBytes) {
      throw new ReadTooLargeError(`a read of ${end - position} bytes is over the limit of ${this.maxReadBytes}`);
    }
    const known = this.manifest?.get(position, end - position);
    if (known) return known;
    const first = Math.floor(position / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    const blocks = new Map<number, Uint8Array>();
    let missingFrom = -1;
    let missingTo = -1;
    for (let b = first; b <= last; b++) {
      const cached = this.cache.get(b);
      if (cached) blocks.set(b, cached);
      else {
        if (missingFrom < 0) missingFrom = b;
        missingTo = b;
      }
    }
    if (missingFrom >= 0) {
      const lastBlockOfFile = Math.floor((this.size - 1) / this.blockSize);
      let ahead = missingTo;
      if (this.readAhead && (first === this.lastBlock || first === this.lastBlock + 1)) ahead = missingTo + this.readAheadBlocks;
      if (this.readAhead && end - position >= this.largeReadBytes) ahead = Math.max(ahead, Math.floor((2 * end - position - 1) / this.blockSize));
      if (this.size - position <= this.tailBytes) ahead = lastBlockOfFile;
      ahead = Math.min(lastBlockOfFile, ahead);
      let fetchTo = missingTo;
      while (fetchTo < ahead && !this.cache.has(fetchTo + 1)) fetchTo++;
      for (const [b, bytes] of this.fetchBlocks(missingFrom, fetchTo)) {
        if (b <= last) blocks.set(b, bytes);
        this.cache.set(b, bytes);
      }
    }
    this.lastBlock = last;
    const out = new Uint8Array(end - position);
    for (let b = first; b <= last; b++) {
      const bytes = blocks.get(b)!;
      const blockStart = b * this.blockSize;
      const from = Math.max(position, blockStart) - blockStart;
      const to = Math.min(end, blockStart + bytes.length) - blockStart;
      out.set(bytes.subarray(from, to), blockStart + from - position);
    }
    return out;
  }

  /** Reads the first block from the network: the ETag check, for a view the manifest served whole. */
  verify(): void {
    for (const [b, bytes] of this.fetchBlocks(0, 0)) this.cache.set(b, bytes);
  }

  private fetchBlocks(from: number, to: number): [number, Uint8Array][] {
    const start = from * this.blockSize;
    const end = Math.min(this.size, (to + 1) * this.blockSize) - 1;
    const { bytes, etag } = this.transport(start, end);
    this.stats.requests++;
    this.stats.bytes += bytes.length;
    if (etag !== null && unquote(etag) !== this.etag) {
      throw new FileChangedError('the file changed in the bucket since it was indexed; its bytes no longer match the index');
    }
    if (bytes.length !== end - start + 1) {
      throw new Error(`asked for ${end - start + 1} bytes at ${start}, received ${bytes.length}`);
    }
    const blocks: [number, Uint8Array][] = [];
    for (let b = from; b <= to; b++) {
      const offset = (b - from) * this.blockSize;
      blocks.push([b, bytes.slice(offset, Math.min(bytes.length, offset + this.blockSize))]);
    }
    return blocks;
  }
}
