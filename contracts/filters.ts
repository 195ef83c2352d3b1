/**
 * The search's filters, each declared once: its URL parameter, the operators that set it in a query
 * (`species:mouse`), how an operator's value matches (`exact`, or `contains`: `hardware:max` finds
 * Maxwell), the index column its values come from and the label of its facet. The search parameters, the
 * parser, the catalog, the constraints and the pages are derived from this table (as Datasette's
 * filters.py and facets.py), so adding a facet is adding a row.
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
}

export const FILTERS = {
  prefix: { param: 'prefix', operators: ['modality', 'prefix'], operatorMatch: 'exact', column: 'prefix', label: 'Modality', values: MODALITIES },
  species: { param: 'species', operators: ['species'], operatorMatch: 'exact', column: 'species', label: 'Species' },
  sampleType: { param: 'sample_type', operators: ['sample_type', 'sample'], operatorMatch: 'contains', column: 'sample_type', label: 'Sample type' },
  hardware: { param: 'hardware', operators: ['hardware'], operatorMatch: 'contains', column: 'hardware', label: 'Hardware' },
} as const satisfies Record<string, FilterSpec>;

export type FilterName = keyof typeof FILTERS;
export const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

/** A filter's URL parameter (`sample_type`). */
export type FilterParam = (typeof FILTERS)[FilterName]['param'];
export const FILTER_PARAMS = FILTER_NAMES.map((name) => FILTERS[name].param);

/** Values per filter, as every layer carries them. */
export type FilterValues = Record<FilterName, string[]>;

export const noFilterValues = (): FilterValues => Object.fromEntries(FILTER_NAMES.map((name) => [name, []])) as unknown as FilterValues;
