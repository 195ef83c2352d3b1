/**
 * Writes an NWB 2.x extracellular recording the way pynwb/neuroconv lay it out: an
 * `/acquisition/ElectricalSeries` (int16, time × channels, chunked + gzip), the electrodes
 * DynamicTable it points into, and a Kilosort-style `/units` table with ragged spike times; and,
 * as the spec's `holds` say, the LFP (a 1 kHz ElectricalSeries in processing/ecephys/LFP), the
 * units' mean waveforms, a trials TimeIntervals table, stimulation pulses as ndx-events TTLs (an
 * extension type) and calcium imaging frames as an ImageSeries.
 *
 * Not written: the cached schema under `/specifications` (and the `.specloc` attribute), which
 * pynwb adds but no reader needs when the core schema is installed.
 */
import type { NwbHolding } from './catalog';
import { SyntheticEphys, waveform, type SignalSpec } from './ephys-signal';
import { Rng } from './prng';
import { createDataset, createGroup, setAttributes, setFloatAttribute, writeH5File, type Dataset, type Group, type H5File } from './h5-file';

export interface NwbSpec {
  identifier: string;
  sessionDescription: string;
  /** ISO 8601 with offset, e.g. 2024-05-21T14:03:11-07:00. */
  sessionStartTime: string;
  experimentDescription: string;
  experimenter: string;
  lab: string;
  institution: string;
  device: { name: string; description: string; manufacturer: string };
  electrodeGroup: { name: string; description: string; location: string };
  subject: { subjectId: string; species: string; description: string };
  signal: SignalSpec;
  /** Chunk shape of the ElectricalSeries data: [frames, channels]. */
  chunks: [number, number];
  gzipLevel: number;
  /** Electrode pitch on the probe, in µm. */
  pitchUm: number;
  holds: readonly NwbHolding[];
}

const LFP_RATE = 1000;
const TRIAL_SECONDS = 0.5;
const IMAGE_SIZE = 32;
const IMAGE_RATE = 10;

const CORE = 'core';
const COMMON = 'hdmf-common';

class NwbBuilder {
  private readonly ids: Rng;

  constructor(
    private readonly file: H5File,
    private readonly spec: NwbSpec,
  ) {
    this.ids = new Rng(`${spec.signal.seed}/object-ids`);
  }

  /** `neurodata_type`, `namespace` and a deterministic `object_id` on every typed object. */
  typed(target: Group | Dataset, type: string, namespace: string, extra: Record<string, string> = {}): void {
    setAttributes(target, { namespace, neurodata_type: type, object_id: this.ids.uuid4(), ...extra });
  }

  vectorData(table: Group, name: string, data: Parameters<Group['create_dataset']>[0]['data'], description: string, dtype?: string): Dataset {
    const dataset = createDataset(table, { name, data, ...(dtype ? { dtype } : {}) });
    this.typed(dataset, 'VectorData', COMMON, { description });
    return dataset;
  }

  elementIds(table: Group, count: number): void {
    const ids = createDataset(table, { name: 'id', data: BigInt64Array.from({ length: count }, (_, i) => BigInt(i)), dtype: '<q' });
    this.typed(ids, 'ElementIdentifiers', COMMON);
  }

  writeRoot(): void {
    const { file, spec } = this;
    this.typed(file, 'NWBFile', CORE, { nwb_version: '2.6.0' });
    createDataset(file, { name: 'file_create_date', data: [spec.sessionStartTime] });
    createDataset(file, { name: 'identifier', data: spec.identifier });
    createDataset(file, { name: 'session_description', data: spec.sessionDescription });
    createDataset(file, { name: 'session_start_time', data: spec.sessionStartTime });
    createDataset(file, { name: 'timestamps_reference_time', data: spec.sessionStartTime });
    createGroup(file, 'analysis');
    createGroup(file, 'processing');
    const stimulus = createGroup(file, 'stimulus');
    createGroup(stimulus, 'presentation');
    createGroup(stimulus, 'templates');
  }

