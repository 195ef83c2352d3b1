/**
 * Many small, realistic experiments for tests and benchmarks (the demo bucket is the hand-shaped one).
 * Deterministic: the same arguments give the same keys and bytes.
 */

import { seededRandom } from './seeded-random';

const PREFIXES = [
  ['ephys', 'e'],
  ['ephys', 'e'],
  ['ephys', 'e'],
  ['fluidics', 'f'],
  ['imaging', 'i'],
  ['integrated', 'efi'],
  ['archive', 'e'],
] as const;
const CELL_LINES = ['hc328', 'e14', 'H9', 'KOLF2.1J', 'L1', 'WTC11'];
const DRUGS = ['GABA', 'bicuculline', 'TTX', '4-AP', 'baseline', 'unperturbed'];
const SPECIES = ['human', 'mouse'];
const SAMPLE_TYPES = ['organoid', 'slice', '2D culture'];

export interface SyntheticOptions {
  experiments: number;
  /** Objects per experiment, metadata.json included. */
  filesPerExperiment: number;
  seed?: number;
}

export function syntheticBucketObjects(options: SyntheticOptions): Map<string, string> {
  const next = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const objects = new Map<string, string>();
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < options.experiments; i++) {
    const [prefix, letters] = pick(PREFIXES);
    const date = new Date(start + Math.floor(next() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
    const cellLine = pick(CELL_LINES);
    const drug = pick(DRUGS);
    const chip = 10000 + Math.floor(next() * 30000);
    const uuid = `${date}-${letters}-${cellLine.toLowerCase()}_${drug.toLowerCase()}_${String(i).padStart(5, '0')}`;
    const path = `${prefix}/${uuid}`;
    const recording = `Trace_${date.replaceAll('-', '')}_${drug}_${chip}`;
    objects.set(
      `${path}/metadata.json`,
      JSON.stringify({
        uuid,
        timestamp: `${date}T12:00:00`,
        hardware: 'Maxwell',
        maxwell_chip_id: String(chip),
        notes: {
          purpose: `${drug} response of ${cellLine} ${pick(SAMPLE_TYPES)}s, chip ${chip}`,
          biology: { species: pick(SPECIES), sample_type: pick(SAMPLE_TYPES), cell_line: cellLine },
        },
        ephys_experiments: {
          [recording]: {
            name: recording,
            num_channels: 512 + Math.floor(next() * 512),
            sample_rate: 20000,
            blocks: [{ num_frames: 6_000_000, path: `shared/${recording}.nwb` }],
          },
        },
      }),
    );
    const files = [
      `shared/${recording}.nwb`,
      `original/data/${recording}.raw.h5`,
      `original/log/${recording}.csv`,
      `derived/kilosort2/${recording}_phy.zip`,
      `derived/kilosort2/${recording}_acqm.zip`,
      `derived/kilosort2/${recording}_figure.zip`,
    ];
    for (let f = 1; f < options.filesPerExperiment; f++) {
      const name = files[f - 1] ?? `derived/extra/part_${f}.bin`;
      objects.set(`${path}/${name}`, `${uuid}:${name}`);
    }
  }
  return objects;
}
