/**
 * A large, realistic search index written straight into SQLite, for the search benchmark (no S3, no crawl).
 *
 * The database is opened with `openDatabase`, so the real migrations, indexes and FTS5 triggers apply; rows go
 * through the real tables and the triggers fill the full-text tables, exactly as a crawl would. Every derived
 * column comes from the crawler's own `deriveFields` and `flattenMetadata`, object uuids from `objectUuid`.
 *
 * The data follow the lab's layouts (`<prefix>/<YYYY-MM-DD-e-descriptor>/metadata.json`, `original/data/*.raw.h5`,
 * `original/log/*.csv`, `shared/*.nwb`, `derived/kilosort2/*_{phy,acqm,figure}.zip`) and the metadata shapes of
 * the fixtures (Maxwell with NWB, older Maxwell with per-recording hardware, MEArec, list-form Axion and Intan
 * recordings, imaging and fluidics notes). Word frequencies are controlled so that benchmark queries have
 * known-ish match counts; see `BENCH_QUERIES`. Deterministic: the same options give the same database content.
 */
import type Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { deriveFields } from '../../crawler/derive';
import { recordingFacts } from '../../lib/recordings/facts';
import { flattenMetadata } from '../../crawler/metadata';
import type { JsonObject } from '../../lib/metadata-shape';
import { objectUuid } from '../../lib/db/crawl-store';
import { encodeDeflatedJson } from '../../lib/db/deflated-json';
import { openDatabase } from '../../lib/db/index';
import { Rng, type Weighted } from './rng';
import { syntheticSummary } from './synthetic-summaries';

export interface SyntheticIndexOptions {
  /** The SQLite file to create; it must not hold experiments already. */
  path: string;
  experiments: number;
  /** Objects in total (metadata files included); between 1 and 40 per experiment, about objects/experiments on average. */
  objects: number;
  seed?: number;
  /** Give HDF5 files their summaries and experiments their recording facts (default); false: an index as it was before them. */
  recordings?: boolean;
  /** Called after each transaction with the number of experiments written so far. */
  onProgress?: (done: number) => void;
}

export const SYNTHETIC_BUCKET = 'braingeneers';
/** The synthetic crawl's start; every date and modification time in the index is before it. */
export const SYNTHETIC_CRAWL_STARTED = Date.UTC(2026, 10, 1, 6, 0, 0);
const CRAWL_SECONDS = 41 * 60 + 17;

/** Experiments each rare word is written into (exactly, when there are at least this many experiments). */
export const RARE_WORD_ROWS = 10;
/** Words that appear only in the purposes of `RARE_WORD_ROWS` experiments each. */
export const RARE_WORDS = [
  'cuprizone',
  'muscimol',
  'ketanserin',
  'psilocybin',
  'nimodipine',
  'clozapine',
  'memantine',
  'oxytocin',
  'zolpidem',
  'lamotrigine',
  'riluzole',
  'tetrodotoxinlike',
] as const;

/**
 * Representative queries for the benchmark's mix. `q` uses the search API's query language; `params` are its
 * other parameters. The comments give the matches in a 100,000-experiment / 1,000,000-object build (seed 1),
 * counted directly in FTS5 (the last word as a prefix); other seeds and sizes give the same shares within a
 * point or so, and every rare word matches exactly RARE_WORD_ROWS experiments whatever the size.
 */
export const BENCH_QUERIES: { kind: string; q: string; params?: Record<string, string> }[] = [
  { kind: 'common word', q: 'organoid' }, // 33,023 experiments (33 %; "organoid*" also finds "organoids")
  { kind: 'common word', q: 'baseline' }, // 32,186 (32 %)
  { kind: 'common word', q: 'mouse' }, // 36,777 (37 %)
  { kind: 'very common word', q: 'maxwell' }, // 66,001 (66 %)
  { kind: 'rare word', q: 'cuprizone' }, // 10
  { kind: 'rare word', q: 'muscimol' }, // 10
  { kind: 'rare word', q: 'ketanserin' }, // 10
  { kind: 'prefix fragment', q: 'hc3' }, // 1,108 (cell lines hc300–hc399 in uuids and metadata)
  { kind: 'prefix fragment', q: 'kolf' }, // 6,496
  { kind: 'prefix fragment', q: 'bicuc' }, // 5,637
  { kind: 'uuid fragment', q: 'hc328' }, // 11
  { kind: 'uuid fragment', q: 'GABA_v0' }, // 337 as a phrase, 473 with v0 as a prefix
  { kind: 'phrase', q: '"network bursts"' }, // 6,374 (both words anywhere: 6,863)
  { kind: 'phrase', q: '"dose response"' }, // 6,731
  { kind: 'phrase', q: '"electrical stimulation"' }, // 4,832
  { kind: 'filter only', q: 'species:mouse' }, // 36,777
  { kind: 'filter only', q: '', params: { species: 'mouse' } }, // 36,777
  { kind: 'filter only', q: '', params: { hardware: 'Maxwell', prefix: 'ephys' } }, // 51,805
  { kind: 'filter only', q: 'modality:imaging after:2024-01-01' }, // 4,295
  { kind: 'word and filter', q: 'organoid', params: { species: 'human' } }, // 17,240
  { kind: 'file name', q: 'kilosort2' }, // 266,617 objects in 42,393 experiments
  { kind: 'file name', q: 'rec4.2' }, // 3,031 objects in 1,070 experiments
  { kind: 'file name', q: 'acqm' }, // 88,649 objects in 37,955 experiments
  { kind: 'file name', q: 'Trace_20230812' }, // 128 objects in 10 experiments
  { kind: 'what files hold', q: 'type:Units' },
  { kind: 'what files hold', q: 'has:lfp' },
  { kind: 'what files hold', q: 'channels:>=512' },
  { kind: 'what files hold', q: 'duration:>10m' },
  { kind: 'what files hold', q: 'rate:10k' },
  { kind: 'what files hold', q: 'organoid type:LFP' },
  { kind: 'what files hold', q: 'has:trials', params: { species: 'human' } },
];