  /** Returns the extracellular_ephys group and its electrode group. */
  writeGeneral(): [Group, Group] {
    const { file, spec } = this;
    const general = createGroup(file, 'general');
    createDataset(general, { name: 'experiment_description', data: spec.experimentDescription });
    createDataset(general, { name: 'experimenter', data: [spec.experimenter] });
    createDataset(general, { name: 'institution', data: spec.institution });
    createDataset(general, { name: 'lab', data: spec.lab });

    const subject = createGroup(general, 'subject');
    this.typed(subject, 'Subject', CORE);
    createDataset(subject, { name: 'description', data: spec.subject.description });
    createDataset(subject, { name: 'species', data: spec.subject.species });
    createDataset(subject, { name: 'subject_id', data: spec.subject.subjectId });

    const devices = createGroup(general, 'devices');
    const device = createGroup(devices, spec.device.name);
    this.typed(device, 'Device', CORE, { description: spec.device.description, manufacturer: spec.device.manufacturer });

    const ecephys = createGroup(general, 'extracellular_ephys');
    const group = createGroup(ecephys, spec.electrodeGroup.name);
    this.typed(group, 'ElectrodeGroup', CORE, { description: spec.electrodeGroup.description, location: spec.electrodeGroup.location });
    group.create_soft_link(device.path, 'device');
    return [ecephys, group];
  }

  writeElectrodes(ecephys: Group, electrodeGroup: Group): Group {
    const { spec } = this;
    const n = spec.signal.channels;
    const table = createGroup(ecephys, 'electrodes');
    const colnames = ['location', 'group', 'group_name', 'rel_x', 'rel_y', 'imp', 'filtering', 'channel_name'];
    this.typed(table, 'DynamicTable', COMMON, { description: 'metadata about extracellular electrodes' });
    table.create_attribute('colnames', colnames);
    this.elementIds(table, n);
    const groupRef = electrodeGroup.create_reference();
    const imp = new Rng(`${spec.signal.seed}/impedance`);
    this.vectorData(
      table,
      'location',
      Array.from({ length: n }, () => spec.electrodeGroup.location),
      'the location of channel within the subject e.g. brain region',
    );
    this.vectorData(
      table,
      'group',
      Array.from({ length: n }, () => groupRef),
      'a reference to the ElectrodeGroup this electrode is a part of',
    );
    this.vectorData(
      table,
      'group_name',
      Array.from({ length: n }, () => spec.electrodeGroup.name),
      'the name of the ElectrodeGroup this electrode is a part of',
    );
    this.vectorData(
      table,
      'rel_x',
      Float64Array.from({ length: n }, (_, i) => (i % 2) * spec.pitchUm),
      'x position relative to the probe tip, in µm',
      '<d',
    );
    this.vectorData(
      table,
      'rel_y',
      Float64Array.from({ length: n }, (_, i) => i * spec.pitchUm),
      'y position relative to the probe tip, in µm',
      '<d',
    );
    this.vectorData(
      table,
      'imp',
      Float64Array.from({ length: n }, () => Math.round(imp.range(0.15e6, 1.2e6))),
      'the impedance of the channel, in ohms',
      '<d',
    );
    this.vectorData(
      table,
      'filtering',
      Array.from({ length: n }, () => 'wideband 0.1 Hz - 7.5 kHz'),
      'description of hardware filtering',
    );
    this.vectorData(
      table,
      'channel_name',
      Array.from({ length: n }, (_, i) => `A-${String(i).padStart(3, '0')}`),
      'the name of the channel on the acquisition system',
    );
    return table;
  }

  /** `starting_time` with its rate, as every regularly sampled series has. */
  startingTime(series: Group, rate: number): void {
    const start = createDataset(series, { name: 'starting_time', data: 0, dtype: '<d', shape: [] });
    setFloatAttribute(start, 'rate', rate);
    start.create_attribute('unit', 'seconds');
  }

  /** The series' rows of the electrodes table: all of them. */
  electrodesRegion(series: Group, electrodes: Group): void {
    const region = createDataset(series, {
      name: 'electrodes',
      data: BigInt64Array.from({ length: this.spec.signal.channels }, (_, i) => BigInt(i)),
      dtype: '<q',
    });
    this.typed(region, 'DynamicTableRegion', COMMON, { description: 'electrode_table_region' });
    region.create_attribute('table', electrodes.create_reference(), []);
  }

