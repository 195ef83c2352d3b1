import sharp from 'sharp';

/** A PNG's size and how many of its pixels are near a colour (`#rrggbb`), in each horizontal band of `bands`. */
export async function pngPixels(png: Uint8Array, color: string, bands = 1) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const target = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
  const counts = new Array<number>(bands).fill(0);
  const distinct = new Set<number>();
  for (let p = 0; p < info.width * info.height; p++) {
    const [r, g, b] = [data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!];
    distinct.add((r << 16) | (g << 8) | b);
    if (Math.abs(r - target[0]!) + Math.abs(g - target[1]!) + Math.abs(b - target[2]!) < 48)
      counts[Math.min(bands - 1, Math.floor((Math.floor(p / info.width) * bands) / info.height))]!++;
  }
  return { width: info.width, height: info.height, format: info.format, near: counts, colors: distinct.size };
}
