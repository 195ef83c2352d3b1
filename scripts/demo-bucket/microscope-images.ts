/** Brightfield-looking frames: a dark, textured organoid (or a cell monolayer) on a lit background. */
import type { Rng } from './prng';
import { greyscalePng } from './png';
import type { SampleType } from './vocabulary';

const SIZE = 96;

export function microscopeFrame(rng: Rng, sample: SampleType, z: number): Buffer {
  const pixels = new Uint8Array(SIZE * SIZE);
  const cx = SIZE / 2 + rng.range(-8, 8);
  const cy = SIZE / 2 + rng.range(-8, 8);
  const radius = rng.range(18, 30);
  // Out-of-focus planes look softer: blur widens with distance from the middle plane.
  const edge = 2 + Math.abs(z - 1) * 3;
  const cells = Array.from({ length: 60 }, () => [rng.range(0, SIZE), rng.range(0, SIZE), rng.range(1.5, 3.5)] as const);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let v = 205 + rng.normal() * 6 - ((x + y) / SIZE) * 12;
      if (sample === 'organoid') {
        const d = Math.hypot(x - cx, y - cy);
        const inside = 1 / (1 + Math.exp((d - radius) / edge));
        v -= inside * (95 + 25 * Math.sin(x * 0.7) * Math.cos(y * 0.6));
      } else {
        for (const [px, py, r] of cells) {
          const d = Math.hypot(x - px, y - py);
          if (d < r * 2) v -= 50 * Math.exp(-((d / r) ** 2));
        }
      }
      pixels[y * SIZE + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return greyscalePng(SIZE, SIZE, pixels);
}