// ---------------------------------------------------------------------------------------------------------
// Vocabulary

type Prefix = 'ephys' | 'archive' | 'fluidics' | 'imaging' | 'integrated';
const PREFIXES: Weighted<Prefix> = [
  ['ephys', 70],
  ['integrated', 8],
  ['imaging', 8],
  ['fluidics', 7],
  ['archive', 7],
];
const LETTERS: Record<Prefix, string> = { ephys: 'e', archive: 'e', fluidics: 'f', imaging: 'i', integrated: 'efi' };

// The lab grows: more experiments each year; 2026 runs to the end of October.
const YEARS: Weighted<number> = [
  [2019, 4],
  [2020, 6],
  [2021, 9],
  [2022, 12],
  [2023, 16],
  [2024, 18],
  [2025, 20],
  [2026, 15],
];
const ARCHIVE_YEARS: Weighted<number> = [
  [2019, 5],
  [2020, 4],
  [2021, 3],
  [2022, 1],
];

type Species = 'human' | 'mouse' | 'rat';
const SPECIES: Weighted<Species | null> = [
  ['human', 53],
  ['mouse', 40],
  ['rat', 3],
  [null, 4],
];
// Only organoid samples write the word "organoid" (or "organoids") anywhere: it matches ~34 % of experiments.
type Sample = 'organoid' | '2D culture' | 'slice' | 'assembloid' | 'primary culture' | 'spheroid';
const SAMPLE_TYPES: Weighted<Sample> = [
  ['organoid', 36],
  ['2D culture', 20],
  ['primary culture', 12],
  ['slice', 12],
  ['spheroid', 10],
  ['assembloid', 10],
];
const SAMPLE_PLURAL: Record<Sample, string> = {
  organoid: 'organoids',
  '2D culture': '2D cultures',
  slice: 'slices',
  assembloid: 'assembloids',
  'primary culture': 'primary cultures',
  spheroid: 'spheroids',
};
const HUMAN_LINES: Weighted<string> = [
  ['H9', 20],
  ['WTC11', 14],
  ['KOLF2.1J', 10],
  ['H1', 8],
  ['PGP1', 6],
  ['L1', 4],
  ['hc', 15], // a numbered line, hc100–hc999: `hc3` is a prefix of ~1 % of experiments, `hc328` of ~10
];
const MOUSE_LINES: Weighted<string> = [
  ['e14', 40],
  ['E14Tg2a', 15],
  ['R1', 10],
  ['C57BL6 cortex', 20],
  ['CD1 hippocampus', 15],
];
const RAT_LINES = ['Sprague-Dawley cortex', 'Wistar hippocampus'];
const MEDIA = ['gfcdm', 'BrainPhys', 'Neurobasal', 'mTeSR', 'E8', 'DMEM/F12'];
const PEOPLE = ['Ash', 'Kateryna', 'Mattia', 'Tal', 'Sebastian', 'Jinghui', 'Hunter', 'Mirella', 'Kenneth', 'Daniel'];

type Hardware = 'maxwell-nwb' | 'maxwell-old' | 'mearec' | 'axion' | 'intan';
const HARDWARE: Weighted<Hardware> = [
  ['maxwell-nwb', 52],
  ['maxwell-old', 26],
  ['axion', 9],
  ['intan', 8],
  ['mearec', 5],
];

