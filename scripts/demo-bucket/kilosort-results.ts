/**
 * derived/kilosort2/<recording>_phy.zip, _acqm.zip and _figure.zip: the phy folder Kilosort2
 * writes, the lab's auto-curated subset with its quality-metric thresholds, and summary figures.
 * For long recordings only the first minute of spikes is kept, to keep the demo small.
 */
import type { SimulatedUnit } from './ephys-signal';
import { npy } from './npy';
import { greyscalePng } from './png';
import { zip } from './zip';

const KEPT_SECONDS = 60;

interface Sorted {
  times: BigInt64Array;
  clusters: Int32Array;
}

function merge(units: SimulatedUnit[], maxFrame: number): Sorted {
  const spikes = units
    .flatMap((u) =>
      Array.from(u.spikeFrames)
        .filter((f) => f < maxFrame)
        .map((f) => [f, u.id] as const),
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { times: BigInt64Array.from(spikes, (s) => BigInt(s[0])), clusters: Int32Array.from(spikes, (s) => s[1]) };
}

function clusterInfo(units: SimulatedUnit[], seconds: number, pitchUm: number): string {
  const rows = ['cluster_id\tAmplitude\tContamPct\tKSLabel\tamp\tch\tdepth\tfr\tgroup\tn_spikes'];
  for (const u of units) {
    const n = u.spikeFrames.length;
    const contamination = u.label === 'good' ? (u.id * 7) % 9 : 20 + ((u.id * 13) % 60);
    rows.push(
      [
        u.id,
        (u.amplitudeUv * 0.6).toFixed(1),
        contamination.toFixed(1),
        u.label,
        u.amplitudeUv.toFixed(2),
        u.channel,
        u.channel * pitchUm,
        (n / seconds).toFixed(4),
        u.label,
        n,
      ].join('\t'),
    );
  }
  return `${rows.join('\n')}\n`;
}

/** One row per unit, one column per 50 ms bin: darker where the unit fired. */
function rasterPng(units: SimulatedUnit[], sampleRate: number, seconds: number): Buffer {
  const width = Math.max(40, Math.min(600, Math.round(seconds * 20)));
  const rowHeight = 4;
  const height = Math.max(1, units.length) * rowHeight;
  const pixels = new Uint8Array(width * height).fill(255);
  for (const [row, u] of units.entries()) {
    for (const frame of u.spikeFrames) {
      const x = Math.floor((frame / sampleRate / seconds) * width);
      if (x >= width) continue;
      for (let y = row * rowHeight; y < row * rowHeight + rowHeight - 1; y++)
        pixels[y * width + x] = Math.max(0, (pixels[y * width + x] ?? 255) - 110);
    }
  }
  return greyscalePng(width, height, pixels);
}

export interface KilosortInput {
  recording: string;
  units: SimulatedUnit[];
  channels: number;
  sampleRate: number;
  frames: number;
  pitchUm: number;
  modified: Date;
}

export function kilosortZips(input: KilosortInput): Record<'phy' | 'acqm' | 'figure', Buffer> {
  const { units, sampleRate, channels, modified } = input;
  const maxFrame = Math.min(input.frames, KEPT_SECONDS * sampleRate);
  const seconds = maxFrame / sampleRate;
  const kept = units.map((u) => ({ ...u, spikeFrames: u.spikeFrames.filter((f) => f < maxFrame) }));
  const all = merge(kept, maxFrame);
  const params = [
    `dat_path = '${input.recording}.dat'`,
    `n_channels_dat = ${channels}`,
    `dtype = 'int16'`,
    'offset = 0',
    `sample_rate = ${sampleRate.toFixed(1)}`,
    'hp_filtered = True',
    '',
  ].join('\n');
  const phy = zip(
    [
      { name: 'params.py', data: params },
      { name: 'spike_times.npy', data: npy(all.times) },
      { name: 'spike_clusters.npy', data: npy(all.clusters) },
      { name: 'channel_map.npy', data: npy(Int32Array.from({ length: channels }, (_, i) => i)) },
      { name: 'cluster_info.tsv', data: clusterInfo(kept, seconds, input.pitchUm) },
      { name: 'cluster_group.tsv', data: `${['cluster_id\tgroup', ...kept.map((u) => `${u.id}\t${u.label}`)].join('\n')}\n` },
    ],
    modified,
  );
  const good = kept.filter((u) => u.label === 'good');
  const curated = merge(good, maxFrame);
  const thresholds = { min_snr: 5, min_fr: 0.1, max_isi_viol: 0.2, min_spikes: 10, curated_units: good.length, total_units: kept.length };
  const acqm = zip(
    [
      { name: 'qm.json', data: `${JSON.stringify(thresholds, null, 2)}\n` },
      { name: 'spike_times.npy', data: npy(curated.times) },
      { name: 'spike_clusters.npy', data: npy(curated.clusters) },
      { name: 'cluster_info.tsv', data: clusterInfo(good, seconds, input.pitchUm) },
    ],
    modified,
  );
  const figure = zip(
    [
      { name: 'raster.png', data: rasterPng(kept, sampleRate, seconds) },
      { name: 'summary.txt', data: `${input.recording}: ${kept.length} units (${good.length} good) over ${seconds.toFixed(1)} s\n` },
    ],
    modified,
  );
  return { phy, acqm, figure };
}
