import { customType } from 'drizzle-orm/sqlite-core';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * JSON stored deflated. An NWB file's summary is 5 to 6 KiB of JSON, mostly the paths of its typed objects,
 * which repeat their prefixes: deflated it is about a fifth (bench:crawl prints each kind's size). Rows
 * written before hold the JSON text and are read as they are, so the column keeps its declared type.
 */
export const encodeDeflatedJson = (value: unknown): Buffer => deflateRawSync(JSON.stringify(value));

export function decodeDeflatedJson<T>(stored: Buffer | Uint8Array | string): T {
  return JSON.parse(typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8')) as T;
}

export const deflatedJson = <T>(name: string) =>
  customType<{ data: T; driverData: Buffer | string }>({
    dataType: () => 'text',
    toDriver: encodeDeflatedJson,
    fromDriver: (stored) => decodeDeflatedJson<T>(stored),
  })(name);
