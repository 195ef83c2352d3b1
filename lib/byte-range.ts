/** One byte range of a file of known size, from an HTTP Range header (RFC 9110 §14). */
export type ByteRange = { start: number; end: number };

/**
 * `undefined`: no usable Range header (serve everything); `'unsatisfiable'`: a range outside the file (416).
 * Several ranges in one header are served as the whole file, which RFC 9110 allows.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return end < start ? undefined : { start, end };
}
