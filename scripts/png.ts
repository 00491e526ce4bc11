/**
 * The little of PNG our store assets need, on node:zlib alone: read a file's header (to prove its
 * size and whether it has alpha), decode the 8-bit files Chromium's screenshots are, and encode
 * pixels as small as a lossless PNG sensibly gets (a palette when the image has 256 colours or fewer,
 * no alpha channel when every pixel is opaque, the best filter per row, deflate at level 9, no
 * metadata). Encoding the same pixels always gives the same bytes, so regenerated assets diff clean.
 */
import { deflateSync, inflateSync } from "node:zlib";

/** Pixels, row by row, four bytes (R, G, B, A; not premultiplied) each. */
export type Rgba = { width: number; height: number; data: Uint8Array };

export type PngHeader = { width: number; height: number; bitDepth: number; colorType: number };

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOR_GRAY = 0;
const COLOR_RGB = 2;
const COLOR_PALETTE = 3;
const COLOR_RGBA = 6;

/** The IHDR of a PNG file; throws if `bytes` is not one. */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isPng = bytes.length >= 33 && SIGNATURE.every((byte, index) => bytes[index] === byte);
  if (!isPng || ascii(bytes, 12, 4) !== "IHDR") throw new Error("not a PNG file (no signature and IHDR)");
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24] ?? 0,
    colorType: bytes[25] ?? 0,
  };
}

/** Whether a PNG of this header can hold transparency in an alpha channel or a palette's tRNS. */
export function mayHaveAlpha(bytes: Uint8Array): boolean {
  const { colorType } = readPngHeader(bytes);
  return colorType === COLOR_RGBA || colorType === 4 || chunks(bytes).some((chunk) => chunk.type === "tRNS");
}

/** Decodes an 8-bit, non-interlaced grey, RGB or RGBA PNG (what Chromium writes) to RGBA pixels. */
export function decodePng(bytes: Uint8Array): Rgba {
  const { width, height, bitDepth, colorType } = readPngHeader(bytes);
  const channels = { [COLOR_GRAY]: 1, [COLOR_RGB]: 3, [COLOR_RGBA]: 4 }[colorType];
  if (bitDepth !== 8 || channels === undefined || bytes[28] !== 0) {
    throw new Error(
      `unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${bytes[28]}`,
    );
  }
  const idat = chunks(bytes).filter((chunk) => chunk.type === "IDAT");
  const raw = inflateSync(Buffer.concat(idat.map((chunk) => chunk.data)));
  const stride = width * channels;
  const pixels = unfilter(raw, stride, height, channels);
  const data = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    const from = pixel * channels;
    const gray = pixels[from] ?? 0;
    data[pixel * 4] = gray;
    data[pixel * 4 + 1] = channels === 1 ? gray : (pixels[from + 1] ?? 0);
    data[pixel * 4 + 2] = channels === 1 ? gray : (pixels[from + 2] ?? 0);
    data[pixel * 4 + 3] = channels === 4 ? (pixels[from + 3] ?? 0) : 255;
  }
  return { width, height, data };
}

/**
 * The smallest of palette, RGB or RGBA that holds `image` exactly; `truecolor` rules out the palette
 * (Chrome's store asks for 24-bit PNG screenshots).
 */
export function encodePng(image: Rgba, options: { truecolor?: boolean } = {}): Uint8Array {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA`);
  const opaque = data.every((byte, index) => index % 4 !== 3 || byte === 255);
  const palette = options.truecolor ? undefined : paletteOf(data);
  let colorType: number;
  let channels: number;
  let pixels: Uint8Array;
  const extra: Uint8Array[] = [];
  if (palette) {
    colorType = COLOR_PALETTE;
    channels = 1;
    pixels = new Uint8Array(width * height);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let pixel = 0; pixel < pixels.length; pixel++)
      pixels[pixel] = palette.index.get(view.getUint32(pixel * 4)) ?? 0;
    const rgb = new Uint8Array(palette.colors.length * 3);
    for (const [index, color] of palette.colors.entries()) {
      rgb.set([color >>> 24, (color >>> 16) & 255, (color >>> 8) & 255], index * 3);
    }
    extra.push(chunk("PLTE", rgb));
    if (!opaque)
      extra.push(
        chunk(
          "tRNS",
          Uint8Array.from(palette.colors, (color) => color & 255),
        ),
      );
  } else {
    colorType = opaque ? COLOR_RGB : COLOR_RGBA;
    channels = opaque ? 3 : 4;
    pixels = opaque ? data.filter((_, index) => index % 4 !== 3) : data;
  }
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, colorType, 0, 0, 0], 8);
  // A palette's indices are not magnitudes, so filtering them rarely helps (the PNG spec's advice).
  const filtered = filter(pixels, width * channels, height, channels, colorType !== COLOR_PALETTE);
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    ...extra,
    chunk("IDAT", deflateSync(filtered, { level: 9, memLevel: 9 })),
    chunk("IEND", new Uint8Array()),
  ]);
}

function paletteOf(data: Uint8Array): { colors: number[]; index: Map<number, number> } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const index = new Map<number, number>();
  for (let offset = 0; offset < data.length; offset += 4) {
    const color = view.getUint32(offset);
    if (!index.has(color)) index.set(color, index.size);
    if (index.size > 256) return undefined;
  }
  return { colors: [...index.keys()], index };
}

function filter(pixels: Uint8Array, stride: number, height: number, bpp: number, adaptive: boolean) {
  const out = new Uint8Array((stride + 1) * height);
  const candidate = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    let best = { type: 0, cost: Number.POSITIVE_INFINITY, bytes: row.slice() };
    for (const type of adaptive ? [0, 1, 2, 3, 4] : [0]) {
      let cost = 0;
      for (let x = 0; x < stride; x++) {
        const value = ((row[x] ?? 0) - predict(type, row, above, x, bpp)) & 255;
        candidate[x] = value;
        // The usual heuristic: the smallest sum of the bytes read as signed.
        cost += value < 128 ? value : 256 - value;
      }
      if (cost < best.cost) best = { type, cost, bytes: candidate.slice() };
    }
    out[y * (stride + 1)] = best.type;
    out.set(best.bytes, y * (stride + 1) + 1);
  }
  return out;
}

function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)] ?? 0;
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    for (let x = 0; x < stride; x++) {
      row[x] = ((raw[y * (stride + 1) + 1 + x] ?? 0) + predict(type, row, above, x, bpp)) & 255;
    }
  }
  return pixels;
}

/** PNG's five predictors, from the already known bytes to the left, above and above-left. */
function predict(type: number, row: Uint8Array, above: Uint8Array | undefined, x: number, bpp: number) {
  const left = x >= bpp ? (row[x - bpp] ?? 0) : 0;
  const up = above?.[x] ?? 0;
  const upLeft = x >= bpp ? (above?.[x - bpp] ?? 0) : 0;
  switch (type) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return a <= b && a <= c ? left : b <= c ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter type ${type}`);
  }
}

function chunks(bytes: Uint8Array): { type: string; data: Uint8Array }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: { type: string; data: Uint8Array }[] = [];
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = view.getUint32(offset);
    found.push({ type: ascii(bytes, offset + 4, 4), data: bytes.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return found;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, "ascii"), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG and zip both use it (ISO 3309). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 255] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}
