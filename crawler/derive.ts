import { isObject, positiveNumber, recordingsOf, type JsonObject } from '../lib/metadata-shape';

/** The fields shown in results and used as filters, derived from any known metadata layout. */
export interface DerivedFields {
  date: string | null;
  species: string | null;
  sampleType: string | null;
  cellLine: string | null;
  hardware: string | null;
  chipIds: string | null;
  channelCount: number | null;
  sampleRate: number | null;
  recordingNames: string[];
  purpose: string | null;
}

// Summary fields are shown in every search result and facet: a value longer than a sentence is not a
// species or a chip id but a mistake, and is cut (the whole of it stays in the metadata and its text).
const MAX_FIELD_CHARS = 200;
const MAX_PURPOSE_CHARS = 2000;

function clip(value: string | null, max = MAX_FIELD_CHARS): string | null {
  return value !== null && value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || /^(n\/a|none|null|unknown)$/i.test(trimmed) ? null : trimmed;
}

function get(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A real calendar date at the start of `value` (`2023-04-02-e-…`, `2023-08-12 T15:01:19;`, ISO timestamps). */
export function leadingDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const valid = y >= 1990 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return valid ? date.toISOString().slice(0, 10) : null;
}

function distinctJoined(values: (string | null)[]): string | null {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
  return distinct.length ? distinct.join(', ') : null;
}

// A loop, not Math.max(...values): spreading 150,000 recordings overflows the call stack.
function maxOf(values: (number | null)[]): number | null {
  let max: number | null = null;
  for (const v of values) if (v !== null && (max === null || v > max)) max = v;
  return max;
}

function chipIdsOf(value: unknown): string | null {
  if (Array.isArray(value)) return distinctJoined(value.map(text));
  const single = text(value);
  return single ? distinctJoined(single.split(/[,;\s]+/).map(text)) : null;
}

function purposeOf(metadata: JsonObject): string | null {
  const notes = metadata.notes;
  return (
    text(get(notes, 'purpose')) ??
    text(notes) ??
    text(get(notes, 'comments')) ??
    text(get(notes, 'comments', 'purpose')) ??
    text(metadata.purpose) ??
    text(metadata.description)
  );
}

/** Derived fields of an experiment; `metadata` is null when there is none or it could not be parsed. */
export function deriveFields(uuid: string, metadata: JsonObject | null): DerivedFields {
  const m = metadata ?? {};
  const recordings = recordingsOf(m);
  const biology = get(m, 'notes', 'biology') ?? m.biology;
  const lower = (v: string | null) => v?.toLowerCase() ?? null;
  return {
    date:
      leadingDate(uuid) ?? leadingDate(m.timestamp) ?? leadingDate(recordings.map((r) => r.fields.timestamp).find((t) => leadingDate(t) !== null)),
    species: clip(lower(text(get(biology, 'species')) ?? text(m.species))),
    sampleType: clip(lower(text(get(biology, 'sample_type')) ?? text(m.sample_type))),
    cellLine: clip(text(get(biology, 'cell_line')) ?? text(m.cell_line)),
    hardware: clip(text(m.hardware) ?? distinctJoined(recordings.map((r) => text(r.fields.hardware)))),
    chipIds: clip(chipIdsOf(m.maxwell_chip_id) ?? distinctJoined(recordings.map((r) => chipIdsOf(r.fields.maxwell_chip_number)))),
    channelCount: maxOf([positiveNumber(m.num_channels), ...recordings.map((r) => positiveNumber(r.fields.num_channels))]),
    sampleRate: maxOf([positiveNumber(m.sample_rate), ...recordings.map((r) => positiveNumber(r.fields.sample_rate))]),
    recordingNames: recordings.map((r) => r.name),
    purpose: clip(purposeOf(m), MAX_PURPOSE_CHARS),
  };
}