  /** Volts per stored step and the unit, on a voltage series' data. */
  voltageScale(data: Dataset): void {
    setFloatAttribute(data, 'conversion', this.spec.signal.conversion);
    setFloatAttribute(data, 'offset', 0);
    setFloatAttribute(data, 'resolution', -1);
    data.create_attribute('unit', 'volts');
  }

  /**
   * Writes the signal chunk by chunk: the dataset grows by one chunk row at a time. Returns the
   * signal averaged down to LFP_RATE when the file holds its LFP, as the chunks go by.
   */
  writeElectricalSeries(electrodes: Group, signal: SyntheticEphys): Int16Array | null {
    const { file, spec } = this;
    const [chunkFrames, chunkChannels] = spec.chunks;
    const { channels, frames, sampleRate } = spec.signal;
    if (chunkChannels > channels) throw new Error('chunk wider than the channel count');
    const acquisition = createGroup(file, 'acquisition');
    const series = createGroup(acquisition, 'ElectricalSeries');
    this.typed(series, 'ElectricalSeries', CORE, { comments: 'no comments', description: spec.sessionDescription });
    const lfp = spec.holds.includes('lfp') ? new Decimator(channels, sampleRate / LFP_RATE, frames) : null;

    const slab = new Int16Array(chunkFrames * channels);
    const first = Math.min(chunkFrames, frames);
    signal.fill(slab, first);
    lfp?.push(slab, first);
    const data = createDataset(series, {
      name: 'data',
      data: slab.subarray(0, first * channels),
      shape: [first, channels],
      maxshape: [null, channels],
      dtype: '<h',
      chunks: spec.chunks,
      compression: 'gzip',
      compression_opts: spec.gzipLevel,
    });
    data.resize([frames, channels]);
    for (let at = first; at < frames; at += chunkFrames) {
      const count = Math.min(chunkFrames, frames - at);
      signal.fill(slab, count);
      lfp?.push(slab, count);
      data.write_slice([[at, at + count], []], count === chunkFrames ? slab : slab.subarray(0, count * channels));
    }
    this.voltageScale(data);
    this.startingTime(series, sampleRate);
    this.electrodesRegion(series, electrodes);
    return lfp?.result() ?? null;
  }

  /** processing/ecephys/LFP/ElectricalSeries, as spikeinterface and neuroconv write it. */
  writeLfp(electrodes: Group, samples: Int16Array): void {
    const { file, spec } = this;
    const { channels } = spec.signal;
    const processing = file.get('processing') as Group;
    const ecephys = createGroup(processing, 'ecephys');
    this.typed(ecephys, 'ProcessingModule', CORE, { description: 'processed extracellular electrophysiology data' });
    const lfp = createGroup(ecephys, 'LFP');
    this.typed(lfp, 'LFP', CORE);
    const series = createGroup(lfp, 'ElectricalSeries');
    this.typed(series, 'ElectricalSeries', CORE, { comments: 'no comments', description: `local field potential, averaged to ${LFP_RATE} Hz` });
    const frames = samples.length / channels;
    const data = createDataset(series, {
      name: 'data',
      data: samples,
      shape: [frames, channels],
      dtype: '<h',
      chunks: [Math.min(frames, 4096), channels],
      compression: 'gzip',
      compression_opts: spec.gzipLevel,
    });
    this.voltageScale(data);
    this.startingTime(series, LFP_RATE);
    this.electrodesRegion(series, electrodes);
  }

  /** Stimulation pulses every few seconds, as ndx-events 0.2 keeps TTL pulses: an extension type. */
  writeEvents(): void {
    const { file, spec } = this;
    const seconds = spec.signal.frames / spec.signal.sampleRate;
    const pulses = Math.max(1, Math.floor(seconds / 2));
    const acquisition = file.get('acquisition') as Group;
    const ttls = createGroup(acquisition, 'StimulationPulses');
    this.typed(ttls, 'TTLs', 'ndx-events', { description: 'biphasic stimulation pulses sent to the chip, as TTLs from the stimulation unit' });
    const timestamps = createDataset(ttls, { name: 'timestamps', data: Float64Array.from({ length: pulses }, (_, i) => 0.5 + 2 * i), dtype: '<d' });
    timestamps.create_attribute('unit', 'seconds');
    setFloatAttribute(timestamps, 'resolution', 1 / spec.signal.sampleRate);
    createDataset(ttls, { name: 'data', data: Int32Array.from({ length: pulses }, () => 1), dtype: '<i' });
  }

