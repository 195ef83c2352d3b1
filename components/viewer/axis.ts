/** Axes of the viewer's plots: where ticks go on a time axis, how their labels read, and the scale bar's length. */

/** The smallest of 1, 2, 5 × 10ⁿ at least `value` (value > 0). */
export function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  // A little slack so that 0.3 / 3 is 0.1, not 0.2, despite its last bits.
  const nice = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10;
  return nice * power;
}

/** The largest of 1, 2, 5 × 10ⁿ at most `value` (value > 0). */
export function niceBelow(value: number): number {
  const step = niceStep(value);
  if (step <= value * (1 + 1e-9)) return step;
  const power = 10 ** Math.floor(Math.log10(step));
  const fraction = Math.round(step / power);
  return (fraction === 1 ? 0.5 : fraction === 2 ? 1 : 2) * power;
}

export interface TimeAxis {
  /** Tick times, in seconds, within [start, end]. */
  ticks: number[];
  /** The unit labels are written in: milliseconds when a window is shorter than two seconds. */
  unit: 's' | 'ms';
  label: (seconds: number) => string;
}

/** Ticks every 1, 2 or 5 × 10ⁿ seconds, about `target` of them over [start, end], labelled with as many decimals as the step needs. */
export function timeAxis(start: number, end: number, target = 8): TimeAxis {
  const span = Math.max(end - start, 1e-9);
  const unit = span < 2 ? 'ms' : 's';
  const scale = unit === 'ms' ? 1000 : 1;
  const step = niceStep(span / target);
  const decimals = Math.max(0, -Math.floor(Math.log10(step * scale) + 1e-9));
  const ticks: number[] = [];
  for (let i = Math.ceil(start / step - 1e-9); i * step <= end + step * 1e-9; i++) ticks.push(i * step);
  return { ticks, unit, label: (seconds) => `${(seconds * scale).toFixed(decimals)}` };
}

/** A scale bar as long as a nice amount (1, 2, 5 × 10ⁿ) that fits in `maxPixels` at `perPixel` units a pixel. */
export function scaleBar(perPixel: number, maxPixels: number): { value: number; pixels: number } {
  const value = niceBelow(perPixel * maxPixels);
  return { value, pixels: value / perPixel };
}

/** An amount with its unit, in a few significant digits: 100 µV, 0.5 mV is still written in µV. */
export function formatAmount(value: number, unit: string): string {
  return `${Number(value.toPrecision(3)).toLocaleString('en-US')} ${unit}`;
}
