/**
 * CRM photos as Outlook takes them: Graph accepts contact photos as JPEG only (profilephoto-update:
 * "Content-Type: image/jpeg. Required"; FIDELITY 17), so a PNG is decoded (fast-png) and encoded as
 * JPEG (jpeg-js), transparency composited onto white. Pure JS, for Node (the sync service, tests);
 * the pane uses the webview's canvas instead (adapters/browser/canvas-jpeg.ts, same result) and
 * never bundles this codec.
 *
 * @example
 *   toJpeg({ contentType: "image/png", data: pngBytes }) // { contentType: "image/jpeg", data: … }
 */
import { convertIndexedToRgb, decode as decodePng } from "fast-png";
import encodeJpeg from "jpeg-js/lib/encoder";
import { AppError } from "../../core/errors";
import type { Photo } from "../../core/model";

/** JPEG quality of converted photos (Outlook re-encodes them anyway). */
const QUALITY = 90;

/** RGBA (8 bit) pixels of a decoded PNG, alpha composited onto white. */
function rgbaOf(png: ReturnType<typeof decodePng>): Uint8Array {
  let data: ArrayLike<number> = png.data;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  }
  const shift = png.palette ? 0 : png.depth === 16 ? 8 : 0;
  const scale = !png.palette && png.depth < 8 ? 255 / ((1 << png.depth) - 1) : 1;
  const pixels = png.width * png.height;
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const at = p * channels;
    const v = (i: number): number => Math.round(((data[at + i] ?? 0) >> shift) * scale);
    const [r, g, b] = channels >= 3 ? [v(0), v(1), v(2)] : [v(0), v(0), v(0)];
    const alpha = channels === 4 ? v(3) : channels === 2 ? v(1) : 255;
    const mix = (c: number): number => Math.round((c * alpha + 255 * (255 - alpha)) / 255);
    out[p * 4] = mix(r);
    out[p * 4 + 1] = mix(g);
    out[p * 4 + 2] = mix(b);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * jpeg-js returns `Buffer.from(bytes)` when loaded as a CommonJS module, and browsers have no
 * Buffer: during the (synchronous) encode a minimal stand-in is provided, then removed again.
 */
function withBufferFrom<T>(fn: () => T): T {
  const g = globalThis as { Buffer?: unknown };
  if (g.Buffer !== undefined) return fn();
  g.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  try {
    return fn();
  } finally {
    delete g.Buffer;
  }
}

/** The photo as JPEG (a JPEG is returned as is); `photo-invalid` when it cannot be decoded. */
export function toJpeg(photo: Photo): Photo {
  if (photo.contentType === "image/jpeg") return photo;
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(photo.data);
  } catch (e) {
    throw new AppError("photo-invalid", "The photo is not a readable PNG image.", { cause: e });
  }
  const rgba = rgbaOf(png);
  const encoded = withBufferFrom(() =>
    encodeJpeg({ data: rgba, width: png.width, height: png.height }, QUALITY),
  );
  return { contentType: "image/jpeg", data: new Uint8Array(encoded.data) };
}
