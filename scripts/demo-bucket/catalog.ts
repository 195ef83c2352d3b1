/**
 * The experiments of the demo bucket, one row each. Rows are written by hand so that uuids read
 * like the lab's; everything finer (chips, times, channel counts…) is drawn from a seeded PRNG.
 */
import { Rng } from './prng';
import type { CellLineKey, DrugKey, SampleType } from './vocabulary';

export type Prefix = 'archive' | 'ephys' | 'fluidics' | 'imaging' | 'integrated';

/** The layout of an experiment's metadata, one per shape the crawler must handle. */
export type Shape =
  | 'maxwell-old' // hardware per recording, malformed "2023-08-12 T15:01:19;" timestamps, raw.h5 blocks
  | 'maxwell-nwb' // hardware at top level, blocks point at shared/*.nwb
  | 'mearec' // notes a plain string, block paths full s3:// URIs
  | 'string-booleans' // "False"/"True" instead of JSON booleans
  | 'comments-object' // notes.comments is an object
  | 'ephys-list' // ephys_experiments is a list (older files)
  | 'empty-timestamp' // timestamp "" everywhere
  | 'axion' // Axion well plate, .raw files
  | 'intan-nwb' // Intan headstage, NWB layout
  | 'fluidics'
  | 'imaging'
  | 'integrated'
  | 'manifest-only' // imaging with images/manifest.json and no metadata.json
  | 'no-metadata'; // only data files

/** Ways a metadata.json is broken in the wild; such files are listed in DEMO_BROKEN_KEYS. */
export type Breakage = 'truncated' | 'python-nan' | 'empty' | 'bom';

/** Size class of the NWB files in shared/: `large` is the ≥100 MB one. */
export type NwbSize = 'large' | 'medium' | 'tiny';

/**
 * What an experiment's NWB files hold beyond the recording and its units table: `lfp` (a 1 kHz
 * ElectricalSeries in processing/ecephys/LFP), `waveforms` (the units' mean waveforms), `trials`
 * (a TimeIntervals table), `events` (stimulation pulses as ndx-events TTLs, an extension type),
 * `images` (calcium imaging frames as an ImageSeries), `downsampled` (recorded at 10 kHz while the
 * metadata lists 20 kHz, as happens when a file is decimated before conversion).
 */
export type NwbHolding = 'lfp' | 'waveforms' | 'trials' | 'events' | 'images' | 'downsampled';

export interface ExperimentRow {
  prefix: Prefix;
  uuid: string;
  shape: Shape;
  line: CellLineKey;
  sample: SampleType;
  drug?: DrugKey;
  recordings?: number;
  nobackup?: boolean;
  broken?: Breakage;
  nwb?: NwbSize;
  nwbHolds?: readonly NwbHolding[];
  /** `notes` is a plain string (older and simulated uploads) instead of an object. */
  notesAsString?: boolean;
  /** Written by hand where a template would not fit the experiment. */
  purpose?: string;
}

export interface Experiment extends ExperimentRow {
  date: string;
  /** The letters after the date: e, f, i or a combination. */
  letters: string;
  descriptor: string;
  recordings: number;
  /** A fresh generator per label, so results never depend on what was generated before. */
  rng(label: string): Rng;
  key(path: string): string;
}

type Row = [Prefix, string, Shape, CellLineKey, SampleType, Partial<ExperimentRow>?];

