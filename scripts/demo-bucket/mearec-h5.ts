/**
 * Small MEArec-style simulated recordings (`recordings_<n>cells_<probe>_<duration>_<noise>uV.h5`):
 * float32 traces (frames × channels), channel positions, ground-truth spike trains and the
 * simulation parameters under `info/`.
 */
import { SyntheticEphys, type SignalSpec } from './ephys-signal';
import { buildH5Buffer, createDataset, createGroup, setFloatAttribute } from './h5-file';

/** `spec.conversion` should be 1e-6 so that stored steps are microvolts. */
export async function mearecH5(scratchDir: string, spec: SignalSpec, probe: string, noiseUv: number, fixedTime: number): Promise<Buffer> {
  const { channels, frames, sampleRate } = spec;
  const signal = new SyntheticEphys(spec);
  const counts = new Int16Array(frames * channels);
  signal.fill(counts, frames);
  const traces = Float32Array.from(counts);

  return buildH5Buffer(scratchDir, 'mearec', { fixedTime }, (file) => {
    const info = createGroup(file, 'info');
    const recordings = createGroup(info, 'recordings');
    createDataset(recordings, { name: 'fs', data: sampleRate, dtype: '<d', shape: [] });
    createDataset(recordings, { name: 'noise_level', data: noiseUv, dtype: '<d', shape: [] });
    createDataset(recordings, { name: 'noise_mode', data: 'uncorrelated' });
    createDataset(recordings, { name: 'filter', data: 'False' });
    const electrodes = createGroup(info, 'electrodes');
    createDataset(electrodes, { name: 'electrode_name', data: probe });
    createDataset(createGroup(info, 'spiketrains'), { name: 'n_exc', data: Math.ceil(spec.units * 0.8), dtype: '<q', shape: [] });

    createDataset(file, {
      name: 'recordings',
      data: traces,
      shape: [frames, channels],
      dtype: '<f',
      chunks: [Math.min(frames, 8000), channels],
      compression: 'gzip',
      compression_opts: 4,
    });
    createDataset(file, {
      name: 'channel_positions',
      // x, y, z per channel: two columns 25 µm apart, rows every 25 µm (a tetrode when there are four).
      data: Float64Array.from(Array.from({ length: channels }, (_, c) => [0, (c % 2) * 25, Math.floor(c / 2) * 25]).flat()),
      shape: [channels, 3],
      dtype: '<d',
    });
    createDataset(file, {
      name: 'timestamps',
      data: Float32Array.from({ length: frames }, (_, i) => i / sampleRate),
      dtype: '<f',
      chunks: [Math.min(frames, 8000)],
      compression: 'gzip',
      compression_opts: 4,
    });
    const trains = createGroup(file, 'spiketrains');
    for (const unit of signal.units) {
      const train = createGroup(trains, String(unit.id));
      const times = createDataset(train, { name: 'times', data: Float64Array.from(unit.spikeFrames, (f) => f / sampleRate), dtype: '<d' });
      setFloatAttribute(times, 't_start', 0);
      setFloatAttribute(times, 't_stop', frames / sampleRate);
      train.create_attribute('cell_type', unit.amplitudeUv > 110 ? 'E' : 'I');
    }
  });
}
