/** Numbers as the pages print them: counts with separators, sizes, durations and rates with their units. */

// One formatter for every count: toLocaleString builds one per call, which cost a search page a millisecond.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
export const formatCount = (n: number) => COUNT.format(n);

export function formatSampleRate(hz: number): string {
  return hz >= 1000 ? `${formatCount(hz / 1000)} kHz` : `${formatCount(hz)} Hz`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A duration to the second, for tables: `1 h 2 min`, `4 min 10 s`, `42 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${formatCount(seconds)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** A duration in one unit, for one-line summaries: `20 ms`, `72 s`, `62 min`, `5.2 h`. */
export function formatLength(seconds: number): string {
  if (seconds < 0.1) return `${formatCount(Math.round(seconds * 1000))} ms`;
  if (seconds < 90) return `${formatCount(Math.round(seconds * 10) / 10)} s`;
  if (seconds < 3 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${formatCount(Math.round(seconds / 360) / 10)} h`;
}
