import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm/node';
import { describe, expect, it } from 'vitest';
import { fixturePath, nwbFixture } from '../test/support/fixtures';
import { hugeSeriesFile, HUGE_SERIES } from '../test/support/huge-series';
import { UNSUPPORTED_FILTER_ID, unsupportedFilterFile } from '../test/support/unsupported-filter';
import { buildHdf5Manifest } from './hdf5-manifest';

/**
 * Summaries of real NWB files (pynwb's and DANDI's), checked against what h5wasm reads from the same files
 * directly, object by object: the summary comes from the manifest's walk over fetched ranges, this from
 * the file on disk.
 */

const fetchFrom = (file: Uint8Array) => async (start: number, end: number) => file.slice(start, end + 1);

async function summaryOf(bytes: Uint8Array) {
  const result = await buildHdf5Manifest(bytes.length, { fetchRange: fetchFrom(bytes) });
  if (result.status !== 'built') throw new Error(`not built: ${JSON.stringify(result)}`);
  return result;
}

async function onDisk<T>(name: 'ecephys-kilosort-gzip.nwb' | 'units-trials-dandi000009.nwb', read: (file: H5File) => T): Promise<T> {
  await h5wasm.ready;
  const file = new h5wasm.File(fixturePath('nwb', name), 'r');
  try {
    return read(file);
  } finally {
    file.close();
  }
}

const length = (file: H5File, path: string) => (file.get(path) as Dataset).shape![0];

/** Every neurodata_type in the file outside /specifications, by an independent walk. */
function typesOf(file: H5File): string[] {
  const found: string[] = [];
  const visit = (group: Group) => {
    for (const name of group.keys()) {
      const child = group.get(name);
      if (!(child instanceof Group || child instanceof Dataset) || child.path.startsWith('/specifications')) continue;
      const type = child.attrs.neurodata_type?.json_value;
      if (typeof type === 'string') found.push(`${child.path} ${type}`);
      if (child instanceof Group) visit(child);
    }
  };
  found.push(`/ ${file.attrs.neurodata_type!.json_value}`);
  visit(file);
  return found.sort();
}

describe('HDF5 summaries', () => {
  it('of the pynwb-written ecephys file: its series, units, spikes, electrodes and every typed object', async () => {
    const { summary } = await summaryOf(new Uint8Array(nwbFixture('ecephys-kilosort-gzip.nwb')));
    const expected = await onDisk('ecephys-kilosort-gzip.nwb', (file) => ({
      types: typesOf(file),
      units: length(file, '/units/id'),
      spikes: length(file, '/units/spike_times'),
      electrodes: length(file, '/general/extracellular_ephys/electrodes/id'),
      shape: (file.get('/acquisition/ElectricalSeries/data') as Dataset).shape,
      rate: (file.get('/acquisition/ElectricalSeries/starting_time') as Dataset).attrs.rate!.json_value,
      version: file.attrs.nwb_version!.json_value,
      lab: (file.get('/general/lab') as Dataset).json_value,
    }));
    expect(summary.format).toBe('nwb');
    expect(summary.neurodataTypes.map((t) => `${t.path} ${t.type}`).sort()).toEqual(expected.types);
    expect(summary.nwb).toMatchObject({
      version: expected.version,
      lab: expected.lab,
      units: expected.units,
      spikes: expected.spikes,
      electrodes: expected.electrodes,
      trials: null,
    });
    expect(summary.series).toEqual([
      expect.objectContaining({
        path: '/acquisition/ElectricalSeries',
        type: 'ElectricalSeries',
        shape: expected.shape,
        rate: expected.rate,
        unit: 'volts',
        conversion: 1e-6,
        decodable: true,
      }),
    ]);
    expect(summary.series[0]!.seconds).toBeCloseTo(expected.shape![0]! / (expected.rate as number));
    expect(summary.series[0]!.filters.map((f) => f.id)).toEqual([1]);
    expect(summary.neurodataTypes.find((t) => t.type === 'DynamicTable')!.namespace).toBe('hdmf-common');
  });

  it("of DANDI 000009's file: session, subject, keywords, trials and intervals", async () => {
    const { summary } = await summaryOf(new Uint8Array(nwbFixture('units-trials-dandi000009.nwb')));
    const expected = await onDisk('units-trials-dandi000009.nwb', (file) => ({
      types: typesOf(file),
      trials: length(file, '/intervals/trials/id'),
      units: length(file, '/units/id'),
      spikes: length(file, '/units/spike_times'),
      keywords: (file.get('/general/keywords') as Dataset).json_value,
      species: (file.get('/general/subject/species') as Dataset).json_value,
      description: (file.get('/session_description') as Dataset).json_value,
    }));
    expect(summary.neurodataTypes.map((t) => `${t.path} ${t.type}`).sort()).toEqual(expected.types);
    expect(summary.nwb).toMatchObject({
      version: '2.1.0',
      trials: expected.trials,
      units: expected.units,
      spikes: expected.spikes,
      keywords: expected.keywords,
      sessionDescription: expected.description,
      subject: { species: expected.species, sex: 'M', genotype: 'Ai32 x PV-Cre' },
      experimenter: ['Zengcai Guo'],
      intervals: [{ name: 'trials', count: expected.trials }],
    });
    expect(summary.nwb!.devices.map((d) => d.name).sort()).toEqual(['ADunit', 'laser']);
    expect(summary.nwb!.electrodeGroups[0]!.location).toMatch(/^brain_region: Thalamus/);
    expect(summary.series).toEqual([]);
  });

  it('is the same from the stored manifest, without a read past it', async () => {
    const bytes = new Uint8Array(nwbFixture('units-trials-dandi000009.nwb'));
    const built = await summaryOf(bytes);
    const again = await buildHdf5Manifest(bytes.length, { stored: built.manifest });
    expect(again).toMatchObject({ status: 'built', fetches: 0, summary: built.summary });
  });

  it('names a filter the browser cannot decode, and a series of 12.8 GB by its shape and length', async () => {
    const filtered = await summaryOf(new Uint8Array(await unsupportedFilterFile()));
    expect(filtered.summary.series[0]).toMatchObject({ decodable: false, filters: [expect.objectContaining({ id: UNSUPPORTED_FILTER_ID })] });
    expect(filtered.summary.largest[0]).toMatchObject({ path: '/acquisition/ElectricalSeries/data', decodable: false });
    const huge = await summaryOf(new Uint8Array(await hugeSeriesFile()));
    expect(huge.summary.format).toBe('hdf5');
    expect(huge.summary.series[0]).toMatchObject({
      shape: [HUGE_SERIES.frames, HUGE_SERIES.channels],
      rate: HUGE_SERIES.rate,
      seconds: HUGE_SERIES.frames / HUGE_SERIES.rate,
    });
    expect(huge.summary.largest[0]!.bytes).toBe(HUGE_SERIES.frames * HUGE_SERIES.channels * 2);
  });
});
