/**
 * An HDF5 manifest: the bytes of a file that opening it and walking its structure reads (superblock,
 * object headers, attributes, B-tree nodes, small datasets), recorded by the crawler and handed to the
 * viewer with the file's URL. HDF5 finds each of these pieces only by reading the one before it, so over
 * the network they cost one round trip each; from a manifest they cost none.
 *
 * `ranges` are sorted, disjoint and not adjacent, as [start, length]; `bytes` holds their contents in order.
 */
export interface Manifest {
  ranges: [start: number, length: number][];
  bytes: Uint8Array;
}

/** Sorted, merged ranges covering every [start, length] read; touching ranges become one. */
export function mergeRanges(reads: Iterable<readonly [number, number]>): [number, number][] {
  const sorted = [...reads].filter(([, length]) => length > 0).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, length] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[0] + last[1]) last[1] = Math.max(last[1], start + length - last[0]);
    else merged.push([start, length]);
  }
  return merged;
}

/** The manifest of `reads`, taking each range's bytes from `bytesAt`. */
export function packManifest(reads: Iterable<readonly [number, number]>, bytesAt: (start: number, length: number) => Uint8Array): Manifest {
  const ranges = mergeRanges(reads);
  const bytes = new Uint8Array(ranges.reduce((total, [, length]) => total + length, 0));
  let offset = 0;
  for (const [start, length] of ranges) {
    bytes.set(bytesAt(start, length), offset);
    offset += length;
  }
  return { ranges, bytes };
}

/** Looks reads up in a manifest: a read wholly inside one of its ranges is answered without the network. */
export class ManifestBytes {
  private readonly starts: number[];
  private readonly offsets: number[];

  constructor(private readonly manifest: Manifest) {
    this.starts = manifest.ranges.map(([start]) => start);
    this.offsets = [];
    let offset = 0;
    for (const [, length] of manifest.ranges) {
      this.offsets.push(offset);
      offset += length;
    }
    if (offset !== manifest.bytes.length) throw new Error(`a manifest's ranges cover ${offset} bytes, its data ${manifest.bytes.length}`);
  }

  /** The bytes [position, position + length), or undefined when the manifest does not hold all of them. */
  get(position: number, length: number): Uint8Array | undefined {
    // The last range starting at or before `position`.
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle]! <= position) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    if (found < 0) return undefined;
    const [start, rangeLength] = this.manifest.ranges[found]!;
    if (position + length > start + rangeLength) return undefined;
    const from = this.offsets[found]! + position - start;
    return this.manifest.bytes.subarray(from, from + length);
  }
}
