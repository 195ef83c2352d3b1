/**
 * metadata.json of fluidics, imaging and integrated experiments, the imaging manifest, and how
 * every document is written out (including the deliberately broken ones).
 */
import type { Breakage, Experiment } from './catalog';
import { biologyOf, ephysMetadata, isoAfter, notesOf, purposeOf, type Json } from './metadata-ephys';
import type { Rng } from './prng';
import type { Recording } from './recordings';
import { CELL_LINES, HARDWARE, MEDIA } from './vocabulary';

type JsonObject = { [key: string]: Json };

export interface ImagePlan {
  /** Path relative to the experiment folder. */
  path: string;
  well: string;
  z: number;
  time: string;
}

const WELLS = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** A handful of captures: a few wells, a few time points, sometimes a small z-stack. */
export function planImages(e: Experiment): ImagePlan[] {
  if (!['imaging', 'manifest-only', 'integrated'].includes(e.shape)) return [];
  if (e.shape === 'integrated' && !e.letters.includes('i')) return [];
  const rng = e.rng('images');
  const wells = WELLS.slice(0, rng.int(2, 3));
  const zs = rng.chance(0.5) ? [0, 1, 2] : [0];
  const stepMinutes = rng.pick([30, 60, 120]);
  const out: ImagePlan[] = [];
  for (let k = 0; k < 2; k++) {
    const minutes = 9 * 60 + k * stepMinutes;
    const stamp = `${e.date}T${pad(Math.floor(minutes / 60))}-${pad(minutes % 60)}-00`;
    for (const well of wells) for (const z of zs) out.push({ path: `images/${well}/${stamp}_z${z}.png`, well, z, time: stamp });
  }
  return out;
}

function fluidicsSection(e: Experiment, rng: Rng): JsonObject {
  const species = CELL_LINES[e.line].species;
  return {
    device: rng.pick(['autoculture-v2', 'autoculture-v3', 'microfluidic-gradient-chip']),
    plate: rng.pick(['24-well', '6-well', 'Maxwell single well']),
    media: rng.pick(MEDIA[species]),
    schedule: WELLS.slice(0, rng.int(2, 4)).map((well) => ({ well, interval_h: rng.pick([6, 12, 24]), volume_ul: rng.pick([150, 200, 400]) })),
    pumps: [
      { id: 'pump0', type: 'syringe', direction: 'aspirate' },
      { id: 'pump1', type: 'syringe', direction: 'dispense' },
    ],
  };
}

function imagingSection(e: Experiment, rng: Rng, images: ImagePlan[]): JsonObject {
  return {
    microscope: HARDWARE.picroscope,
    camera: 'Raspberry Pi HQ camera',
    objective: rng.pick(['4x', '10x']),
    channels: e.descriptor.includes('GCaMP') ? ['brightfield', 'GCaMP (488 nm)'] : ['brightfield'],
    interval_minutes: rng.pick([30, 60, 120]),
    z_planes: new Set(images.map((i) => i.z)).size,
    wells: [...new Set(images.map((i) => i.well))],
    image_count: images.length,
  };
}

export function otherMetadata(e: Experiment, recordings: Recording[], images: ImagePlan[]): JsonObject {
  const rng = e.rng('metadata');
  const timestamp = isoAfter(e.date, rng.int(0, 3), rng);
  const hours = rng.pick([6, 12, 24]);
  const volume = rng.pick([150, 200, 400]);
  const minutes = rng.pick([30, 60]);
  switch (e.shape) {
    case 'fluidics': {
      const purpose = purposeOf(e, rng, 'fluidics', { hours, volume, media: rng.pick(MEDIA[CELL_LINES[e.line].species]) });
      const notes = notesOf(e, rng, purpose);
      const media = (notes.biology as JsonObject).culture_media ?? '';
      return { uuid: e.uuid, timestamp, hardware: HARDWARE.autoculture, notes, fluidics: { ...fluidicsSection(e, rng), media } };
    }
    case 'imaging': {
      const purpose = purposeOf(e, rng, e.descriptor.includes('GCaMP') ? 'calcium' : 'imaging', { minutes });
      return {
        uuid: e.uuid,
        timestamp,
        hardware: HARDWARE.picroscope,
        notes: { purpose, biology: biologyOf(e, rng), comments: '' },
        imaging: imagingSection(e, rng, images),
      };
    }
    case 'integrated': {
      const ephys = ephysMetadata(e, recordings);
      const kind = e.letters === 'efi' ? 'efi' : e.letters === 'ei' ? 'ei' : 'ef';
      // The second ef template names the drug, so only experiments with one may use it.
      const template = kind === 'ef' && e.drug ? 1 : 0;
      const purpose = purposeOf(e, rng, kind, { minutes, chip: recordings[0]?.chipId ?? '' }, template);
      const notes = typeof ephys.notes === 'object' && ephys.notes !== null && !Array.isArray(ephys.notes) ? ephys.notes : {};
      return {
        ...ephys,
        notes: { ...notes, purpose },
        ...(e.letters.includes('f') ? { fluidics: fluidicsSection(e, rng) } : {}),
        ...(e.letters.includes('i') ? { imaging: imagingSection(e, rng, images) } : {}),
      };
    }
    default:
      return ephysMetadata(e, recordings);
  }
}

/** The manifest a Picroscope run uploads next to its images. */
export function imagingManifest(e: Experiment, images: ImagePlan[]): JsonObject {
  return {
    uuid: e.uuid,
    instrument: HARDWARE.picroscope,
    camera: 'Raspberry Pi HQ camera',
    sample: `${CELL_LINES[e.line].name} ${e.sample}s`,
    captures: images.map((i) => ({ file: i.path.replace(/^images\//, ''), well: i.well, z: i.z, time: i.time })),
  };
}

/** JSON the way Python's json.dump writes it: non-ASCII escaped as \uXXXX. */
export function pythonJson(value: Json, indent: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Serialises a metadata document, breaking it the way `broken` says. */
export function metadataBytes(doc: Json, indent: number, broken: Breakage | undefined): Buffer {
  const text = pythonJson(doc, indent);
  switch (broken) {
    case undefined:
      return Buffer.from(text, 'utf8');
    case 'truncated':
      // An upload cut off mid-file.
      return Buffer.from(text.slice(0, Math.floor(text.length * 0.6)), 'utf8');
    case 'python-nan': {
      // Python's json writes NaN for a float NaN, which is not JSON.
      const broken = text.replace(/"offset": 0/, '"offset": NaN');
      if (broken === text) throw new Error('no "offset" field to break');
      return Buffer.from(broken, 'utf8');
    }
    case 'empty':
      return Buffer.alloc(0);
    case 'bom':
      // Saved by a Windows editor.
      return Buffer.from(`\uFEFF${text}`, 'utf8');
  }
}
