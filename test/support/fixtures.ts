import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a fixture of test/fixtures/ is (see its README for each file's source and licence). */
export function fixturePath(kind: 'nwb' | 'metadata', name: string): string {
  return fileURLToPath(new URL(`../fixtures/${kind}/${name}`, import.meta.url));
}

/** The bytes of an NWB fixture. */
export const nwbFixture = (name: 'ecephys-kilosort-gzip.nwb' | 'units-trials-dandi000009.nwb') => readFileSync(fixturePath('nwb', name));

/** The text of a lab metadata.json fixture. */
export const metadataFixture = (name: 'maxwell-old.json' | 'maxwell-nwb.json' | 'mearec-tetrode.json') =>
  readFileSync(fixturePath('metadata', name), 'utf8');
