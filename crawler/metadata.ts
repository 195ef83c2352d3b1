/**
 * Turns the bytes of a `metadata.json` (or an imaging `manifest.json`) into what the index stores: the parsed
 * document or the reason it could not be parsed, searchable text, and the fields shown and filtered on.
 * The lab's files come in several layouts (see the fixtures' README); everything here tolerates all of them.
 */

import { isObject, type JsonObject } from '../lib/metadata-shape';

export const MAX_METADATA_BYTES = 10 * 1024 * 1024;

/** `text` is kept whenever the bytes were readable text, so a broken file can still be shown as it is. */
export type DecodedMetadata = { ok: true; value: JsonObject; text: string } | { ok: false; error: string; text: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeMetadata(bytes: Uint8Array): DecodedMetadata {
  if (bytes.byteLength > MAX_METADATA_BYTES) {
    return { ok: false, error: `file is ${bytes.byteLength} bytes, over the ${MAX_METADATA_BYTES}-byte limit`, text: null };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: 'file is not UTF-8 text (binary data?)', text: null };
  }
  if (text.includes('\u0000')) return { ok: false, error: 'file contains NUL bytes (binary data?)', text: null };
  if (text.startsWith('\uFEFF')) {
    return { ok: false, error: 'file starts with a UTF-8 byte-order mark, which JSON does not allow', text };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}`, text };
  }
  if (!isObject(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, error: `expected a JSON object, found ${found}`, text };
  }
  return { ok: true, value, text };
}

// Long numeric arrays are data (channel maps, electrode positions), not words anyone searches for.
const MAX_NUMBERS_PER_ARRAY = 64;

/**
 * How much of one document the index takes. A lab file nests fewer than 10 levels and holds some
 * thousands of values (a 1,024-channel map is 4,096); these are far above that and keep one hostile
 * document from costing the crawl more than a second or the index more than a megabyte.
 */
export const METADATA_LIMITS = { depth: 64, values: 500_000, textChars: 1_000_000 } as const;

export interface FlattenedMetadata {
  text: string;
  /** What was left out and why, or null when the whole document is in `text`. */
  truncation: string | null;
}

/**
 * Every string and number value with its key path, one `path value` line each (`notes.biology.species mouse`),
 * so both the values and the names of the fields are searchable. Array indices are left out of the path.
 * The walk is iterative and bounded by METADATA_LIMITS: nesting, the number of values and the text's length.
 */
export function flattenMetadata(value: unknown): FlattenedMetadata {
  const lines: string[] = [];
  const cut = new Set<string>();
  let length = 0;
  let values = 0;
  // Children are pushed in reverse so that they are visited in document order.
  const stack: [node: unknown, path: string, depth: number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    if (++values > METADATA_LIMITS.values) {
      cut.add(`it holds over ${METADATA_LIMITS.values.toLocaleString('en-US')} values`);
      break;
    }
    if (typeof node === 'string' || typeof node === 'number') {
      const text = String(node).trim();
      if (text === '') continue;
      const line = path ? `${path} ${text}` : text;
      if (length + line.length > METADATA_LIMITS.textChars) {
        lines.push(line.slice(0, METADATA_LIMITS.textChars - length));
        cut.add(`its text is over ${METADATA_LIMITS.textChars.toLocaleString('en-US')} characters`);
        break;
      }
      lines.push(line);
      length += line.length + 1;
      continue;
    }
    const array = Array.isArray(node);
    if (!array && !isObject(node)) continue;
    if (depth === METADATA_LIMITS.depth) {
      cut.add(`it nests deeper than ${METADATA_LIMITS.depth} levels`);
      continue;
    }
    if (array) {
      const items = node.every((item) => typeof item === 'number') ? node.slice(0, MAX_NUMBERS_PER_ARRAY) : node;
      for (let i = items.length - 1; i >= 0; i--) stack.push([items[i], path, depth + 1]);
    } else {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push([child, path ? `${path}.${key}` : key, depth + 1]);
      }
    }
  }
  return { text: lines.join('\n'), truncation: cut.size ? `only part of the metadata is searchable: ${[...cut].join(', ')}` : null };
}
