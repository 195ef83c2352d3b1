import { z } from 'zod';

/**
 * What an HDF5 or NWB file holds, as the crawler read it from the file's structure (never its bulk data):
 * stored per file version, returned whole by `/api/files/<uuid>`, and behind the search's `type:`, `has:`,
 * `channels:`, `duration:` and `rate:` operators.
 */

const filter = z.object({ id: z.number().int(), name: z.string() });

/** A time series: a group with a `data` dataset and `starting_time` (with a rate) or `timestamps`. */
export const seriesSummary = z.object({
  path: z.string(),
  /** Its neurodata_type (ElectricalSeries, ImageSeries…), or `TimeSeries` when it has none. */
  type: z.string(),
  shape: z.array(z.number().int().nonnegative()).nullable(),
  dtype: z.string(),
  /** Samples per second, from `starting_time`'s `rate`. */
  rate: z.number().nullable(),
  /** How many `timestamps` there are, when the series has them instead of a rate. */
  timestamps: z.number().int().nullable(),
  start: z.number().nullable(),
  /** Length in seconds: frames ÷ rate, or the span of its timestamps. */
  seconds: z.number().nullable(),
  unit: z.string().nullable(),
  conversion: z.number().nullable(),
  filters: z.array(filter),
  /** Whether a browser (h5wasm without plugins) can decode its data. */
  decodable: z.boolean(),
});

export const nwbSummary = z.object({
  version: z.string().nullable(),
  identifier: z.string().nullable(),
  sessionDescription: z.string().nullable(),
  sessionStartTime: z.string().nullable(),
  experimenter: z.array(z.string()),
  lab: z.string().nullable(),
  institution: z.string().nullable(),
  keywords: z.array(z.string()),
  experimentDescription: z.string().nullable(),
  subject: z.object({
    species: z.string().nullable(),
    age: z.string().nullable(),
    sex: z.string().nullable(),
    genotype: z.string().nullable(),
    strain: z.string().nullable(),
  }),
  devices: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
  electrodeGroups: z.array(z.object({ name: z.string(), location: z.string().nullable() })),
  electrodes: z.number().int().nullable(),
  units: z.number().int().nullable(),
  spikes: z.number().int().nullable(),
  trials: z.number().int().nullable(),
  intervals: z.array(z.object({ name: z.string(), count: z.number().int().nullable() })),
});

export const hdf5Summary = z.object({
  format: z.enum(['nwb', 'hdf5']),
  nwb: nwbSummary.nullable(),
  /** Every object with a neurodata_type, with its namespace (`core`, `hdmf-common`, an extension's `ndx-…`). */
  neurodataTypes: z.array(z.object({ path: z.string(), type: z.string(), namespace: z.string().nullable() })),
  series: z.array(seriesSummary),
  tree: z.object({ groups: z.number().int(), datasets: z.number().int() }),
  /** The largest datasets, largest first. */
  largest: z.array(
    z.object({
      path: z.string(),
      shape: z.array(z.number().int().nonnegative()).nullable(),
      dtype: z.string(),
      bytes: z.number(),
      filters: z.array(filter),
      decodable: z.boolean(),
    }),
  ),
  /** What could not be read or was left out, and why. */
  problems: z.array(z.string()),
});

export type Hdf5Summary = z.infer<typeof hdf5Summary>;
export type SeriesSummary = z.infer<typeof seriesSummary>;
export type NwbSummary = z.infer<typeof nwbSummary>;
