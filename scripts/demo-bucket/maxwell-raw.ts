/**
 * Small stand-ins for MaxWell `.raw.h5` recordings (MaxLab Live layout, version 20190530).
 *
 * Real files are gigabytes and their traces use MaxWell's closed compression filter. Here the
 * traces dataset has the real shape (channels × frames) but only its first chunk is stored, and
 * its filter pipeline names an unregistered filter, so HDF5 readers list everything yet fail with
 * "required filter 'MaxWell Biosystems' is not registered" on any read of the traces.
 */
import type { SignalSpec, SyntheticEphys } from './ephys-signal';
import { buildH5Buffer, createDataset, createGroup } from './h5-file';
import { Rng } from './prng';

/** Unregistered id from HDF5's range for unpublished filters; MaxWell's real id is not reproduced. */
export const MAXWELL_FILTER_STAND_IN_ID = 400;
const SCALEOFFSET_FILTER_ID = 6;
const CHUNK_FRAMES = 64;
const ADC_MIDPOINT = 512;
const MAX_STORED_SPIKES = 4000;

/**
 * `spec` gives the dataset's shape and `spec.conversion` the ADC's LSB; `signal` (which may
 * simulate only the start of a long recording) supplies the stored chunk and the spike list.
 * `startMs` is the recording start in Unix milliseconds.
 */
export async function maxwellRawH5(
  scratchDir: string,
  spec: SignalSpec,
  signal: SyntheticEphys,
  startMs: number,
  fixedTime: number,
): Promise<Buffer> {
  const { channels, frames, sampleRate, conversion } = spec;
  const first = Math.min(CHUNK_FRAMES, frames);
  const timeMajor = new Int16Array(first * channels);
  signal.fill(timeMajor, first);
  // MaxWell stores channels × frames as unsigned ADC counts around mid-scale.
  const traces = new Uint16Array(channels * first);
  for (let t = 0; t < first; t++) {
    for (let c = 0; c < channels; c++) traces[c * first + t] = ADC_MIDPOINT + timeMajor[t * channels + c]!;
  }

  const layout = new Rng(`${spec.seed}/electrodes`);
  const electrodes = Array.from({ length: channels }, () => layout.int(0, 26399)).sort((a, b) => a - b);
  const spikes = signal.units
    .flatMap((unit) => Array.from(unit.spikeFrames, (frame) => [frame, unit.channel, -unit.amplitudeUv] as const))
    .sort((a, b) => a[0] - b[0])
    .slice(0, MAX_STORED_SPIKES);

  return buildH5Buffer(
    scratchDir,
    'maxwell-raw',
    {
      fixedTime,
      closedFilter: { fromFilterId: SCALEOFFSET_FILTER_ID, toFilterId: MAXWELL_FILTER_STAND_IN_ID, name: 'MaxWell Biosystems' },
    },
    (file) => {
      createDataset(file, { name: 'version', data: ['20190530'] });
      createDataset(file, { name: 'mxw_version', data: ['22.2.8'] });
      const well = createGroup(createGroup(createGroup(file, 'recordings'), 'rec0000'), 'well000');
      const routed = createGroup(createGroup(well, 'groups'), 'routed');
      const raw = createDataset(routed, {
        name: 'raw',
        data: traces,
        shape: [channels, first],
        maxshape: [channels, null],
        chunks: [channels, first],
        dtype: '<H',
        // Scale-offset is only the carrier: its pipeline entry is rewritten to the closed filter.
        compression: SCALEOFFSET_FILTER_ID,
        compression_opts: [2, 0],
      });
      raw.resize([channels, frames]);
      createDataset(routed, { name: 'channels', data: Int32Array.from({ length: channels }, (_, i) => i), dtype: '<i' });

      const settings = createGroup(well, 'settings');
      createDataset(settings, { name: 'sampling', data: [sampleRate], dtype: '<d' });
      createDataset(settings, { name: 'lsb', data: [conversion], dtype: '<d' });
      createDataset(settings, { name: 'gain', data: [512], dtype: '<d' });
      createDataset(settings, { name: 'hpf', data: [300], dtype: '<d' });
      createDataset(settings, {
        name: 'mapping',
        data: new Map<string, number[]>([
          ['channel', electrodes.map((_, i) => i)],
          ['electrode', electrodes],
          ['x', electrodes.map((e) => (e % 220) * 17.5)],
          ['y', electrodes.map((e) => Math.floor(e / 220) * 17.5)],
        ]),
        dtype: [
          ['channel', '<i'],
          ['electrode', '<i'],
          ['x', '<d'],
          ['y', '<d'],
        ],
      });
      createDataset(well, {
        name: 'spikes',
        data: new Map<string, number[]>([
          ['frameno', spikes.map((s) => s[0])],
          ['channel', spikes.map((s) => s[1])],
          ['amplitude', spikes.map((s) => Math.round(s[2] * 10) / 10)],
        ]),
        dtype: [
          ['frameno', '<q'],
          ['channel', '<i'],
          ['amplitude', '<f'],
        ],
      });
      createDataset(well, { name: 'start_time', data: [startMs], dtype: '<q' });
      createDataset(well, { name: 'stop_time', data: [startMs + Math.round((frames / sampleRate) * 1000)], dtype: '<q' });
    },
  );
}
