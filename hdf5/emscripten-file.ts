/** The part of Emscripten's file system (h5wasm's FS) a lazily read file needs. */
export interface EmscriptenFs {
  create(path: string, mode: number): { stream_ops: Record<string, unknown> };
}

/**
 * Creates a read-only file of `size` bytes at `path` whose reads are answered by `read(position, length)`,
 * called with ranges inside the file; HDF5 then reads it through h5wasm as if it were whole.
 */
export function createLazyFile(fs: EmscriptenFs, path: string, size: number, read: (position: number, length: number) => Uint8Array): void {
  const node = fs.create(path, 0o444);
  Object.defineProperty(node, 'usedBytes', { get: () => size });
  node.stream_ops = {
    ...node.stream_ops,
    read: (_stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number) => {
      const n = Math.max(0, Math.min(length, size - position));
      if (n === 0) return 0;
      const bytes = read(position, n);
      buffer.set(bytes, offset);
      return bytes.length;
    },
  };
}
