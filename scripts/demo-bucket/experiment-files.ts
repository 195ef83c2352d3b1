/** Every object of one experiment folder: metadata, raw data, NWB, logs, sorting results, images. */
import type { Experiment } from './catalog';
import { SyntheticEphys, type SignalSpec } from './ephys-signal';
import { kilosortZips } from './kilosort-results';
import { maxwellRawH5 } from './maxwell-raw';
import { mearecH5 } from './mearec-h5';
import { imagingManifest, metadataBytes, otherMetadata, planImages } from './metadata-other';
import { microscopeFrame } from './microscope-images';
import { cameraLog, pumpLog, recordingLog } from './logs';
import { nwbFileFor, pitchUmOf } from './nwb-recordings';
import type { Rng } from './prng';
import { planRecordings, signalSpecOf, type Recording } from './recordings';

export interface DemoObject {
  key: string;
  body: Buffer | { path: string };
  contentType?: string;
}

export interface GenerationContext {
  cacheDir: string;
  /** For temporary files while HDF5 files are written. */
  scratchDir: string;
}

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.json$/, 'application/json'],
  [/\.csv$/, 'text/csv'],
  [/\.png$/, 'image/png'],
  [/\.zip$/, 'application/zip'],
  [/\.(h5|nwb)$/, 'application/x-hdf5'],
];

export function contentTypeOf(key: string): string {
  return CONTENT_TYPES.find(([pattern]) => pattern.test(key))?.[1] ?? 'application/octet-stream';
}

/** Opaque vendor files (Axion .raw, Intan .rhd): the real magic number, then noise. */
function vendorBlob(rng: Rng, magic: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  magic.copy(out);
  for (let i = magic.length; i < size; i += 4) out.writeUInt32LE(rng.uint32(), Math.min(i, size - 4));
  return out;
}

/**
 * Long recordings are simulated for their first minute only: nothing in the demo stores more of
 * them (the raw file keeps one chunk, the Kilosort results one minute). Shorter ones, which
 * have NWB files, are simulated whole so the NWB units table and the phy files agree.
 */
function simulate(spec: SignalSpec): SyntheticEphys {
  const limit = 60 * spec.sampleRate;
  return new SyntheticEphys(spec.frames > 2 * limit ? { ...spec, frames: limit } : spec);
}

async function recordingObjects(e: Experiment, r: Recording, ctx: GenerationContext): Promise<DemoObject[]> {
  const out: DemoObject[] = [];
  const add = (path: string, body: DemoObject['body']) => out.push({ key: e.key(path), body, contentType: contentTypeOf(path) });
  const spec = signalSpecOf(e, r);
  const fixedTime = Math.floor(r.startMs / 1000);
  const rng = e.rng(`files/${r.name}`);
  const signal = simulate(spec);
  switch (r.kind) {
    case 'maxwell-raw':
    case 'maxwell-nwb':
      add(r.dataPath, await maxwellRawH5(ctx.scratchDir, spec, signal, r.startMs, fixedTime));
      break;
    case 'mearec': {
      const probe = r.channels === 4 ? 'tetrode' : 'Neuronexus-32';
      add(r.dataPath, await mearecH5(ctx.scratchDir, spec, probe, Number(/_(\d+(?:\.\d+)?)uV\.h5$/.exec(r.dataPath)?.[1] ?? 10), fixedTime));
      break;
    }
    case 'axion':
      add(r.dataPath, vendorBlob(rng, Buffer.from('AxionBio', 'latin1'), rng.int(3000, 6000)));
      break;
    case 'intan':
      add(r.dataPath, vendorBlob(rng, Buffer.from([0x02, 0x27, 0x91, 0xc6, 0x03, 0x00, 0x00, 0x00]), rng.int(3000, 6000)));
      break;
  }
  if (r.nwbPath) add(r.nwbPath, { path: await nwbFileFor(ctx.cacheDir, e, r) });
  if (r.sorted) {
    const zips = kilosortZips({
      recording: r.name,
      units: signal.units,
      channels: r.channels,
      sampleRate: r.sampleRate,
      frames: r.frames,
      pitchUm: pitchUmOf(r),
      modified: new Date(r.startMs + 86_400_000),
    });
    add(`derived/kilosort2/${r.name}_phy.zip`, zips.phy);
    add(`derived/kilosort2/${r.name}_acqm.zip`, zips.acqm);
    add(`derived/kilosort2/${r.name}_figure.zip`, zips.figure);
  }
  return out;
}

export async function experimentObjects(e: Experiment, ctx: GenerationContext): Promise<DemoObject[]> {
  const recordings = planRecordings(e);
  const images = planImages(e);
  const out: DemoObject[] = [];
  const add = (path: string, body: DemoObject['body']) => out.push({ key: e.key(path), body, contentType: contentTypeOf(path) });

  if (e.shape === 'manifest-only') add('images/manifest.json', Buffer.from(`${JSON.stringify(imagingManifest(e, images), null, 2)}\n`));
  else if (e.shape !== 'no-metadata') {
    // Ephys tools write with indent 4; the fluidics and imaging services with indent 2.
    const indent = ['fluidics', 'imaging'].includes(e.shape) ? 2 : 4;
    add('metadata.json', metadataBytes(otherMetadata(e, recordings, images), indent, e.broken));
  }
  for (const r of recordings) out.push(...(await recordingObjects(e, r, ctx)));
  if (recordings.length > 0) add(`original/log/${e.date}_recording_log.csv`, Buffer.from(recordingLog(e, recordings)));
  if (e.shape === 'fluidics' || (e.shape === 'integrated' && e.letters.includes('f'))) add('original/log/pump_log.csv', Buffer.from(pumpLog(e)));
  if (images.length > 0) {
    add('original/log/camera_log.csv', Buffer.from(cameraLog(e, images)));
    const rng = e.rng('image-pixels');
    for (const image of images) add(image.path, microscopeFrame(rng, e.sample, image.z));
  }
  if (e.nobackup) add('NOBACKUP', Buffer.alloc(0));
  return out;
}