interface Condition {
  /** In uuids and recording names. */
  tag: string;
  uuidWords: readonly string[];
  purposes: readonly string[];
}
// Placeholders: {subject} "H9 organoids", {Subject}, {n}, {div}, {x}, {f}, {chip}.
// "baseline" is written only by the baseline condition (~34 % of experiments).
const CONDITIONS: Weighted<Condition> = [
  [
    {
      tag: 'BL',
      uuidWords: ['baseline', 'BL', 'baseline'],
      purposes: [
        'Baseline recording of {subject}',
        'Baseline activity of {subject} before any treatment',
        '{Subject}, weekly baseline, day {div}',
        'Baseline spontaneous activity, {n} min per chip',
        'Daily baseline scan of {subject} to track maturation',
      ],
    },
    34,
  ],
  [
    {
      tag: 'GABA',
      uuidWords: ['GABA', 'gaba'],
      purposes: [
        'GABA dose response sweep. Started at {x}uM, doubled each time',
        'GABA wash-in on {subject}, {x}uM final',
        'Dose response of {subject} to GABA',
      ],
    },
    8,
  ],
  [
    {
      tag: 'bic',
      uuidWords: ['bicuculline', 'bic'],
      purposes: ['Bicuculline wash-in on {subject} to disinhibit the network', 'Bicuculline {x}uM added at minute {n}'],
    },
    6,
  ],
  [
    {
      tag: 'TTX',
      uuidWords: ['TTX', 'ttx'],
      purposes: ['TTX block to confirm the spikes are neuronal', 'TTX {x}uM at the end of the recording of {subject}'],
    },
    4,
  ],
  [
    {
      tag: '4AP',
      uuidWords: ['4AP', '4ap'],
      purposes: ['4-AP induced seizure-like activity in {subject}', '4-AP dose response, {x}uM steps'],
    },
    4,
  ],
  [
    {
      tag: 'stim',
      uuidWords: ['stim', 'estim'],
      purposes: [
        'Electrical stimulation of {subject}, {n} pulses at {f} Hz',
        'Closed-loop electrical stimulation on chip {chip}',
        'Paired-pulse stimulation protocol, {f} Hz',
      ],
    },
    8,
  ],
  [
    {
      tag: 'opto',
      uuidWords: ['opto', 'optogenetics'],
      purposes: ['Optogenetic stimulation with 470 nm light, {n} ms pulses', 'ChR2 optogenetic stimulation of {subject}'],
    },
    4,
  ],
  [
    {
      tag: 'spont',
      uuidWords: ['unperturbed', 'spont', 'spontaneous'],
      purposes: ['Spontaneous activity of {subject}', 'Unperturbed {subject}, long recording', 'Spontaneous firing of {subject} at day {div}'],
    },
    15,
  ],
  [
    {
      tag: 'dev',
      uuidWords: ['timecourse', 'dev', 'maturation'],
      purposes: ['Development time course of {subject}, day {div}', 'Maturation of {subject}, recorded every {n} days'],
    },
    10,
  ],
  [
    {
      tag: 'feed',
      uuidWords: ['feeding', 'media'],
      purposes: ['Media change effect on activity; automated feeding every {n} h', 'Effect of {media} on {subject}'],
    },
    7,
  ],
];
const MEAREC_CONDITION: Condition = {
  tag: 'sim',
  uuidWords: ['mearec'],
  purposes: ['This data is a simulated recording generated by MEArec.'],
};

// Independent extra clauses, with the share of experiments that get each.
const NETWORK_BURSTS = [
  'Looking for network bursts.',
  'Network bursts appear after day {div}.',
  'Counting network bursts per minute.',
  'Strong network bursts on chip {chip}.',
];
const NETWORK_OTHER = ['Network activity looks synchronized.', 'Weak network, few active electrodes.'];
const BURSTS_OTHER = ['Bursts of single units near the edge.', 'Some bursts, mostly tonic firing.'];
const NOTES = [
  'Recorded by {person}.',
  'See lab notebook p. {n}.',
  'Chip {chip} was re-plated.',
  'Noisy reference electrode, check before sorting.',
  'Spikes sorted with kilosort2.',
  'Temperature 37 C, 5% CO2.',
  'Started {n} min after the media change.',
  'Gaba added X:55-X+1:~15 for x=2,4,... (last was 14 not 16)',
];

const MAXWELL_CHANNELS = [1020, 1018, 1024, 944, 819, 512, 1020, 1020];

// ---------------------------------------------------------------------------------------------------------
// One experiment

interface ObjectRow {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
}

interface ExperimentRow {
  uuid: string;
  prefix: Prefix;
  path: string;
  metadataSource: 'metadata.json' | 'none';
  metadataKey: string | null;
  metadataEtag: string | null;
  metadataRaw: string | null;
  metadataError: string | null;
  metadata: JsonObject | null;
  objects: ObjectRow[];
}

const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

class Generator {
  private readonly rng: Rng;
  private readonly paths = new Set<string>();
  private readonly lastDay = Math.floor((Date.UTC(2026, 9, 31) - Date.UTC(2026, 0, 1)) / DAY);

  constructor(
    seed: number,
    private readonly rare: Map<number, string[]>,
  ) {
    this.rng = new Rng(seed);
  }

  private date(prefix: Prefix): { iso: string; ms: number } {
    const { rng } = this;
    const year = rng.weighted(prefix === 'archive' ? ARCHIVE_YEARS : YEARS);
    const days = year === 2026 ? this.lastDay : year % 4 === 0 ? 365 : 364;
    const ms = Date.UTC(year, 0, 1) + rng.int(0, days) * DAY;
    return { iso: new Date(ms).toISOString().slice(0, 10), ms };
  }

