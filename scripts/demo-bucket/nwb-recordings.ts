/** The NWB files in shared/: what each one holds, and their cache in cacheDir. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Experiment } from './catalog';
import { cachedFile, recipeHash } from './file-cache';
import { writeNwb, type NwbSpec } from './nwb-writer';
import type { Recording } from './recordings';
import { signalSpecOf } from './recordings';
import { CELL_LINES, EXPERIMENTERS, INSTITUTION, LAB } from './vocabulary';

/** Bump to force cached NWB files to be rebuilt, e.g. after upgrading h5wasm. */
const NWB_FORMAT_REVISION = 1;

/** The code an NWB file's bytes depend on, beyond its spec: editing any of it invalidates the cache. */
const WRITER_SOURCES = ['ephys-signal.ts', 'nwb-writer.ts', 'h5-file.ts', 'hdf5-header-patch.ts', 'lookup3.ts', 'prng.ts'];

let fingerprint: string | null = null;

function writerFingerprint(): string {
  if (fingerprint === null) {
    const here = dirname(fileURLToPath(import.meta.url));
    fingerprint = recipeHash(WRITER_SOURCES.map((name) => readFileSync(join(here, name), 'utf8')));
  }
  return fingerprint;
}
const CHUNK_FRAMES = 16384;

export const pitchUmOf = (r: Recording): number => (r.kind === 'intan' ? 25 : 17.5);

export function nwbSpecOf(e: Experiment, r: Recording): NwbSpec {
  const rng = e.rng(`nwb/${r.name}`);
  const intan = r.kind === 'intan';
  const line = CELL_LINES[e.line];
  const signal = signalSpecOf(e, r);
  return {
    identifier: `${e.uuid}/${r.name}`,
    sessionDescription: `${r.name}: ${e.sample} recording${e.drug ? ` with ${e.drug}` : ''}`,
    sessionStartTime: `${r.date}T${r.time}-07:00`,
    experimentDescription: `${e.uuid} (${line.name || line.genotype} ${e.sample})`,
    experimenter: rng.pick(EXPERIMENTERS),
    lab: LAB,
    institution: INSTITUTION,
    device: intan
      ? { name: 'Intan RHD2164', description: '64-channel RHD2164 headstage on an RHD USB interface', manufacturer: 'Intan Technologies' }
      : { name: 'MaxOne', description: `MaxOne high-density MEA, chip ${r.chipId ?? 'unknown'}`, manufacturer: 'MaxWell Biosystems' },
    electrodeGroup: intan
      ? { name: 'shank0', description: 'NeuroNexus A1x64 linear probe', location: 'hippocampus CA1' }
      : { name: `chip${r.chipId ?? ''}`, description: 'routed electrodes of the MaxOne chip', location: e.sample },
    subject: {
      subjectId: intan ? `mouse-${rng.int(100, 999)}` : `${line.name}-${e.date}`,
      species: line.species === 'human' ? 'Homo sapiens' : 'Mus musculus',
      description: intan ? `acute 350 µm hippocampal slice, ${line.genotype}` : `${line.name} ${e.sample}`,
    },
    signal,
    chunks: [Math.min(CHUNK_FRAMES, signal.frames), signal.channels],
    gzipLevel: 4,
    pitchUm: pitchUmOf(r),
    holds: e.nwbHolds ?? [],
  };
}

/** Path of the recording's NWB file in `cacheDir`, written now unless an up-to-date copy is there. */
export function nwbFileFor(cacheDir: string, e: Experiment, r: Recording): Promise<string> {
  const spec = nwbSpecOf(e, r);
  const fixedTime = Math.floor(r.startMs / 1000);
  const recipe = recipeHash({ revision: NWB_FORMAT_REVISION, writer: writerFingerprint(), spec, fixedTime });
  return cachedFile(join(cacheDir, 'nwb'), `${e.uuid}__${r.name}.nwb`, recipe, (temp) => writeNwb(temp, spec, fixedTime));
}
