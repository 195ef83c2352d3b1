import { describe, expect, it } from 'vitest';
import type { Hdf5Summary, SeriesSummary } from '../../contracts/hdf5-summary';
import { formatLength } from '../format';
import { describeFile, describeHoldings, mainSeries } from './describe';
import { recordingFacts } from './facts';
import { disagreements } from './reconcile';

const series = (path: string, type: string, shape: number[], rate: number | null, extra: Partial<SeriesSummary> = {}): SeriesSummary => ({
  path,
  type,
  shape,
  dtype: '<i2',
  rate,
  timestamps: null,
  start: 0,
  seconds: rate ? shape[0]! / rate : null,
  unit: 'volts',
  conversion: 1,
  filters: [],
  decodable: true,
  ...extra,
});

const nwb = (over: Partial<Hdf5Summary> = {}, counts: { units?: number; spikes?: number; trials?: number } = {}): Hdf5Summary => ({
  format: 'nwb',
  nwb: {
    version: '2.6.0',
    identifier: 'id-1',
    sessionDescription: 'baseline of H9 organoids',
    sessionStartTime: null,
    experimenter: ['Ash'],
    lab: 'Braingeneers',
    institution: 'UCSC',
    keywords: ['organoid'],
    experimentDescription: null,
    subject: { species: 'Homo sapiens', age: null, sex: null, genotype: null, strain: null },
    devices: [{ name: 'MaxOne', description: 'HD-MEA' }],
    electrodeGroups: [{ name: 'chip1', location: 'organoid' }],
    electrodes: 1024,
    units: counts.units ?? null,
    spikes: counts.spikes ?? null,
    trials: counts.trials ?? null,
    intervals: [],
  },
  neurodataTypes: [],
  series: [],
  tree: { groups: 10, datasets: 20 },
  largest: [],
  problems: [],
  ...over,
});

// 62 minutes at 20 kHz over 1,024 channels, and its LFP at 1 kHz.
const RECORDING = series('/acquisition/ElectricalSeries', 'ElectricalSeries', [62 * 60 * 20000, 1024], 20000);
const LFP = series('/processing/ecephys/LFP/ElectricalSeries', 'ElectricalSeries', [62 * 60 * 1000, 1024], 1000);

describe('describeFile', () => {
  it('leads with the recording, then LFP, units, trials, images and extension types', () => {
    const summary = nwb(
      {
        series: [LFP, series('/acquisition/GCaMP', 'ImageSeries', [600, 64, 48], 10), RECORDING],
        neurodataTypes: [
          { path: '/processing/ecephys/LFP', type: 'LFP', namespace: 'core' },
          { path: '/units/id', type: 'ElementIdentifiers', namespace: 'hdmf-common' },
          { path: '/acquisition/StimulationPulses', type: 'TTLs', namespace: 'ndx-events' },
        ],
      },
      { units: 312, spikes: 90_000, trials: 40 },
    );
    expect(mainSeries(summary)).toBe(RECORDING);
    expect(describeFile(summary)).toBe(
      'ElectricalSeries 1,024 ch × 62 min @ 20 kHz · LFP · 312 units · 40 trials · ImageSeries 64 × 48 px × 60 s @ 10 Hz · TTLs (ndx-events)',
    );
  });

  it('names a plain HDF5 file by its largest dataset, and a filter no browser decodes', () => {
    const raw: Hdf5Summary = {
      ...nwb(),
      format: 'hdf5',
      nwb: null,
      largest: [
        {
          path: '/sig',
          shape: [1028, 1_200_000],
          dtype: '<u2',
          bytes: 2 * 1028 * 1_200_000,
          filters: [{ id: 32020, name: 'maxwell' }],
          decodable: false,
        },
      ],
    };
    expect(describeFile(raw)).toBe('HDF5: /sig 1,028 × 1,200,000 <u2 · maxwell (filter 32020): not viewable in a browser');
    expect(describeFile({ ...raw, largest: [] })).toBe('HDF5, no datasets');
  });

  it('counts no channels for series that are not electrodes', () => {
    const position = series('/processing/behavior/Position', 'SpatialSeries', [36_000, 2], 30);
    expect(describeFile(nwb({ series: [position] }))).toBe('SpatialSeries 20 min @ 30 Hz');
    expect(recordingFacts([nwb({ series: [position] })]).maxChannels).toBeNull();
  });
});

describe('describeHoldings', () => {
  it('says how many files, the most channels, the longest recording and the units', () => {
    const facts = recordingFacts([
      nwb({ series: [RECORDING] }, { units: 300 }),
      nwb({ series: [LFP] }, { units: 12 }),
      { ...nwb(), format: 'hdf5', nwb: null },
    ]);
    expect(describeHoldings(facts)).toBe('2 NWB files · 1 HDF5 file · 1,024 ch · 62 min · 312 units');
    expect(describeHoldings(recordingFacts([]))).toBeNull();
  });
});

describe('formatLength', () => {
  it('picks one unit', () => {
    expect([0.02, 0.5, 1, 72, 62 * 60, 5.2 * 3600].map(formatLength)).toEqual(['20 ms', '0.5 s', '1 s', '72 s', '62 min', '5.2 h']);
  });
});

describe('disagreements', () => {
  const block = { path: 'shared/a.nwb', frames: 20000 * 60, seconds: 60 };
  const recording = { name: 'a', sampleRate: 20000, channels: 1024, blocks: [block], seconds: 60 };

  it('flags a rate, a channel count and a length the file does not have', () => {
    const halfRate = series('/acquisition/ElectricalSeries', 'ElectricalSeries', [10000 * 60, 512], 10000);
    expect(disagreements(recording, block, nwb({ series: [halfRate] }))).toEqual([
      'metadata lists 20 kHz, the file records at 10 kHz',
      'metadata lists 1,024 channels, the file has 512',
    ]);
    const shorter = series('/acquisition/ElectricalSeries', 'ElectricalSeries', [20000 * 30, 1024], 20000);
    expect(disagreements(recording, block, nwb({ series: [shorter] }))).toEqual(['metadata makes it 60 s long, the file 30 s']);
  });

  it('accepts what agrees within a percent, and files without a recording', () => {
    const close = series('/acquisition/ElectricalSeries', 'ElectricalSeries', [20000 * 60, 1024], 19999.6);
    expect(disagreements(recording, block, nwb({ series: [close] }))).toEqual([]);
    expect(disagreements(recording, block, nwb())).toEqual([]);
  });
});
