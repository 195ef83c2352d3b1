import sharp from 'sharp';
import { formatCount } from '../lib/format';
import type { PreviewData } from './hdf5-preview';

/**
 * A recording's preview as a PNG: its traces (each channel's envelope, one band each) above a raster of
 * its units' spikes, or either alone, on the dark ground of the experiment's card. Drawn as SVG and
 * rasterised by sharp (libvips), without text, so that no font is needed; what it shows is said in words
 * by `describePreview`, its alt text.
 */

export const PREVIEW_SIZE = { width: 800, height: 240 } as const;
export const PREVIEW_COLORS = { ground: '#0d1b2a', trace: '#7fb3ff', spike: '#7ee2b8' } as const;

const PAD = 8;
const f1 = (n: number) => n.toFixed(1);

export function previewSvg(data: PreviewData): string {
  const { width, height } = PREVIEW_SIZE;
  const inner = { left: PAD, right: width - PAD, top: PAD, bottom: height - PAD };
  const split = data.traces && data.units ? inner.top + (inner.bottom - inner.top) * 0.62 : null;
  const shapes: string[] = [];
  if (data.traces) shapes.push(tracesPath(data.traces.envelopes, inner.left, inner.right, inner.top, split ?? inner.bottom));
  if (data.units) shapes.push(rasterPath(data.units, inner.left, inner.right, split === null ? inner.top : split + PAD, inner.bottom));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="${PREVIEW_COLORS.ground}"/>${shapes.join('')}</svg>`;
}

/**
 * Each envelope as a filled band between its maxima and minima, one band per channel. All share one scale,
 * so that a quiet channel looks quiet beside a busy one; what strays past its band is clipped to it.
 */
function tracesPath(envelopes: Float32Array[], left: number, right: number, top: number, bottom: number): string {
  const band = (bottom - top) / envelopes.length;
  const magnitudes = envelopes.flatMap((e) => Array.from(e, Math.abs)).sort((a, b) => a - b);
  // The 99.5th percentile, not the largest value: one artefact would flatten every trace.
  const scale = (band * 0.5) / (magnitudes[Math.floor(magnitudes.length * 0.995)] || 1);
  const paths = envelopes.map((envelope, i) => {
    const middle = top + band * (i + 0.5);
    const columns = envelope.length / 2;
    const x = (col: number) => left + ((right - left) * col) / Math.max(1, columns - 1);
    const y = (v: number) => Math.min(middle + band / 2, Math.max(middle - band / 2, middle - v * scale));
    const upper: string[] = [];
    const lower: string[] = [];
    for (let col = 0; col < columns; col++) {
      upper.push(`${f1(x(col))} ${f1(y(envelope[col * 2 + 1]!))}`);
      lower.push(`${f1(x(col))} ${f1(y(envelope[col * 2]!))}`);
    }
    return `M${upper.join('L')}L${lower.reverse().join('L')}Z`;
  });
  return `<path d="${paths.join('')}" fill="${PREVIEW_COLORS.trace}" stroke="${PREVIEW_COLORS.trace}" stroke-width="1.2" stroke-linejoin="round"/>`;
}

/** A row per unit, a tick per spike. */
function rasterPath(units: PreviewData['units'] & object, left: number, right: number, top: number, bottom: number): string {
  const row = (bottom - top) / units.spikes.length;
  const tick = Math.min(14, Math.max(1, row * 0.8));
  const ticks = units.spikes.flatMap((spikes, u) => {
    const y = top + row * u + (row - tick) / 2;
    return Array.from(spikes, (t) => `M${f1(left + ((right - left) * t) / units.seconds)} ${f1(y)}v${f1(tick)}`);
  });
  return `<path d="${ticks.join('')}" stroke="${PREVIEW_COLORS.spike}" stroke-width="1.5"/>`;
}

export async function drawPreview(data: PreviewData): Promise<{ png: Buffer; width: number; height: number }> {
  const png = await sharp(Buffer.from(previewSvg(data)))
    .png({ palette: true, compressionLevel: 9 })
    .toBuffer();
  return { png, ...PREVIEW_SIZE };
}

const seconds = (s: number) => (s < 10 ? `${Number(s.toFixed(2))} s` : `${Math.round(s)} s`);

/** What the preview shows, in a sentence: the image's alt text. */
export function describePreview(data: PreviewData): string {
  const parts: string[] = [];
  if (data.traces) {
    const { shown, channels, seconds: s, series, type } = data.traces;
    const which =
      channels > shown.length
        ? `${shown.length} of ${formatCount(channels)} channels (the most active)`
        : `${shown.length === 1 ? 'the channel' : `all ${shown.length} channels`}`;
    parts.push(`the first ${seconds(s)} of ${type} ${series}, ${which}`);
  }
  if (data.units) {
    const { units, spikes, seconds: s } = data.units;
    const which =
      units > spikes.length
        ? `the first ${spikes.length} of ${formatCount(units)} units`
        : `its ${formatCount(units)} ${units === 1 ? 'unit' : 'units'}`;
    parts.push(`the spikes of ${which} over the first ${seconds(s)}`);
  }
  return `Preview: ${parts.join('; ')}.`;
}
