import { metadataFixture } from './fixtures';

const small = (text: string) => new TextEncoder().encode(text);

/** Experiments in every metadata shape the crawler must handle, keyed by path. */
export const SHAPES = {
  maxwellOld: 'ephys/2023-08-12-e-GABA_v0',
  maxwellNwb: 'ephys/2023-08-14-e-GABA_v0_nwb',
  mearec: 'ephys/2023-08-29-e-mearec-6cells-tetrode',
  listStyle: 'ephys/2021-03-04-e-slice_bicuculline',
  commentsObject: 'integrated/2024-06-01-efi-hc328_feeding',
  manifestOnly: 'imaging/2024-02-02-i-brightfield_timelapse',
  noMetadata: 'fluidics/2022-11-11-f-pump_calibration',
} as const;

/** Broken metadata.json files, each of which must become an error on an experiment that is still indexed. */
export const BROKEN = {
  invalidJson: 'ephys/2020-01-01-e-broken_invalid_json',
  bom: 'ephys/2020-01-02-e-broken_bom',
  notObject: 'ephys/2020-01-03-e-broken_array',
  binary: 'ephys/2020-01-04-e-broken_binary',
  tooLarge: 'ephys/2020-01-05-e-broken_too_large',
} as const;

export const MANY_FILES = 'archive/2019-07-07-e-many_files';
export const MANY_FILES_COUNT = 1_234;

export function fixtureBucketObjects(): Record<string, string | Uint8Array> {
  const objects: Record<string, string | Uint8Array> = {
    [`${SHAPES.maxwellOld}/metadata.json`]: metadataFixture('maxwell-old.json'),
    [`${SHAPES.maxwellOld}/original/data/data_GABA_BL_20325.raw.h5`]: small('raw'),
    [`${SHAPES.maxwellOld}/original/log/data_GABA_BL_20325.csv`]: 'time,event\n0,start\n',
    [`${SHAPES.maxwellOld}/derived/kilosort2/data_GABA_BL_20325_phy.zip`]: small('zip'),
    [`${SHAPES.maxwellNwb}/metadata.json`]: metadataFixture('maxwell-nwb.json'),
    [`${SHAPES.maxwellNwb}/shared/data_GABA_BL_20325.nwb`]: small('nwb'),
    [`${SHAPES.mearec}/metadata.json`]: metadataFixture('mearec-tetrode.json'),
    [`${SHAPES.mearec}/original/data/recordings_6cells_tetrode_30.0_10.0uV.h5`]: small('h5'),
    [`${SHAPES.listStyle}/metadata.json`]: JSON.stringify({
      uuid: '2021-03-04-e-slice_bicuculline',
      timestamp: '2021-03-04T10:00:00',
      notes: 'Acute slice, bicuculline wash-in at minute 10',
      automated_feeding: 'False',
      ephys_experiments: [
        {
          name: 'slice1_baseline',
          hardware: 'Intan',
          num_channels: 32,
          sample_rate: 30000,
          blocks: [{ num_frames: 900000, path: 'original/data/slice1.rhd' }],
        },
        { name: 'slice1_bicuculline', hardware: 'Intan', num_channels: 32, sample_rate: 30000 },
      ],
    }),
    [`${SHAPES.listStyle}/original/data/slice1.rhd`]: small('rhd'),
    [`${SHAPES.commentsObject}/metadata.json`]: JSON.stringify({
      uuid: '2024-06-01-efi-hc328_feeding',
      timestamp: '',
      hardware: 'Maxwell',
      notes: {
        comments: { purpose: 'closed-loop feeding of hc328 organoids', author: 'lab' },
        biology: { species: 'Human', sample_type: 'organoid', cell_line: 'hc328' },
        stimulation: { optogenetic: 'False', electrical: 'True' },
      },
      ephys_experiments: { feed1: { name: 'feed1', num_channels: 1024, sample_rate: 20000 } },
    }),
    [`${SHAPES.commentsObject}/shared/feed1.nwb`]: small('nwb'),
    [`${SHAPES.manifestOnly}/images/manifest.json`]: JSON.stringify({
      captures: [{ camera: 'cam0', plate: 'P12', channel: 'brightfield', files: ['images/cam0_0001.jpg'] }],
    }),
    [`${SHAPES.manifestOnly}/images/cam0_0001.jpg`]: small('jpg'),
    [`${SHAPES.noMetadata}/pump_log.csv`]: 'ts,flow\n0,1.5\n',
    [`${SHAPES.noMetadata}/NOBACKUP`]: '',
    [`${BROKEN.invalidJson}/metadata.json`]: '{"uuid": "2020-01-01-e-broken_invalid_json", "notes": {',
    [`${BROKEN.bom}/metadata.json`]: new Uint8Array([0xef, 0xbb, 0xbf, ...small('{"uuid": "x"}')]),
    [`${BROKEN.notObject}/metadata.json`]: '["not", "an", "object"]',
    [`${BROKEN.binary}/metadata.json`]: new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
    [`${BROKEN.tooLarge}/metadata.json`]: `{"pad": "${'x'.repeat(10 * 1024 * 1024 + 16)}"}`,
    'ephys/README.txt': 'a loose file directly under a prefix is not an experiment',
  };
  for (const path of Object.values(BROKEN)) objects[`${path}/original/data/rec.raw.h5`] = small('raw');
  objects[`${MANY_FILES}/metadata.json`] = JSON.stringify({ notes: { purpose: 'an experiment with more files than one listing page' } });
  for (let i = 1; i < MANY_FILES_COUNT; i++) {
    objects[`${MANY_FILES}/original/data/chunk_${String(i).padStart(5, '0')}.bin`] = small(String(i));
  }
  return objects;
}