  private fill(template: string, values: Record<string, string>): string {
    return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name);
  }

  private etag(size: number): string {
    // Multipart uploads (anything over 16 MB with the lab's tools) have `-<parts>` etags.
    const parts = Math.ceil(size / (16 * 1024 * 1024));
    return parts > 1 ? `${this.rng.hex(32)}-${parts}` : this.rng.hex(32);
  }

  experiment(index: number, objectCount: number): ExperimentRow {
    const { rng } = this;
    const prefix = rng.weighted(PREFIXES);
    const date = this.date(prefix);
    const ephys = prefix === 'ephys' || prefix === 'archive' || prefix === 'integrated';
    const hardware: Hardware | null = ephys ? (prefix === 'integrated' ? 'maxwell-nwb' : rng.weighted(HARDWARE)) : null;
    const simulated = hardware === 'mearec';

    const species = simulated ? null : rng.weighted(SPECIES);
    const sample = simulated ? null : rng.weighted(SAMPLE_TYPES);
    let cellLine: string | null = null;
    if (species === 'human') {
      cellLine = rng.weighted(HUMAN_LINES);
      if (cellLine === 'hc') cellLine = `hc${rng.int(100, 999)}`;
    } else if (species === 'mouse') cellLine = rng.weighted(MOUSE_LINES);
    else if (species === 'rat') cellLine = rng.pick(RAT_LINES);
    const condition = simulated ? MEAREC_CONDITION : rng.weighted(CONDITIONS);
    const chips = Array.from(
      {
        length: rng.weighted([
          [1, 6],
          [2, 2],
          [3, 2],
          [4, 1],
        ] as const),
      },
      () => rng.int(16000, 26999),
    );
    const div = rng.int(7, 180);

    // uuid: `YYYY-MM-DD-<letters>-<descriptor>`, the descriptor in one of the lab's habits.
    const word = rng.pick(condition.uuidWords);
    const line = (cellLine ?? 'sim').split(' ')[0]!;
    let descriptor: string;
    const cells = rng.int(2, 40);
    if (simulated) descriptor = `mearec-${cells}cells-${rng.pick(['tetrode', 'neuronexus', 'maxwell'])}`;
    else {
      const style = rng.int(0, 5);
      descriptor =
        style === 0
          ? `${line.toLowerCase()}_${word}`
          : style === 1
            ? `${word}_v${rng.int(0, 3)}`
            : style === 2
              ? `${line}_${word}_d${div}`
              : style === 3
                ? `chip${chips[0]}_${word}`
                : style === 4
                  ? `${sample === 'organoid' ? 'organoid' : 'culture'}-${line.toLowerCase()}-${word}`
                  : `${line.toLowerCase()}-${word}-batch${rng.int(1, 30)}`;
    }
    let uuid = `${date.iso}-${LETTERS[prefix]}-${descriptor}`;
    for (let n = 2; this.paths.has(`${prefix}/${uuid}`); n++) uuid = `${date.iso}-${LETTERS[prefix]}-${descriptor}_${n}`;
    const path = `${prefix}/${uuid}`;
    this.paths.add(path);

    // Purpose: a sentence for the condition, then independent clauses.
    const subjectText = sample ? `${cellLine ?? ''} ${SAMPLE_PLURAL[sample]}`.trim() : 'the simulated network';
    const values: Record<string, string> = {
      subject: subjectText,
      Subject: subjectText[0]!.toUpperCase() + subjectText.slice(1),
      n: String(rng.int(2, 60)),
      div: String(div),
      x: String(rng.pick([0.5, 1, 2, 5, 10, 20, 50])),
      f: String(rng.pick([0.5, 1, 2, 5, 10, 20])),
      chip: String(chips[0]),
      person: rng.pick(PEOPLE),
      media: rng.pick(MEDIA),
    };
    const first = this.fill(rng.pick(condition.purposes), values);
    const sentences = [/[.!?)]$/.test(first) ? first : `${first}.`];
    if (!simulated) {
      if (rng.chance(0.07)) sentences.push(this.fill(rng.pick(NETWORK_BURSTS), values));
      if (rng.chance(0.08)) sentences.push(rng.pick(NETWORK_OTHER));
      if (rng.chance(0.06)) sentences.push(rng.pick(BURSTS_OTHER));
      if (rng.chance(0.35)) sentences.push(this.fill(rng.pick(NOTES), values));
    }
    for (const rare of this.rare.get(index) ?? []) {
      sentences.push(`Added ${rare} (${values.x}uM) at minute ${rng.int(5, 55)}.`);
    }
    const purpose = sentences.join(' ');

    // Files: metadata.json (most experiments), then per recording raw data, logs, NWB and spike sorting.
    // Rare words live in purposes, so their experiments always have readable metadata.
    const drawnKind = rng.weighted([
      ['ok', 95],
      ['none', 3],
      ['broken', 2],
    ] as const);
    const metadataKind = this.rare.has(index) ? 'ok' : drawnKind;
    const hasMetadata = metadataKind !== 'none';
    const stages = ephys
      ? ['raw', ...(rng.chance(0.5) ? ['log'] : []), ...(rng.chance(0.6) ? ['nwb'] : []), ...(rng.chance(0.65) ? ['phy', 'acqm', 'figure'] : [])]
      : prefix === 'imaging'
        ? ['tif', 'tif', 'tif', 'png']
        : ['log', 'csv'];
    const dataFiles = objectCount - (hasMetadata ? 1 : 0);
    const recordingCount = Math.max(1, Math.ceil(dataFiles / stages.length));
    const names = this.recordingNames(hardware, prefix, recordingCount, date.iso, condition.tag, chips, cells);

    const objects: ObjectRow[] = [];
    let modified = date.ms + rng.int(8, 20) * 3_600_000;
    for (const name of names) {
      for (const stage of stages) {
        if (objects.length >= dataFiles) break;
        modified += rng.int(60, 3_600) * 1000;
        const derivedAt = modified + rng.int(1, 60) * DAY;
        const file = this.file(stage, name, hardware, imagingWell(objects.length));
        objects.push({
          key: `${path}/${file.key}`,
          size: file.size,
          etag: this.etag(file.size),
          lastModified: Math.min(file.derived ? derivedAt : modified, SYNTHETIC_CRAWL_STARTED - DAY),
        });
      }
    }

    let metadata: JsonObject | null = null;
    let metadataRaw: string | null = null;
    let metadataError: string | null = null;
    if (hasMetadata) {
      metadata = this.metadata({
        uuid,
        prefix,
        hardware,
        date: date.iso,
        species,
        sample,
        cellLine,
        purpose,
        chips,
        names,
        stages,
        conditionTag: condition.tag,
      });
      metadataRaw = JSON.stringify(metadata);
      if (metadataKind === 'broken') {
        // A hand-edited file with a trailing comma: kept as text, indexed by path and files only.
        metadataRaw = `${metadataRaw.slice(0, -1)},}`;
        metadataError = `metadata.json: invalid JSON: Expected double-quoted property name in JSON at position ${metadataRaw.length - 1}`;
        metadata = null;
      }
      const size = Buffer.byteLength(metadataRaw);
      objects.unshift({
        key: `${path}/metadata.json`,
        size,
        etag: this.etag(size),
        lastModified: Math.min(modified + rng.int(0, 30) * DAY, SYNTHETIC_CRAWL_STARTED - DAY),
      });
    }
    return {
      uuid,
      prefix,
      path,
      metadataSource: hasMetadata ? 'metadata.json' : 'none',
      metadataKey: hasMetadata ? `${path}/metadata.json` : null,
      metadataEtag: hasMetadata ? objects[0]!.etag : null,
      metadataRaw,
      metadataError,
      metadata,
      objects,
    };
  }

  private recordingNames(
    hardware: Hardware | null,
    prefix: Prefix,
    count: number,
    date: string,
    tag: string,
    chips: number[],
    cells: number,
  ): string[] {
    const { rng } = this;
    const ymd = date.replaceAll('-', '');
    const names: string[] = [];
    if (hardware === 'maxwell-nwb' || hardware === 'maxwell-old') {
      const style = rng.weighted([
        ['trace', 50],
        ['data', 20],
        ['rec', 30],
      ] as const);
      const major = rng.int(1, 9);
      let seconds = rng.int(9, 18) * 3600 + rng.int(0, 3599);
      for (let i = 0; i < count; i++) {
        const chip = chips[i % chips.length]!;
        seconds += rng.int(300, 5400);
        const time = `${pad(Math.floor(seconds / 3600) % 24)}_${pad(Math.floor(seconds / 60) % 60)}_${pad(seconds % 60)}`;
        names.push(
          style === 'trace'
            ? `Trace_${ymd}_${time}_${tag}_${chip}`
            : style === 'data'
              ? tag === 'BL'
                ? `data_BL${i ? i + 1 : ''}_${chip}`
                : `data_${tag}_${i === 0 ? 'BL' : `T${i}`}_${chip}`
              : `rec${major + Math.floor(i / 10)}.${i % 10}`,
        );
      }
    } else if (hardware === 'mearec') {
      for (let i = 0; i < count; i++) names.push(`recordings_${cells}cells_tetrode_${30 + i * 10}.0_10.0uV`);
    } else if (hardware === 'axion') {
      const plate = `M${rng.int(10000, 99999)}`;
      for (let i = 0; i < count; i++) names.push(`${plate}_${ymd}_${tag}(${pad(i, 3)})`);
    } else if (hardware === 'intan') {
      const yymmdd = ymd.slice(2);
      let seconds = rng.int(9, 18) * 3600;
      for (let i = 0; i < count; i++) {
        seconds += rng.int(60, 1800);
        names.push(
          `${tag.toLowerCase()}${i + 1}_${yymmdd}_${pad(Math.floor(seconds / 3600) % 24)}${pad(Math.floor(seconds / 60) % 60)}${pad(seconds % 60)}`,
        );
      }
    } else if (prefix === 'imaging') {
      for (let i = 0; i < count; i++) names.push(`plate${rng.int(1, 12)}_t${pad(i, 3)}`);
    } else {
      for (let i = 0; i < count; i++) names.push(`feed_${ymd}_${pad(i, 3)}`);
    }
    // Recording names (and so file keys) are unique within an experiment.
    const seen = new Set<string>();
    return names.map((name) => {
      let unique = name;
      for (let n = 2; seen.has(unique); n++) unique = `${name}_${n}`;
      seen.add(unique);
      return unique;
    });
  }

  private file(stage: string, name: string, hardware: Hardware | null, well: string): { key: string; size: number; derived: boolean } {
    const { rng } = this;
    const MB = 1024 * 1024;
    switch (stage) {
      case 'raw': {
        const ext = hardware === 'axion' ? '.raw' : hardware === 'intan' ? '.rhd' : hardware === 'mearec' ? '.h5' : '.raw.h5';
        return { key: `original/data/${name}${ext}`, size: rng.int(300, 12_000) * MB + rng.int(0, MB), derived: false };
      }
      case 'log':
        return { key: `original/log/${name}.csv`, size: rng.int(800, 400_000), derived: false };
      case 'nwb':
        return { key: `shared/${name}.nwb`, size: rng.int(250, 9_000) * MB + rng.int(0, MB), derived: true };
      case 'phy':
      case 'acqm':
      case 'figure':
        return {
          key: `derived/kilosort2/${name}_${stage}.zip`,
          size: (stage === 'phy' ? rng.int(40, 900) * MB : stage === 'acqm' ? rng.int(1, 60) * MB : rng.int(0, 5) * MB) + rng.int(1, MB),
          derived: true,
        };
      case 'tif':
        return { key: `original/images/${name}_${well}.tif`, size: rng.int(2, 80) * MB, derived: false };
      case 'png':
        return { key: `derived/thumbnails/${name}.png`, size: rng.int(20_000, 900_000), derived: true };
      default:
        return { key: `original/log/${name}_pump.csv`, size: rng.int(500, 60_000), derived: false };
    }
  }

  private metadata(e: {
    uuid: string;
    prefix: Prefix;
    hardware: Hardware | null;
    date: string;
    species: Species | null;
    sample: Sample | null;
    cellLine: string | null;
    purpose: string;
    chips: number[];
    names: string[];
    stages: string[];
    conditionTag: string;
  }): JsonObject {
    const { rng } = this;
    const timestamp = `${e.date}T${pad(rng.int(8, 21))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
    const biology: JsonObject = {
      sample_type: e.sample ?? '',
      aggregation_date: '',
      plating_date: '',
      species: e.species ?? '',
      cell_line: e.cellLine ?? '',
      genotype: rng.chance(0.15) ? rng.pick(['WT', 'SHANK3 KO', 'MECP2 null', 'SCN2A het']) : '',
      culture_media: rng.pick(MEDIA),
    };
    if (e.sample === 'organoid') {
      biology.organoid_tracker_sr_no = rng.chance(0.4) ? `OT-${rng.int(100, 9999)}` : '';
      biology['organoid modification'] = '';
    }
    const pharmacological = ['GABA', 'bic', 'TTX', '4AP'].includes(e.conditionTag) ? e.conditionTag : '';
    const notes: JsonObject = {
      purpose: e.purpose,
      biology,
      stimulation: { optogenetic: e.conditionTag === 'opto', electrical: e.conditionTag === 'stim', pharmacological },
      automated_feeding: e.conditionTag === 'feed',
      automated_imaging: e.prefix === 'integrated' || e.prefix === 'imaging',
      comments: '',
    };

    if (e.prefix === 'imaging' || e.prefix === 'fluidics') {
      const doc: JsonObject = { uuid: e.uuid, timestamp, notes };
      if (e.prefix === 'imaging') {
        doc.imaging = {
          microscope: rng.pick(['Picroscope', 'Incucyte S3', 'Zeiss LSM 880']),
          objective: rng.pick(['4x', '10x', '20x']),
          channels: ['brightfield', ...(rng.chance(0.5) ? ['GFP'] : [])],
          interval_minutes: rng.pick([10, 30, 60]),
          frames: e.names.length,
        };
      } else {
        doc.fluidics = {
          pump: rng.pick(['Autoculture v2', 'syringe pump']),
          feed_interval_hours: rng.pick([6, 12, 24]),
          volume_ul: rng.pick([100, 150, 200]),
          logs: e.names.map((n) => `original/log/${n}.csv`),
        };
      }
      return doc;
    }

    const hardwareName =
      e.hardware === 'mearec'
        ? 'MEArec Simulated Recording'
        : e.hardware === 'axion'
          ? 'Axion Maestro Pro'
          : e.hardware === 'intan'
            ? 'Intan RHD2000'
            : 'Maxwell';
    const channels =
      e.hardware === 'mearec'
        ? rng.pick([4, 32, 64])
        : e.hardware === 'axion'
          ? rng.pick([64, 384, 768])
          : e.hardware === 'intan'
            ? rng.pick([32, 64, 128])
            : 0;
    const sampleRate =
      e.hardware === 'mearec' ? 32000 : e.hardware === 'axion' ? 12500 : e.hardware === 'intan' ? 30000 : rng.pick([20000, 20000, 20000, 10000]);
    const nwb = e.stages.includes('nwb');
    const recordings = e.names.map((name, i) => {
      const frames = sampleRate * rng.int(60, 1800) + rng.int(0, 9999);
      const blockPath =
        e.hardware === 'mearec'
          ? `s3://braingeneers/${e.prefix}/${e.uuid}/original/data/${name}.h5`
          : nwb
            ? `shared/${name}.nwb`
            : `original/data/${name}${e.hardware === 'axion' ? '.raw' : e.hardware === 'intan' ? '.rhd' : '.raw.h5'}`;
      const recTimestamp = `${e.date} T${pad(rng.int(8, 21))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))};`;
      const recording: JsonObject = { name };
      if (e.hardware !== 'maxwell-nwb') recording.hardware = hardwareName;
      if (e.hardware === 'maxwell-nwb' || e.hardware === 'maxwell-old') {
        recording.maxwell_chip_number = rng.chance(0.7) ? 'N/A' : String(e.chips[i % e.chips.length]);
        recording.maxwell_tracker_sr_no = 'xxxxxx';
      }
      Object.assign(recording, {
        channels: channels === 4 ? [0, 1, 2, 3] : [],
        notes: '',
        num_channels: channels || rng.pick(MAXWELL_CHANNELS),
        num_current_input_channels: 0,
        num_voltage_channels: e.hardware === 'mearec' ? channels : 32,
        offset: 0,
        sample_rate: sampleRate,
        voltage_scaling_factor: e.hardware === 'intan' ? 0.195 : 1,
        timestamp: recTimestamp,
        units: '\u00b5V',
        version: e.hardware === 'mearec' ? '0.0.0' : 20190530,
        blocks: [{ num_frames: frames, path: blockPath, timestamp: recTimestamp }],
      });
      if (nwb && e.hardware === 'maxwell-nwb') recording.data_format = 'NeurodataWithoutBorders';
      return recording;
    });

    if (e.hardware === 'mearec') {
      return {
        uuid: e.uuid,
        timestamp,
        notes: { comments: e.purpose },
        ephys_experiments: Object.fromEntries(recordings.map((r, i) => [`experiment${i}`, r])),
      };
    }
    const doc: JsonObject = { uuid: e.uuid, timestamp: e.hardware === 'maxwell-old' ? '' : timestamp };
    if (e.hardware === 'maxwell-nwb' || e.hardware === 'axion') doc.hardware = hardwareName;
    if (e.hardware === 'maxwell-nwb' || e.hardware === 'maxwell-old') doc.maxwell_chip_id = e.chips.join(', ');
    // Older Axion and Intan files keep the purpose as plain notes and the recordings as a list.
    if (e.hardware === 'axion' || e.hardware === 'intan') {
      doc.notes = e.purpose;
      doc.biology = biology;
      doc.ephys_experiments = recordings;
    } else {
      doc.notes = notes;
      doc.ephys_experiments = Object.fromEntries(recordings.map((r) => [r.name as string, r]));
    }
    if (e.prefix === 'integrated') {
      doc.fluidics = { pump: 'Autoculture v2', feed_interval_hours: rng.pick([6, 12, 24]) };
      doc.imaging = { microscope: 'Picroscope', interval_minutes: rng.pick([30, 60]) };
    }
    return doc;
  }
}