const ROWS: Row[] = [
  ['ephys', '2023-04-02-e-hc328_unperturbed', 'maxwell-old', 'hc328', 'organoid', { recordings: 3 }],
  ['ephys', '2022-11-09-e-H9_bicuculline_dose', 'maxwell-old', 'H9', 'organoid', { drug: 'bicuculline', recordings: 4 }],
  ['ephys', '2023-02-21-e-KOLF2.1J_d120_baseline', 'maxwell-old', 'KOLF', 'organoid'],
  ['ephys', '2022-06-30-e-e14_TTX_silencing', 'maxwell-old', 'e14', 'organoid', { drug: 'TTX', recordings: 2 }],
  ['ephys', '2024-01-17-e-hc328_4AP_challenge', 'maxwell-old', 'hc328', 'organoid', { drug: '4-AP', recordings: 3 }],
  ['ephys', '2023-10-03-e-H9_2D_culture_DIV21', 'maxwell-old', 'H9', '2D culture'],
  ['ephys', '2024-06-11-e-KOLF2.1J_GABA_washout', 'maxwell-old', 'KOLF', 'organoid', { drug: 'GABA', recordings: 2 }],
  ['ephys', '2023-05-27-e-hc328_longterm_w12', 'maxwell-old', 'hc328', 'organoid', { nobackup: true, recordings: 2 }],
  [
    'ephys',
    '2023-08-12-e-GABA_v0',
    'maxwell-nwb',
    'e14',
    'organoid',
    { drug: 'GABA', recordings: 4, nwb: 'medium', nwbHolds: ['lfp', 'waveforms', 'trials'] },
  ],
  ['ephys', '2023-12-05-e-KOLF2.1J_bicuculline_nwb', 'maxwell-nwb', 'KOLF', 'organoid', { drug: 'bicuculline', recordings: 2 }],
  ['ephys', '2024-02-28-e-H9_TTX_recovery', 'maxwell-nwb', 'H9', 'organoid', { drug: 'TTX', recordings: 3 }],
  ['ephys', '2024-09-19-e-hc328_DIV150_nwb', 'maxwell-nwb', 'hc328', 'organoid', { nwb: 'medium', nwbHolds: ['events', 'waveforms'] }],
  ['ephys', '2025-01-22-e-e14_4AP_sweep', 'maxwell-nwb', 'e14', 'organoid', { drug: '4-AP', recordings: 3 }],
  ['ephys', '2025-04-08-e-KOLF2.1J_2D_culture_nwb', 'maxwell-nwb', 'KOLF', '2D culture', { nobackup: true, nwbHolds: ['downsampled'] }],
  ['ephys', '2023-08-29-e-mearec-6cells-tetrode', 'mearec', 'B6', 'slice'],
  ['ephys', '2023-09-14-e-mearec-12cells-tetrode', 'mearec', 'B6', 'slice', { notesAsString: true }],
  ['ephys', '2024-03-02-e-mearec_benchmark_noise10uV', 'mearec', 'B6', 'slice', { notesAsString: true }],
  ['ephys', '2021-10-07-e-H9_organoid_feeding_test', 'string-booleans', 'H9', 'organoid'],
  ['ephys', '2022-01-25-e-hc328_automated_feeding', 'string-booleans', 'hc328', 'organoid', { recordings: 2 }],
  [
    'ephys',
    '2022-08-16-e-e14_optogenetic_pilot',
    'string-booleans',
    'e14',
    'organoid',
    { purpose: 'Optogenetic pilot on ChR2-expressing e14 organoids: 470 nm pulses at 1 Hz for 5 min while recording.' },
  ],
  ['ephys', '2022-09-02-e-KOLF2.1J_DIV60_weekly', 'comments-object', 'KOLF', 'organoid', { recordings: 2 }],
  ['ephys', '2023-03-19-e-mouse_slice_CA1', 'comments-object', 'B6', 'slice', { drug: 'bicuculline' }],
  ['ephys', '2024-04-30-e-hc328_GABA_bicuculline', 'comments-object', 'hc328', 'organoid', { drug: 'GABA', recordings: 3 }],
  ['ephys', '2020-07-15-e-e14_first_organoids', 'ephys-list', 'e14', 'organoid', { notesAsString: true }],
  ['ephys', '2020-11-03-e-H9_2D_culture_test', 'ephys-list', 'H9', '2D culture', { recordings: 2 }],
  ['ephys', '2021-02-18-e-e14_TTX_v1', 'ephys-list', 'e14', 'organoid', { drug: 'TTX' }],
  ['ephys', '2021-05-26-e-hc328_pilot', 'ephys-list', 'hc328', 'organoid', { notesAsString: true }],
  ['ephys', '2021-08-09-e-KOLF2.1J_chip17345', 'empty-timestamp', 'KOLF', 'organoid'],
  ['ephys', '2022-12-12-e-H9_organoid_recovery', 'empty-timestamp', 'H9', 'organoid', { recordings: 2 }],
  ['ephys', '2022-04-20-e-axion_H9_2D_culture_plate1', 'axion', 'H9', '2D culture'],
  ['ephys', '2024-07-08-e-axion_KOLF2.1J_4AP_screen', 'axion', 'KOLF', '2D culture', { drug: '4-AP', recordings: 2 }],
  ['ephys', '2024-05-21-e-mouse_slice_4AP_intan64', 'intan-nwb', 'B6', 'slice', { drug: '4-AP', nwb: 'large', nwbHolds: ['lfp', 'waveforms'] }],
  ['ephys', '2023-06-13-e-mouse_slice_bicuculline_intan', 'intan-nwb', 'B6', 'slice', { drug: 'bicuculline', nwb: 'medium' }],
  ['ephys', '2023-07-07-e-hc328_TTX_v2', 'maxwell-old', 'hc328', 'organoid', { drug: 'TTX', broken: 'truncated' }],
  ['ephys', '2022-10-21-e-e14_GABA_pilot', 'maxwell-old', 'e14', 'organoid', { drug: 'GABA', broken: 'python-nan' }],
  ['ephys', '2024-10-02-e-H9_organoid_d45', 'maxwell-old', 'H9', 'organoid', { broken: 'empty' }],
  ['ephys', '2025-02-14-e-KOLF2.1J_bicuculline_v3', 'maxwell-nwb', 'KOLF', 'organoid', { drug: 'bicuculline', broken: 'bom' }],
  ['ephys', '2021-12-01-e-chip16554_untitled', 'no-metadata', 'hc328', 'organoid'],
  ['fluidics', '2022-07-11-f-autoculture_H9_feeding_v1', 'fluidics', 'H9', 'organoid'],
  ['fluidics', '2023-01-30-f-media_exchange_gfcdm', 'fluidics', 'hc328', 'organoid'],
  ['fluidics', '2023-06-02-f-hc328_perfusion_48h', 'fluidics', 'hc328', 'organoid'],
  ['fluidics', '2024-02-09-f-KOLF2.1J_autoculture_v3', 'fluidics', 'KOLF', 'organoid'],
  ['fluidics', '2024-11-12-f-microfluidic_gradient_test', 'fluidics', 'H9', '2D culture', { drug: 'GABA' }],
  ['fluidics', '2025-03-27-f-e14_feeding_schedule_B', 'fluidics', 'e14', 'organoid', { nobackup: true }],
  ['imaging', '2022-05-05-i-picroscope_H9_organoids', 'imaging', 'H9', 'organoid'],
  ['imaging', '2023-03-08-i-hc328_brightfield_timelapse', 'imaging', 'hc328', 'organoid'],
  ['imaging', '2023-09-21-i-KOLF2.1J_GCaMP_calcium', 'imaging', 'KOLF', 'organoid'],
  ['imaging', '2024-01-29-i-e14_organoid_growth', 'imaging', 'e14', 'organoid'],
  ['imaging', '2024-08-15-i-H9_2D_culture_confluence', 'imaging', 'H9', '2D culture'],
  ['imaging', '2025-05-06-i-picroscope_KOLF2.1J_plate3', 'imaging', 'KOLF', 'organoid'],
  ['imaging', '2024-10-18-i-picroscope_hc328_w4', 'manifest-only', 'hc328', 'organoid'],
  ['integrated', '2023-11-14-efi-hc328_closed_loop_feeding', 'integrated', 'hc328', 'organoid', { recordings: 2 }],
  ['integrated', '2024-03-25-ef-KOLF2.1J_autoculture_ephys', 'integrated', 'KOLF', 'organoid'],
  ['integrated', '2024-07-30-ei-H9_GCaMP_maxwell', 'integrated', 'H9', 'organoid', { nwbHolds: ['images'] }],
  ['integrated', '2025-02-03-efi-e14_integrated_v2', 'integrated', 'e14', 'organoid', { drug: 'TTX', recordings: 2 }],
  ['integrated', '2025-06-17-ef-hc328_GABA_perfusion', 'integrated', 'hc328', 'organoid', { drug: 'GABA' }],
  [
    'archive',
    '2020-02-11-e-maxone_first_test',
    'ephys-list',
    'e14',
    'organoid',
    { notesAsString: true, purpose: 'First test of the new MaxOne system with e14 organoids: noise levels and electrode routing.' },
  ],
  ['archive', '2020-05-19-e-e14_organoid_v0', 'ephys-list', 'e14', 'organoid', { recordings: 2 }],
  ['archive', '2020-09-08-f-feeding_prototype', 'fluidics', 'H9', 'organoid'],
  ['archive', '2020-12-16-i-picroscope_v1_test', 'imaging', 'H9', 'organoid'],
  ['archive', '2021-03-30-e-H9_organoid_2D_compare', 'maxwell-old', 'H9', 'organoid', { nobackup: true, recordings: 2 }],
];

const UUID = /^(\d{4}-\d{2}-\d{2})-([a-z]+)-(.+)$/;

function experimentOf([prefix, uuid, shape, line, sample, extra = {}]: Row): Experiment {
  const match = UUID.exec(uuid);
  if (!match) throw new Error(`catalog uuid ${uuid} is not YYYY-MM-DD-<letters>-<descriptor>`);
  const [, date = '', letters = '', descriptor = ''] = match;
  return {
    prefix,
    uuid,
    shape,
    line,
    sample,
    ...extra,
    date,
    letters,
    descriptor,
    recordings: extra.recordings ?? 1,
    rng: (label: string) => new Rng(`braingeneers-demo/${uuid}/${label}`),
    key: (path: string) => `${prefix}/${uuid}/${path}`,
  };
}

export const EXPERIMENTS: readonly Experiment[] = ROWS.map(experimentOf);

/** Keys of the metadata.json files that are deliberately not valid JSON. */
export const BROKEN_METADATA_KEYS: readonly string[] = EXPERIMENTS.filter((e) => e.broken).map((e) => e.key('metadata.json'));
