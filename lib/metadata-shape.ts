/**
 * Where things live in the lab's metadata.json layouts, shared by the crawler (which derives the indexed
 * fields) and the experiment page (which shows the recordings).
 */

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Recording {
  name: string;
  fields: JsonObject;
}

/** Recordings from `ephys_experiments`, an object keyed by name in most files and a list in older ones. */
export function recordingsOf(metadata: JsonObject): Recording[] {
  const raw = metadata.ephys_experiments;
  const entries: [string | undefined, unknown][] = Array.isArray(raw)
    ? raw.map((item) => [undefined, item])
    : isObject(raw)
      ? Object.entries(raw)
      : [];
  return entries.flatMap(([key, fields], index) =>
    isObject(fields) ? [{ name: nonEmptyText(fields.name) ?? key ?? `recording ${index + 1}`, fields }] : [],
  );
}

export interface RecordingSummary {
  name: string;
  sampleRate: number | null;
  channels: number | null;
  /** Each block's file as written in the metadata (relative to the experiment or an s3:// URI) and length. */
  blocks: { path: string | null; frames: number | null; seconds: number | null }[];
  /** Total length in seconds, when every block's frames and the sample rate are known. */
  seconds: number | null;
}

/** Each recording's rate, channels and length (frames ÷ sample rate), as far as its metadata tells. */
export function summarizeRecordings(metadata: JsonObject): RecordingSummary[] {
  return recordingsOf(metadata).map(({ name, fields }) => {
    const sampleRate = positiveNumber(fields.sample_rate);
    const blocks = (Array.isArray(fields.blocks) ? fields.blocks : []).filter(isObject).map((block) => {
      const frames = positiveNumber(block.num_frames);
      return { path: nonEmptyText(block.path), frames, seconds: frames !== null && sampleRate !== null ? frames / sampleRate : null };
    });
    const known = blocks.length > 0 && blocks.every((b) => b.seconds !== null);
    return {
      name,
      sampleRate,
      channels: positiveNumber(fields.num_channels),
      blocks,
      seconds: known ? blocks.reduce((sum, b) => sum + b.seconds!, 0) : null,
    };
  });
}

function nonEmptyText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function positiveNumber(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}