function columnsOf(sqlite: Database.Database, table: string): string {
  const names = sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
  return names.map((name) => `"${name}"`).join(', ');
}

function imagingWell(index: number): string {
  return `${'ABCD'[Math.floor(index / 6) % 4]}${(index % 6) + 1}`;
}

/**
 * Objects per experiment: 1–40, skewed (most experiments have a handful, some dozens), summing exactly to
 * `total`.
 */
function objectCounts(rng: Rng, experiments: number, total: number): Uint8Array {
  const counts = new Uint8Array(experiments);
  const mean = total / experiments;
  let sum = 0;
  for (let i = 0; i < experiments; i++) {
    const c = Math.min(40, Math.max(1, Math.round(1 - Math.log(1 - rng.next()) * (mean - 1))));
    counts[i] = c;
    sum += c;
  }
  while (sum !== total) {
    const i = rng.int(0, experiments - 1);
    if (sum < total && counts[i]! < 40) {
      counts[i]!++;
      sum++;
    } else if (sum > total && counts[i]! > 1) {
      counts[i]!--;
      sum--;
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

const EXPERIMENTS_PER_TRANSACTION = 5000;
const BUILD_CACHE_KIB = 1024 * 1024;
// A bigger in-memory FTS5 buffer during the build: fewer, larger segments to merge.
const BUILD_FTS_HASHSIZE = 64 * 1024 * 1024;
const DEFAULT_FTS_HASHSIZE = 1024 * 1024;

/**
 * Builds the index at `options.path` (created if missing) and returns the build time and the database's size on
 * disk. Throws if the database already holds experiments. The build runs without a journal, so a build that
 * fails or is killed leaves an unusable file: delete it and build again. The file is left as the app expects it
 * (WAL mode, default FTS5 settings), with each full-text index merged into one segment (FTS5 `optimize`).
 */
export async function buildSyntheticIndex(options: SyntheticIndexOptions): Promise<{ seconds: number; bytes: number }> {
  const { experiments: experimentCount, objects: objectTotal } = options;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(experimentCount) || experimentCount < 1) throw new Error('experiments must be a positive integer');
  if (!Number.isInteger(objectTotal) || objectTotal < experimentCount || objectTotal > 40 * experimentCount) {
    throw new Error('objects must be an integer between experiments and 40 × experiments');
  }
  const started = performance.now();
  const db = openDatabase(options.path);
  const sqlite = db.$client;
  try {
    const existing = sqlite.prepare('SELECT count(*) FROM experiments').pluck().get() as number;
    if (existing > 0) throw new Error(`${options.path} already holds ${existing} experiments`);

    // Build-only settings: nothing else reads this file while it is written, and a crash means rebuilding it.
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('foreign_keys = OFF');
    // A literal: a bound JS number arrives as a REAL, which FTS5 rejects for this option.
    sqlite.exec(`INSERT INTO experiments_fts(experiments_fts, rank) VALUES('hashsize', ${BUILD_FTS_HASHSIZE})`);

    const rng = new Rng(seed ^ 0x5bd1e995);
    const counts = objectCounts(rng, experimentCount, objectTotal);
    const rare = new Map<number, string[]>();
    for (const word of RARE_WORDS) {
      const chosen = new Set<number>();
      while (chosen.size < Math.min(RARE_WORD_ROWS, experimentCount)) chosen.add(rng.int(0, experimentCount - 1));
      for (const i of chosen) rare.set(i, [...(rare.get(i) ?? []), word]);
    }
    const generator = new Generator(seed, rare);

    // Rows are staged in temporary copies of the tables and moved with one INSERT … SELECT per table and
    // transaction. The real triggers still fill the full-text tables, but FTS5 flushes its pending terms at
    // every statement that writes it: row-by-row inserts made a tiny segment per row and were 4× slower.
    sqlite.exec(`CREATE TEMP TABLE stage_experiments AS SELECT * FROM main.experiments WHERE 0;
                 CREATE TEMP TABLE stage_objects AS SELECT * FROM main.objects WHERE 0;
                 CREATE TEMP TABLE stage_manifests AS SELECT * FROM main.hdf5_manifests WHERE 0;`);
    const insertExperiment = sqlite.prepare(
      `INSERT INTO temp.stage_experiments (id, uuid, prefix, path, metadata_source, metadata_key, metadata_etag,
         metadata_raw, metadata_error, metadata_text, date, species, sample_type, cell_line, hardware, chip_ids,
         channel_count, sample_rate, recording_names, purpose, object_count, total_bytes, newest_modified,
         first_crawled_at, last_crawled_at, file_text, recording_text, data_types, recording_flags, max_channels,
         max_seconds, rates, hdf5_files, nwb_files, unit_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Summaries only: the manifests' bytes are the viewer's, and no benchmark of the index reads them.
    const insertManifest = sqlite.prepare(
      `INSERT INTO temp.stage_manifests (object_id, etag, status, ranges, bytes, summary, error, built_at)
       VALUES (?, ?, 'built', '[]', NULL, ?, NULL, ?)`,
    );
    const insertObject = sqlite.prepare(
      'INSERT INTO temp.stage_objects (id, uuid, experiment_id, key, size, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const experimentColumns = columnsOf(sqlite, 'experiments');
    const objectColumns = columnsOf(sqlite, 'objects');
    const manifestColumns = columnsOf(sqlite, 'hdf5_manifests');
    const moveStaged = [
      `INSERT INTO main.experiments (${experimentColumns}) SELECT ${experimentColumns} FROM temp.stage_experiments`,
      `INSERT INTO main.objects (${objectColumns}) SELECT ${objectColumns} FROM temp.stage_objects`,
      `INSERT INTO main.hdf5_manifests (${manifestColumns}) SELECT ${manifestColumns} FROM temp.stage_manifests`,
      'DELETE FROM temp.stage_experiments',
      'DELETE FROM temp.stage_objects',
      'DELETE FROM temp.stage_manifests',
    ].map((sql) => sqlite.prepare(sql));
    // A stream of its own: the summaries leave every other choice, and so BENCH_QUERIES' counts, as they were.
    const summaryRng = new Rng(seed ^ 0x2c1b3c6d);

    let objectId = 0;
    const writeBatch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const e = generator.experiment(i, counts[i]!);
        const derived = deriveFields(e.uuid, e.metadata);
        const context = {
          uuid: e.uuid,
          channels: derived.channelCount,
          rate: derived.sampleRate,
          species: derived.species,
          purpose: derived.purpose,
          date: derived.date,
          sorted: e.objects.some((o) => o.key.endsWith('_phy.zip')),
        };
        const summaries = e.objects.map((o) => (options.recordings === false ? null : syntheticSummary(summaryRng, o.key, o.size, context)));
        const facts = recordingFacts(summaries.filter((summary) => summary !== null));
        let totalBytes = 0;
        let newest = 0;
        for (const o of e.objects) {
          totalBytes += o.size;
          if (o.lastModified > newest) newest = o.lastModified;
        }
        const id = i + 1;
        insertExperiment.run(
          id,
          e.uuid,
          e.prefix,
          e.path,
          e.metadataSource,
          e.metadataKey,
          e.metadataEtag,
          e.metadataRaw,
          e.metadataError,
          e.metadata ? flattenMetadata(e.metadata).text : '',
          derived.date,
          derived.species,
          derived.sampleType,
          derived.cellLine,
          derived.hardware,
          derived.chipIds,
          derived.channelCount,
          derived.sampleRate,
          JSON.stringify(derived.recordingNames),
          derived.purpose,
          e.objects.length,
          totalBytes,
          e.objects.length ? newest : null,
          SYNTHETIC_CRAWL_STARTED,
          SYNTHETIC_CRAWL_STARTED,
          e.objects.map((o) => o.key.slice(e.path.length + 1)).join('\n'),
          facts.recordingText,
          facts.dataTypes,
          facts.recordingFlags,
          facts.maxChannels,
          facts.maxSeconds,
          facts.rates,
          facts.hdf5Files,
          facts.nwbFiles,
          facts.unitCount,
        );
        e.objects.forEach((o, n) => {
          insertObject.run(++objectId, objectUuid(SYNTHETIC_BUCKET, o.key), id, o.key, o.size, o.etag, o.lastModified);
          const summary = summaries[n];
          if (summary) insertManifest.run(objectId, o.etag, encodeDeflatedJson(summary), SYNTHETIC_CRAWL_STARTED);
        });
      }
      for (const statement of moveStaged) statement.run();
    });
    for (let from = 0; from < experimentCount; from += EXPERIMENTS_PER_TRANSACTION) {
      const to = Math.min(experimentCount, from + EXPERIMENTS_PER_TRANSACTION);
      writeBatch(from, to);
      options.onProgress?.(to);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (objectId !== objectTotal) throw new Error(`wrote ${objectId} objects, expected ${objectTotal}`);

    sqlite
      .prepare(
        `INSERT INTO crawl_runs (started_at, finished_at, status, options, experiments_new, objects, s3_requests)
         VALUES (?, ?, 'succeeded', ?, ?, ?, ?)`,
      )
      .run(
        SYNTHETIC_CRAWL_STARTED,
        SYNTHETIC_CRAWL_STARTED + CRAWL_SECONDS * 1000,
        JSON.stringify({ synthetic: true, seed, experiments: experimentCount, objects: objectTotal }),
        experimentCount,
        objectTotal,
        JSON.stringify({ ListObjectsV2: Math.ceil(objectTotal / 1000) + 5 * 16, GetObject: experimentCount }),
      );

    // Back to the defaults the app expects, then merge each full-text index into one segment.
    // The config table is a protected shadow table: set the default back rather than deleting the row.
    sqlite.exec(`INSERT INTO experiments_fts(experiments_fts, rank) VALUES('hashsize', ${DEFAULT_FTS_HASHSIZE})`);
    sqlite.exec(`INSERT INTO experiments_fts(experiments_fts) VALUES('optimize')`);
    sqlite.pragma('locking_mode = NORMAL');
    sqlite.pragma('journal_mode = WAL');
  } finally {
    sqlite.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  return { seconds, bytes: size(options.path) + size(`${options.path}-wal`) };
}
