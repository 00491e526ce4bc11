import { describe, expect, it } from "vitest";
import { crc32, decodePng, encodePng, mayHaveAlpha, readPngHeader } from "../../../scripts/png";

/** A `width`×`height` image whose pixel (x, y) is `color(x, y)`, [r, g, b, a]. */
const pixels = (width: number, height: number, color: (x: number, y: number) => number[]) => {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(color(x, y), (y * width + x) * 4);
  return { width, height, data };
};

describe("the PNG writer behind the store assets", () => {
  it("writes a header with the image's size, read back the same", () => {
    const png = encodePng(pixels(440, 280, () => [51, 70, 211, 255]));
    expect(readPngHeader(png)).toMatchObject({ width: 440, height: 280, bitDepth: 8 });
  });

  it("keeps a few-coloured image transparent in a palette, and an opaque photo-like one as 24-bit RGB", () => {
    const icon = encodePng(pixels(16, 16, (x) => (x < 8 ? [255, 255, 255, 255] : [0, 0, 0, 0])));
    expect(readPngHeader(icon).colorType).toBe(3);
    expect(mayHaveAlpha(icon)).toBe(true);

    const photo = pixels(64, 64, (x, y) => [x * 4, y * 4, (x * y) % 256, 255]);
    const rgb = encodePng(photo);
    expect(readPngHeader(rgb).colorType).toBe(2);
    expect(mayHaveAlpha(rgb)).toBe(false);
    expect(decodePng(rgb).data).toEqual(photo.data);
  });

  it("writes no palette when asked for truecolour, as Chrome's store wants screenshots", () => {
    const flat = pixels(20, 10, () => [238, 241, 255, 255]);
    const png = encodePng(flat, { truecolor: true });
    expect(readPngHeader(png).colorType).toBe(2);
    expect(decodePng(png).data).toEqual(flat.data);
  });

  it("round-trips an image with partial transparency and many colours through RGBA", () => {
    const soft = pixels(40, 30, (x, y) => [x * 6, y * 8, 128, (x * 7 + y) % 256]);
    const png = encodePng(soft);
    expect(readPngHeader(png).colorType).toBe(6);
    expect(decodePng(png).data).toEqual(soft.data);
  });

  it("gives the same bytes for the same pixels, so regenerated assets diff clean", () => {
    const make = () => encodePng(pixels(32, 32, (x, y) => [x * 8, y * 8, 0, 255]));
    expect(Buffer.from(make()).equals(Buffer.from(make()))).toBe(true);
  });

  it("refuses a file that is not a PNG, and pixels of the wrong length", () => {
    expect(() => readPngHeader(new TextEncoder().encode("GIF89a, not a PNG at all, no no no"))).toThrow(
      /not a PNG/,
    );
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(/16 bytes/);
  });

  it("computes CRC-32 as PNG and zip do", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });
});
