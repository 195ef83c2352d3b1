/**
 * Turns the bytes of a `metadata.json` (or an imaging `manifest.json`) into what the index stores: the parsed
 * document or the reason it could not be parsed, searchable text, and the fields shown and filtered on.
 * The lab's files come in several layouts (see the fixtures' README); everything here tolerates all of them.
 */

import { isObject, type JsonObject } from '../lib/metadata-shape';

export const MAX_METADATA_BYTES = 10 * 1024 * 1024;

/** `text` is kept whenever the bytes were readable text, so a broken file can still be shown as it is. */
export type DecodedMetadata =
  | { ok: true; value: JsonObject; text: string }
  | { ok: false; error: string; text: string | null };

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
const MAX_TEXT_CHARS = 1_000_000;

/**
 * Every string and number value with its key path, one `path value` line each (`notes.biology.species mouse`),
 * so both the values and the names of the fields are searchable. Array indices are left out of the path.
 */
export function flattenMetadata(value: unknown): string {
  const lines: string[] = [];
  let length = 0;
  const visit = (node: unknown, path: string): void => {
    if (length > MAX_TEXT_CHARS) return;
    if (typeof node === 'string' || typeof node === 'number') {
      const text = String(node).trim();
      if (text === '') return;
      const line = path ? `${path} ${text}` : text;
      lines.push(line);
      length += line.length + 1;
    } else if (Array.isArray(node)) {
      const numbers = node.every((item) => typeof item === 'number');
      (numbers ? node.slice(0, MAX_NUMBERS_PER_ARRAY) : node).forEach((item) => visit(item, path));
    } else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key);
    }
  };
  visit(value, '');
  return lines.join('\n').slice(0, MAX_TEXT_CHARS);
}
