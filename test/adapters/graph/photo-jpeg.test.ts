/** PNG -> JPEG conversion of CRM photos (Graph takes JPEG only), also where no Buffer exists. */
import jpeg from "jpeg-js";
import { encode as encodePng } from "fast-png";
import { toJpeg } from "../../../src/adapters/graph/photo-jpeg";

const pixel = (photo: { data: Uint8Array }): number[] => {
  const { data } = jpeg.decode(Buffer.from(photo.data), { useTArray: true });
  return [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0];
};

const near = (got: number[], want: number[]): void => {
  got.forEach((v, i) => expect(Math.abs(v - (want[i] ?? 0))).toBeLessThan(10));
};

describe("toJpeg", () => {
  it.each([
    ["RGB", 3, [200, 40, 40], [200, 40, 40]],
    ["RGBA, half transparent (composited on white)", 4, [0, 0, 255, 128], [127, 127, 255]],
    ["grey", 1, [90], [90, 90, 90]],
  ])("converts a %s PNG to a JPEG of the same colour", (_name, channels, value, want) => {
    const data = new Uint8Array(16 * channels);
    for (let i = 0; i < 16; i++) data.set(value, i * channels);
    const png = encodePng({ width: 4, height: 4, data, channels, depth: 8 });
    const out = toJpeg({ contentType: "image/png", data: png });
    expect(out.contentType).toBe("image/jpeg");
    expect([out.data[0], out.data[1]]).toEqual([0xff, 0xd8]);
    near(pixel(out), want);
  });

  it("returns a JPEG as it is", () => {
    const photo = { contentType: "image/jpeg" as const, data: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) };
    expect(toJpeg(photo)).toBe(photo);
  });

  it("refuses bytes that are no PNG with photo-invalid", () => {
    expect(() => toJpeg({ contentType: "image/png", data: new Uint8Array([1, 2, 3]) })).toThrow(
      expect.objectContaining({ code: "photo-invalid" }),
    );
  });

  it("works without a global Buffer (as in the browser) and leaves none behind", () => {
    const saved = globalThis.Buffer;
    const png = encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(100), channels: 3, depth: 8 });
    const g = globalThis as { Buffer?: unknown };
    delete g.Buffer;
    let out: { data: Uint8Array } | undefined;
    try {
      out = toJpeg({ contentType: "image/png", data: png });
      expect(g.Buffer).toBeUndefined();
    } finally {
      globalThis.Buffer = saved;
    }
    expect(out?.data).toBeInstanceOf(Uint8Array);
    near(pixel(out ?? { data: new Uint8Array() }), [100, 100, 100]);
  });
});
