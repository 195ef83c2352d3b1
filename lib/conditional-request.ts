/**
 * HTTP preconditions (RFC 9110 §13) of a request for one indexed file, judged against the version the
 * index holds: `If-Match`, `If-None-Match` and `If-Range`. The index's ETag is strong (S3's), so every
 * comparison here is the strong one.
 */

export interface Version {
  etag: string;
  lastModified: Date;
}

export type Precondition =
  /** 412: the client holds another version than it requires. */
  | { status: 412 }
  /** 304: the client has this version already. */
  | { status: 304 }
  /** Go on; `honourRange` is false when If-Range names another version (the whole file is sent). */
  | { status: 'proceed'; honourRange: boolean };

/** The entity tags of an If-Match / If-None-Match list, or '*'. Weak tags are kept with their W/ prefix. */
function entityTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return header.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

export function evaluatePreconditions(headers: Headers, version: Version): Precondition {
  const current = `"${version.etag}"`;
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null) {
    const tags = entityTags(ifMatch);
    if (tags !== '*' && !tags.includes(current)) return { status: 412 };
  }
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    const tags = entityTags(ifNoneMatch);
    // Weak comparison here (§13.1.2): W/"x" matches "x".
    if (tags === '*' || tags.some((tag) => tag.replace(/^W\//, '') === current)) return { status: 304 };
  }
  const ifRange = headers.get('if-range');
  if (ifRange === null) return { status: 'proceed', honourRange: true };
  const value = ifRange.trim();
  // An entity tag must match strongly; a date must be exactly the file's Last-Modified (§13.1.5).
  const matches =
    value.startsWith('"') || value.startsWith('W/')
      ? value === current
      : Date.parse(value) === Math.floor(version.lastModified.getTime() / 1000) * 1000;
  return { status: 'proceed', honourRange: matches };
}
