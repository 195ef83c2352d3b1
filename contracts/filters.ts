/**
 * The search's filters, each declared once: its URL parameter, the operators that set it in a query
 * (`species:mouse`), how an operator's value matches (`exact`, or `contains`: `hardware:max` finds
 * Maxwell), the index column its values come from and the label of its facet. The search parameters, the
 * parser, the catalog, the constraints and the pages are derived from this table (as Datasette's
 * filters.py and facets.py), so adding a facet is adding a row. Matching ignores case.
 *
 * A filter is single-valued (an experiment has one species; several values asked for are alternatives) or
 * `multiValued` (an experiment's files hold several neurodata types, space-separated in its column;
 * several values asked for must all be there: `has:units has:lfp`).
 *
 * The filters `ofFiles` and the measures are about what files hold: a result lists its files that match them.
 */

/** The bucket's top-level prefixes, which `modality:` names. */
export const MODALITIES = ['archive', 'ephys', 'fluidics', 'imaging', 'integrated'] as const;

export interface FilterSpec {
  param: string;
  operators: readonly string[];
  operatorMatch: 'exact' | 'contains';
  column: string;
  label: string;
  /** The only values it takes, when it has a fixed list: a value outside it is a query error. */
  values?: readonly string[];
  multiValued?: true;
  /** Its values are what an experiment's files hold: a result lists the files that have them. */
  ofFiles?: true;
  /** Values its facet leaves out: true of nearly every file, they would crowd out what tells files apart. */
  facetHides?: readonly string[];
}

/** What an experiment's files can have, which `has:` names (lib/recordings/facts.ts sets them). */
export const RECORDING_FLAGS = ['units', 'spikes', 'lfp', 'trials'] as const;
export type RecordingFlag = (typeof RECORDING_FLAGS)[number];

// The table machinery of hdmf-common, in every NWB file with a table.
const TABLE_PARTS = ['VectorData', 'VectorIndex', 'ElementIdentifiers', 'DynamicTableRegion', 'DynamicTable'];

export const FILTERS = {
  prefix: { param: 'prefix', operators: ['modality', 'prefix'], operatorMatch: 'exact', column: 'prefix', label: 'Modality', values: MODALITIES },
  species: { param: 'species', operators: ['species'], operatorMatch: 'exact', column: 'species', label: 'Species' },
  sampleType: { param: 'sample_type', operators: ['sample_type', 'sample'], operatorMatch: 'contains', column: 'sample_type', label: 'Sample type' },
  hardware: { param: 'hardware', operators: ['hardware'], operatorMatch: 'contains', column: 'hardware', label: 'Hardware' },
  dataType: {
    param: 'data',
    operators: ['type'],
    operatorMatch: 'exact',
    column: 'data_types',
    label: 'Data',
    multiValued: true,
    ofFiles: true,
    facetHides: TABLE_PARTS,
  },
  has: {
    param: 'has',
    operators: ['has'],
    operatorMatch: 'exact',
    column: 'recording_flags',
    label: 'Has',
    values: RECORDING_FLAGS,
    multiValued: true,
    ofFiles: true,
  },
} as const satisfies Record<string, FilterSpec>;

export type FilterName = keyof typeof FILTERS;
export const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

/** A filter's URL parameter (`sample_type`). */
export type FilterParam = (typeof FILTERS)[FilterName]['param'];
export const FILTER_PARAMS = FILTER_NAMES.map((name) => FILTERS[name].param);

/** Values per filter, as every layer carries them. */
export type FilterValues = Record<FilterName, string[]>;

export const noFilterValues = (): FilterValues => Object.fromEntries(FILTER_NAMES.map((name) => [name, []])) as unknown as FilterValues;

/**
 * The search's measures, compared with a number in a query (`channels:>=512`, `duration:>10m`, `rate:20k`):
 * the operator, the index column, the unit of its values and whether an experiment has one value (its
 * largest) or a list of them (space-separated; any of them may match).
 */
export interface MeasureSpec {
  operator: string;
  column: string;
  unit: 'count' | 'seconds' | 'hertz';
  of: 'largest' | 'any';
  /** How the query error shows a valid value. */
  example: string;
}

export const MEASURES = {
  channels: { operator: 'channels', column: 'max_channels', unit: 'count', of: 'largest', example: 'channels:>=512' },
  duration: { operator: 'duration', column: 'max_seconds', unit: 'seconds', of: 'largest', example: 'duration:>10m (s, m or h)' },
  rate: { operator: 'rate', column: 'rates', unit: 'hertz', of: 'any', example: 'rate:20k or rate:>=10kHz' },
} as const satisfies Record<string, MeasureSpec>;

export type MeasureName = keyof typeof MEASURES;
export const MEASURE_NAMES = Object.keys(MEASURES) as MeasureName[];

export const COMPARISONS = ['>=', '<=', '>', '<', '='] as const;
export type Comparison = (typeof COMPARISONS)[number];
/** `duration:>10m` as the search takes it: the measure's value, in its unit, compared. */
export interface MeasureBound {
  comparison: Comparison;
  value: number;
}

/** Equal, for a measure that is not a count: within this share (a 20 kHz rate stored as 19,999.6 Hz is 20 kHz). */
export const NEARLY = 0.01;

export function nearlyEqual(value: number, other: number): boolean {
  return Math.abs(value - other) <= Math.abs(other) * NEARLY;
}