  /** Trials of equal length over the recording, alternating the drug's condition with its control. */
  writeTrials(): void {
    const { file, spec } = this;
    const seconds = spec.signal.frames / spec.signal.sampleRate;
    const count = Math.max(1, Math.floor(seconds / TRIAL_SECONDS));
    const intervals = createGroup(file, 'intervals');
    const trials = createGroup(intervals, 'trials');
    this.typed(trials, 'TimeIntervals', CORE, { description: 'stimulation trials' });
    trials.create_attribute('colnames', ['start_time', 'stop_time', 'condition']);
    this.elementIds(trials, count);
    const start = Float64Array.from({ length: count }, (_, i) => i * TRIAL_SECONDS);
    this.vectorData(trials, 'start_time', start, 'Start time of epoch, in seconds', '<d');
    this.vectorData(
      trials,
      'stop_time',
      Float64Array.from(start, (t) => t + TRIAL_SECONDS * 0.8),
      'Stop time of epoch, in seconds',
      '<d',
    );
    this.vectorData(
      trials,
      'condition',
      Array.from({ length: count }, (_, i) => (i % 2 ? 'control' : 'stimulus')),
      'what the trial presented',
    );
  }

  /** GCaMP frames of the organoid while it was recorded: a small ImageSeries at IMAGE_RATE. */
  writeImages(): void {
    const { file, spec } = this;
    const seconds = spec.signal.frames / spec.signal.sampleRate;
    const frames = Math.max(1, Math.round(seconds * IMAGE_RATE));
    const rng = new Rng(`${spec.signal.seed}/images`);
    const pixels = new Uint8Array(frames * IMAGE_SIZE * IMAGE_SIZE);
    for (let f = 0; f < frames; f++) {
      const glow = 40 + 30 * Math.sin(f / 3);
      for (let y = 0; y < IMAGE_SIZE; y++) {
        for (let x = 0; x < IMAGE_SIZE; x++) {
          const r = Math.hypot(x - IMAGE_SIZE / 2, y - IMAGE_SIZE / 2) / (IMAGE_SIZE / 2);
          pixels[(f * IMAGE_SIZE + y) * IMAGE_SIZE + x] = Math.max(0, Math.min(255, Math.round((r < 0.8 ? 90 + glow : 20) + rng.range(-8, 8))));
        }
      }
    }
    const acquisition = file.get('acquisition') as Group;
    const series = createGroup(acquisition, 'GCaMP');
    this.typed(series, 'ImageSeries', CORE, { comments: 'no comments', description: 'GCaMP6s fluorescence, 470 nm excitation' });
    const data = createDataset(series, { name: 'data', data: pixels, shape: [frames, IMAGE_SIZE, IMAGE_SIZE], dtype: '<B' });
    setFloatAttribute(data, 'conversion', 1);
    data.create_attribute('unit', 'n.a.');
    this.startingTime(series, IMAGE_RATE);
  }

