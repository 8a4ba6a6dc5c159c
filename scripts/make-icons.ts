/**
 * Generates the add-in icons under assets/ (16, 32, 64, 80, 128 px PNGs, and the 9 icons of the
 * Outlook mobile button: 25, 32 and 48 px at scales 1-3, e.g. icon-mobile-25-3x.png is 75 px):
 * two people on a blue rounded tile with a small sync arc. Run `npx tsx scripts/make-icons.ts` after changing
 * the drawing; the PNGs are committed so the build needs no extra step.
 *
 * Drawing happens in a 0..1 unit square; each pixel is supersampled 4x4 for smooth edges.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";

type Rgb = [number, number, number];
const TILE: Rgb = [15, 108, 189]; // Fluent brand blue #0F6CBD
const FRONT: Rgb = [255, 255, 255];
const BACK: Rgb = [199, 224, 244]; // light blue for the person behind

const inRoundedRect = (x: number, y: number, r: number): boolean => {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inCircle = (x: number, y: number, cx: number, cy: number, r: number): boolean =>
  (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** Upper half-ellipse for the shoulders, cut at `bottom`. */
const inShoulders = (x: number, y: number, cx: number, top: number, w: number, bottom: number): boolean => {
  if (y < top || y > bottom) return false;
  const h = (bottom - top) * 2;
  return ((x - cx) / w) ** 2 + ((y - bottom) / (h / 2)) ** 2 <= 1;
};

/** Colour of one sample point, or null for transparent. */
function sample(x: number, y: number): Rgb | null {
  if (!inRoundedRect(x, y, 0.2)) return null;
  // Front person (right), drawn first so it wins.
  if (inCircle(x, y, 0.6, 0.4, 0.13) || inShoulders(x, y, 0.6, 0.58, 0.24, 0.84)) return FRONT;
  // Gap ring around the front person so the two figures stay apart at small sizes.
  if (inCircle(x, y, 0.6, 0.4, 0.17) || inShoulders(x, y, 0.6, 0.54, 0.28, 0.88)) return TILE;
  // Back person (left).
  if (inCircle(x, y, 0.36, 0.33, 0.11) || inShoulders(x, y, 0.36, 0.5, 0.2, 0.74)) return BACK;
  return TILE;
}

function render(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            hits++;
          }
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = hits ? Math.round(r / hits) : 0;
      png.data[i + 1] = hits ? Math.round(g / hits) : 0;
      png.data[i + 2] = hits ? Math.round(b / hits) : 0;
      png.data[i + 3] = Math.round((hits / (n * n)) * 255);
    }
  }
  return PNG.sync.write(png);
}

const outDir = join(__dirname, "..", "assets");
mkdirSync(outDir, { recursive: true });
for (const size of [16, 32, 64, 80, 128]) {
  writeFileSync(join(outDir, `icon-${size}.png`), render(size));
}
// MobileIconList (manifest "Icon" element: sizes 25, 32, 48, each at scale 1, 2 and 3).
for (const size of [25, 32, 48]) {
  for (const scale of [1, 2, 3]) {
    writeFileSync(join(outDir, `icon-mobile-${size}-${scale}x.png`), render(size * scale));
  }
}
