/**
 * Writes an NWB 2.x extracellular recording the way pynwb/neuroconv lay it out: an
 * `/acquisition/ElectricalSeries` (int16, time × channels, chunked + gzip), the electrodes
 * DynamicTable it points into, and a Kilosort-style `/units` table with ragged spike times.
 *
 * Not written: the cached schema under `/specifications` (and the `.specloc` attribute), which
 * pynwb adds but no reader needs when the core schema is installed.
 */
import { SyntheticEphys, type SignalSpec } from './ephys-signal';
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
}

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

  /** Writes the signal chunk by chunk: the dataset grows by one chunk row at a time. */
  writeElectricalSeries(electrodes: Group, signal: SyntheticEphys): Dataset {
    const { file, spec } = this;
    const [chunkFrames, chunkChannels] = spec.chunks;
    const { channels, frames, sampleRate, conversion } = spec.signal;
    if (chunkChannels > channels) throw new Error('chunk wider than the channel count');
    const acquisition = createGroup(file, 'acquisition');
    const series = createGroup(acquisition, 'ElectricalSeries');
    this.typed(series, 'ElectricalSeries', CORE, { comments: 'no comments', description: spec.sessionDescription });

    const slab = new Int16Array(chunkFrames * channels);
    const first = Math.min(chunkFrames, frames);
    signal.fill(slab, first);
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
      data.write_slice([[at, at + count], []], count === chunkFrames ? slab : slab.subarray(0, count * channels));
    }
    setFloatAttribute(data, 'conversion', conversion);
    setFloatAttribute(data, 'offset', 0);
    setFloatAttribute(data, 'resolution', -1);
    data.create_attribute('unit', 'volts');

    const start = createDataset(series, { name: 'starting_time', data: 0, dtype: '<d', shape: [] });
    setFloatAttribute(start, 'rate', sampleRate);
    start.create_attribute('unit', 'seconds');

    const region = createDataset(series, { name: 'electrodes', data: BigInt64Array.from({ length: channels }, (_, i) => BigInt(i)), dtype: '<q' });
    this.typed(region, 'DynamicTableRegion', COMMON, { description: 'electrode_table_region' });
    region.create_attribute('table', electrodes.create_reference(), []);
    return data;
  }

  writeUnits(signal: SyntheticEphys): void {
    const { file, spec } = this;
    const units = createGroup(file, 'units');
    const colnames = ['spike_times', 'KSLabel', 'Amplitude', 'ContamPct', 'fr', 'ch', 'depth', 'n_spikes'];
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
    builder.writeElectricalSeries(electrodes, signal);
    builder.writeUnits(signal);
  });
}