  writeUnits(signal: SyntheticEphys): void {
    const { file, spec } = this;
    const units = createGroup(file, 'units');
    const colnames = ['spike_times', 'KSLabel', 'Amplitude', 'ContamPct', 'fr', 'ch', 'depth', 'n_spikes'];
    if (spec.holds.includes('waveforms')) colnames.push('waveform_mean');
    this.typed(units, 'Units', CORE, { description: 'Kilosort2 output, curated in phy' });
    units.create_attribute('colnames', colnames);
    const all = signal.units;
    this.elementIds(units, all.length);

    const total = all.reduce((n, u) => n + u.spikeFrames.length, 0);
    const times = new Float64Array(total);
    const index = new Uint32Array(all.length);
    let at = 0;
    for (const [i, unit] of all.entries()) {
      for (const frame of unit.spikeFrames) times[at++] = frame / spec.signal.sampleRate;
      index[i] = at;
    }
    const spikeTimes = this.vectorData(units, 'spike_times', times, 'the spike times for each unit in seconds', '<d');
    setFloatAttribute(spikeTimes, 'resolution', 1 / spec.signal.sampleRate);
    const spikeIndex = createDataset(units, { name: 'spike_times_index', data: index, dtype: '<I' });
    this.typed(spikeIndex, 'VectorIndex', COMMON, { description: "Index for VectorData 'spike_times'" });
    spikeIndex.create_attribute('target', spikeTimes.create_reference(), []);

    const contamination = new Rng(`${spec.signal.seed}/contamination`);
    const seconds = spec.signal.frames / spec.signal.sampleRate;
    this.vectorData(
      units,
      'KSLabel',
      all.map((u) => u.label),
      'Kilosort label: good or mua',
    );
    this.vectorData(
      units,
      'Amplitude',
      Float64Array.from(all, (u) => Math.round(u.amplitudeUv * 10) / 10),
      'template amplitude, µV',
      '<d',
    );
    this.vectorData(
      units,
      'ContamPct',
      Float64Array.from(all, (u) => (u.label === 'good' ? contamination.range(0, 8) : contamination.range(10, 60))),
      'estimated contamination, %',
      '<d',
    );
    this.vectorData(
      units,
      'fr',
      Float64Array.from(all, (u) => u.spikeFrames.length / seconds),
      'firing rate, Hz',
      '<d',
    );
    this.vectorData(
      units,
      'ch',
      Int32Array.from(all, (u) => u.channel),
      'peak channel',
      '<i',
    );
    this.vectorData(
      units,
      'depth',
      Float64Array.from(all, (u) => u.channel * spec.pitchUm),
      'depth of the peak channel along the probe, µm',
      '<d',
    );
    this.vectorData(
      units,
      'n_spikes',
      Int32Array.from(all, (u) => u.spikeFrames.length),
      'number of spikes',
      '<i',
    );
    if (spec.holds.includes('waveforms')) {
      const shape = waveform(spec.signal.sampleRate);
      const means = new Float32Array(all.length * shape.length);
      for (const [i, u] of all.entries())
        means.set(
          shape.map((v) => v * u.amplitudeUv),
          i * shape.length,
        );
      const dataset = createDataset(units, { name: 'waveform_mean', data: means, shape: [all.length, shape.length], dtype: '<f' });
      this.typed(dataset, 'VectorData', COMMON, { description: 'the spike waveform mean for each spike unit, in µV' });
      setFloatAttribute(dataset, 'sampling_rate', spec.signal.sampleRate);
      dataset.create_attribute('unit', 'microvolts');
    }
  }
}

/** Averages each run of `factor` frames, channel by channel, as slabs of frames go by. */
class Decimator {
  private readonly out: Int16Array;
  private readonly sums: Float64Array;
  private inRun = 0;
  private written = 0;
  constructor(
    private readonly channels: number,
    private readonly factor: number,
    frames: number,
  ) {
    this.out = new Int16Array(Math.floor(frames / factor) * channels);
    this.sums = new Float64Array(channels);
  }
  push(slab: Int16Array, count: number): void {
    for (let t = 0; t < count; t++) {
      for (let c = 0; c < this.channels; c++) this.sums[c]! += slab[t * this.channels + c]!;
      if (++this.inRun < this.factor) continue;
      if (this.written < this.out.length)
        for (let c = 0; c < this.channels; c++) this.out[this.written + c] = Math.round(this.sums[c]! / this.factor);
      this.written += this.channels;
      this.sums.fill(0);
      this.inRun = 0;
    }
  }
  result(): Int16Array {
    return this.out;
  }
}

/** Writes the whole file at `path` (overwriting it). */
export async function writeNwb(path: string, spec: NwbSpec, fixedTime: number): Promise<void> {
  await writeH5File(path, { fixedTime }, (file) => {
    const builder = new NwbBuilder(file, spec);
    const signal = new SyntheticEphys(spec.signal);
    builder.writeRoot();
    const [ecephys, electrodeGroup] = builder.writeGeneral();
    const electrodes = builder.writeElectrodes(ecephys, electrodeGroup);
    const lfp = builder.writeElectricalSeries(electrodes, signal);
    if (lfp) builder.writeLfp(electrodes, lfp);
    if (spec.holds.includes('events')) builder.writeEvents();
    if (spec.holds.includes('images')) builder.writeImages();
    builder.writeUnits(signal);
    if (spec.holds.includes('trials')) builder.writeTrials();
  });
}
