import { describe, expect, it } from 'vitest';
import { BlockReader, FileChangedError, ReadTooLargeError, type RangeTransport } from './block-reader';
import { packManifest } from './manifest';

// A file whose every byte differs from its neighbours', so a misplaced byte cannot pass.
const FILE = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);

function recordingTransport(etag: string | null = '"abc"') {
  const requests: [number, number][] = [];
  const transport: RangeTransport = (start, end) => {
    requests.push([start, end]);
    return { bytes: FILE.slice(start, end + 1), etag };
  };
  return { requests, transport };
}

const reader = (transport: RangeTransport, options: Partial<ConstructorParameters<typeof BlockReader>[0]> = {}) =>
  new BlockReader({
    size: FILE.length,
    etag: 'abc',
    transport,
    blockSize: 1000,
    readAheadBlocks: 2,
    largeReadBytes: 5000,
    tailBytes: 500,
    ...options,
  });

describe('BlockReader', () => {
  it('returns exactly the bytes asked for, across block boundaries and at the end of the file', () => {
    const r = reader(recordingTransport().transport);
    for (const [position, length] of [
      [0, 10],
      [995, 10],
      [1500, 3000],
      [9990, 100],
      [0, 10_000],
    ] as const) {
      expect(r.read(position, length), `${position}+${length}`).toEqual(FILE.slice(position, Math.min(FILE.length, position + length)));
    }
    expect(r.read(10_000, 5)).toEqual(new Uint8Array(0));
  });

  it('fetches the missing blocks of a read in one request and serves repeated reads from the cache', () => {
    const { requests, transport } = recordingTransport();
    const r = reader(transport);
    r.read(2500, 2000); // blocks 2-4
    expect(requests).toEqual([[2000, 4999]]);
    r.read(2600, 100);
    r.read(4900, 100);
    expect(requests).toHaveLength(1);
    expect(r.stats).toEqual({ requests: 1, bytes: 3000 });
  });

  it('reads nothing ahead while read-ahead is off (scattered reads), and again once it is on', () => {
    const { requests, transport } = recordingTransport();
    const r = reader(transport);
    r.readAhead = false;
    r.read(0, 500);
    r.read(1000, 500); // would continue the previous read
    r.read(2000, 5000); // a large read
    expect(requests).toEqual([
      [0, 999],
      [1000, 1999],
      [2000, 6999],
    ]);
    r.readAhead = true;
    r.read(7000, 500); // continues: block 7 and two ahead
    expect(requests.at(-1)).toEqual([7000, 9999]);
  });

  it('reads ahead when a read continues the previous one, up to the end of the file', () => {
    const { requests, transport } = recordingTransport();
    const r = reader(transport);
    r.read(0, 500); // block 0, nothing to continue
    r.read(1000, 500); // continues: block 1 and two ahead
    expect(requests).toEqual([
      [0, 999],
      [1000, 3999],
    ]);
    r.read(2000, 2000); // blocks 2-3, read ahead before
    expect(requests).toHaveLength(2);
    r.read(4000, 10); // continues from 3: block 4 and two ahead
    expect(requests.at(-1)).toEqual([4000, 6999]);
    r.read(8000, 10); // a jump: no read-ahead
    expect(requests.at(-1)).toEqual([8000, 8999]);
  });

  it('follows a large read with as many bytes again, and fetches the end of the file on a miss near it', () => {
    const { requests, transport } = recordingTransport();
    const r = reader(transport);
    r.read(0, 10);
    r.read(3500, 2000); // not large: blocks 3-5 only
    expect(requests.at(-1)).toEqual([3000, 5999]);
    r.read(2000, 100); // cached? no: block 2, a jump backwards
    const large = reader(transport);
    large.read(1000, 5000); // large: 1000-5999, then 5000 more bytes
    expect(requests.at(-1)).toEqual([1000, 9999]);
    const tail = reader(transport);
    tail.read(9600, 10); // within 500 bytes of the end: through the end
    expect(requests.at(-1)).toEqual([9000, 9999]);
    tail.read(9990, 10);
    expect(requests.at(-1)).toEqual([9000, 9999]);
  });

  it('keeps the cache within its byte budget, dropping the least recently used blocks', () => {
    const { requests, transport } = recordingTransport();
    const r = reader(transport, { maxCachedBytes: 2000, readAheadBlocks: 0 });
    r.read(0, 10); // block 0
    r.read(5000, 10); // block 5
    r.read(0, 10); // block 0 used again
    r.read(8000, 10); // block 8: block 5 goes
    expect(requests).toHaveLength(3);
    r.read(0, 10);
    expect(requests).toHaveLength(3);
    r.read(5000, 10);
    expect(requests).toHaveLength(4);
  });

  it('stops when S3 answers with another ETag: the file changed since it was indexed', () => {
    const r = reader(recordingTransport('"other"').transport);
    expect(() => r.read(0, 10)).toThrow(FileChangedError);
    // Quotes and weak markers do not count as a difference; a transport that cannot see the header passes.
    expect(reader(recordingTransport('W/"abc"').transport).read(0, 3)).toEqual(FILE.slice(0, 3));
    expect(reader(recordingTransport(null).transport).read(0, 3)).toEqual(FILE.slice(0, 3));
  });

  it('refuses a read over the limit instead of fetching it', () => {
    const { requests, transport } = recordingTransport();
    expect(() => reader(transport, { maxReadBytes: 4096 }).read(0, 5000)).toThrow(ReadTooLargeError);
    expect(requests).toEqual([]);
  });
});

describe('BlockReader with a manifest', () => {
  it('answers reads the manifest holds without a request, and fetches the rest as before', () => {
    const { requests, transport } = recordingTransport();
    const manifest = packManifest(
      [
        [0, 600],
        [9000, 1000],
      ],
      (start, length) => FILE.slice(start, start + length),
    );
    const r = reader(transport, { manifest });
    expect(r.read(0, 8)).toEqual(FILE.slice(0, 8));
    expect(r.read(9500, 500)).toEqual(FILE.slice(9500, 10_000));
    expect(requests).toEqual([]);
    expect(r.read(500, 200)).toEqual(FILE.slice(500, 700)); // crosses the manifest's edge
    expect(requests).toEqual([[0, 999]]);
  });
});

describe('BlockReader.verify', () => {
  it('reads the first block from the network even when the manifest holds it, and reports another version', () => {
    const manifest = packManifest([[0, 2000]], (start, length) => FILE.slice(start, start + length));
    const { requests, transport } = recordingTransport();
    const r = reader(transport, { manifest });
    r.verify();
    expect(requests).toEqual([[0, 999]]);
    expect(() => reader(recordingTransport('"other"').transport, { manifest }).verify()).toThrow(FileChangedError);
  });
});
