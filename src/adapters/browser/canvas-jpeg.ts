/**
 * CRM photos as Outlook takes them, in the browser: Graph accepts contact photos as JPEG only
 * (profilephoto-update: "Content-Type: image/jpeg. Required"; FIDELITY 17), so the pane lets the
 * webview decode the PNG (`createImageBitmap`, or an <img> from a blob: URL where that is missing)
 * and encode a JPEG (`canvas.toBlob`), transparency composited onto white. This keeps a PNG decoder
 * and a JPEG encoder (~22 KiB gzip) out of the pane; Node (the sync service, tests) uses the
 * pure-JS converter in adapters/graph/photo-jpeg.ts, which does the same.
 *
 * @example
 *   await canvasToJpeg({ contentType: "image/png", data: pngBytes }) // { contentType: "image/jpeg", … }
 */
import { AppError } from "../../core/errors";
import type { Photo } from "../../core/model";

/** JPEG quality of converted photos (Outlook re-encodes them anyway); as the pure-JS converter. */
const QUALITY = 0.9;

type Drawable = CanvasImageSource & { width: number; height: number };

function invalid(cause?: unknown): AppError {
  return new AppError("photo-invalid", "The photo is not a readable PNG image.", { cause });
}

async function decode(blob: Blob): Promise<{ image: Drawable; release: () => void }> {
  if (typeof createImageBitmap === "function") {
    const bitmap = await createImageBitmap(blob).catch((e: unknown) => Promise.reject(invalid(e)));
    return { image: bitmap, release: () => bitmap.close() };
  }
  const url = URL.createObjectURL(blob);
  const image = new Image();
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(invalid());
      image.src = url;
    });
  } catch (e) {
    URL.revokeObjectURL(url);
    throw e;
  }
  return { image, release: () => URL.revokeObjectURL(url) };
}

/** The photo as JPEG (a JPEG is returned as is); `photo-invalid` when the webview cannot decode it. */
export async function canvasToJpeg(photo: Photo): Promise<Photo> {
  if (photo.contentType === "image/jpeg") return photo;
  const { image, release } = await decode(
    new Blob([photo.data as Uint8Array<ArrayBuffer>], { type: photo.contentType }),
  );
  try {
    if (image.width === 0 || image.height === 0) throw invalid();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    if (!context) throw new AppError("unknown", "This webview cannot draw images (no 2D canvas).");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0);
    const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!jpeg) throw new AppError("unknown", "This webview could not encode the photo as JPEG.");
    return { contentType: "image/jpeg", data: new Uint8Array(await jpeg.arrayBuffer()) };
  } finally {
    release();
  }
}
