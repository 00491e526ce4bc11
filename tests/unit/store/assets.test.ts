import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ICON_DIR,
  ICON_SIZES,
  PROMO_TILE,
  RGB,
  readPngHeader,
  SCREENSHOT,
  STORE_DIR,
} from "../../../scripts/store-assets";

/*
 * The committed images are what the stores get: the icons WXT puts in the manifest, and the
 * listing's screenshots and promo tile, each of the size and kind the stores accept.
 */

const png = (path: string) => new Uint8Array(readFileSync(path));
const shots = readdirSync(`${STORE_DIR}/screenshots`).filter((name) => name.endsWith(".png"));

describe("the store assets", () => {
  it("have an icon at 16, 32, 48 and 128 px, each as large as its name says", () => {
    expect(ICON_SIZES).toEqual([16, 32, 48, 128]);
    for (const size of ICON_SIZES) {
      expect(readPngHeader(png(`${ICON_DIR}/${size}.png`)), `${size}.png`).toMatchObject({
        width: size,
        height: size,
      });
    }
  });

  it("keep the 128 px icon's transparent padding, so it has alpha", () => {
    expect(readPngHeader(png(`${ICON_DIR}/128.png`)).colorType).toBe(6);
  });

  it("keep the icons small enough for every page that shows one", () => {
    for (const size of ICON_SIZES) expect(png(`${ICON_DIR}/${size}.png`).length).toBeLessThan(8 * 1024);
  });

  it("have one to five screenshots, all 1280×800 and without alpha, in file order as the listing shows them", () => {
    expect(shots.length).toBeGreaterThanOrEqual(1);
    expect(shots.length).toBeLessThanOrEqual(5);
    for (const name of shots) {
      const file = png(`${STORE_DIR}/screenshots/${name}`);
      expect(readPngHeader(file), name).toMatchObject({ ...SCREENSHOT, bitDepth: 8, colorType: RGB });
    }
    expect(shots.map((name) => Number.parseInt(name, 10))).toEqual(shots.map((_, index) => index + 1));
  });

  it("have a 440×280 small promo tile without alpha", () => {
    const tile = png(`${STORE_DIR}/promo-tile-440x280.png`);
    expect(readPngHeader(tile)).toMatchObject({ ...PROMO_TILE, bitDepth: 8, colorType: RGB });
  });

  it("are checked by a header reader that refuses what is not a PNG", () => {
    expect(() => readPngHeader(new TextEncoder().encode("GIF89a, not a PNG at all, no no no"))).toThrow(
      /not a PNG/,
    );
  });
});
