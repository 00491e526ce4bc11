/**
 * What the store assets are made of, shared by scripts/icons.ts and scripts/screenshots.ts: the icon
 * sizes, the stores' image sizes, the HTML the framed screenshots and the promo tile are drawn from,
 * writing a PNG only as the size and kind it must be, and reading those back from a PNG's header.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Page } from "playwright-core";

export const ICON_SVG = "assets/icon.svg";
export const ICON_DIR = "public/icon";
/**
 * The sizes WXT finds as `public/icon/<size>.png` and lists in the manifest. The 128 px one is the
 * store's icon too, so it follows Chrome's guideline for it: 96 px of art in 16 px of transparent
 * padding. The small ones use every pixel, since at 16 px each one counts.
 */
export const ICON_PADDING: Record<number, number> = { 16: 0, 32: 0, 48: 0, 128: 16 };
export const ICON_SIZES = Object.keys(ICON_PADDING).map(Number);

export const STORE_DIR = "store";
/** Chrome Web Store: screenshots 1280×800 and the small promo tile 440×280, 24-bit PNG, no alpha. */
export const SCREENSHOT = { width: 1280, height: 800 };
export const PROMO_TILE = { width: 440, height: 280 };

const BRAND = "#3346d3";
const INK = "#1b2150";
const BACKDROP = "#eef1ff, #dde3fb";

/**
 * Chromium's own PNG of the SVG drawn at `size` px, on no background, so the icon keeps its
 * transparency. `page`'s viewport must be at least `size` px square.
 */
export async function renderIcon(page: Page, svg: string, size: number): Promise<Uint8Array> {
  const padding = ICON_PADDING[size] ?? 0;
  const art = size - 2 * padding;
  const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(
    `<style>html, body { margin: 0; } img { display: block; margin: ${padding}px; }</style>
    <img alt="" width="${art}" height="${art}" src="${source}">`,
  );
  const clip = { x: 0, y: 0, width: size, height: size };
  return new Uint8Array(await page.screenshot({ type: "png", clip, omitBackground: true }));
}

/**
 * Writes `png` to `path`, then reads the file back and throws unless it is `expected` in size (and
 * 24-bit RGB where the stores refuse alpha), so a wrong asset never passes silently.
 */
export async function writePng(
  path: string,
  png: Uint8Array,
  expected: { width: number; height: number; opaque?: boolean },
): Promise<void> {
  await writeFile(path, png);
  const written = new Uint8Array(await readFile(path));
  const { width, height, bitDepth, colorType } = readPngHeader(written);
  if (width !== expected.width || height !== expected.height) {
    throw new Error(`${path} is ${width}×${height}, not ${expected.width}×${expected.height}`);
  }
  if (expected.opaque && (colorType !== RGB || bitDepth !== 8))
    throw new Error(`${path} is not 24-bit RGB (colour type ${colorType}); the stores refuse alpha`);
  console.log(`wrote ${path} (${width}×${height}, ${(written.length / 1024).toFixed(1)} kB)`);
}

/** PNG's colour type for 8-bit red, green and blue, no alpha: what Chromium's page screenshots are. */
export const RGB = 2;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's size and kind, from its first chunk, IHDR (colour type 2 is RGB, 6 is RGB with alpha). */
export function readPngHeader(png: Uint8Array) {
  const ihdr = Buffer.from(png.subarray(0, 33));
  if (
    ihdr.length < 33 ||
    PNG_SIGNATURE.some((byte, i) => ihdr[i] !== byte) ||
    ihdr.toString("latin1", 12, 16) !== "IHDR"
  )
    throw new Error("not a PNG file");
  return {
    width: ihdr.readUInt32BE(16),
    height: ihdr.readUInt32BE(20),
    bitDepth: ihdr[24],
    colorType: ihdr[25],
  };
}

/**
 * A 1280×800 store screenshot: `surface` (a PNG of one of our surfaces, shot from the real build)
 * centred on a plain backdrop under a caption, scaled down if it does not fit, never up.
 */
export function frameHtml(surface: Uint8Array, caption: string): string {
  return page(
    SCREENSHOT,
    `<h1>${escapeHtml(caption)}</h1>
    <div class="stage"><img alt="" src="data:image/png;base64,${Buffer.from(surface).toString("base64")}"></div>`,
    `body { display: flex; flex-direction: column; align-items: center; padding: 40px 48px 44px;
      background: linear-gradient(160deg, ${BACKDROP}); }
    h1 { flex: none; margin: 0 0 32px; font: 600 32px/1.25 system-ui, sans-serif; color: ${INK};
      text-align: center; }
    .stage { flex: 1; min-height: 0; width: 100%; display: flex; align-items: center; justify-content: center; }
    img { display: block; max-width: 100%; max-height: 100%; object-fit: contain; border-radius: 12px;
      box-shadow: 0 18px 50px rgb(27 33 80 / 0.28), 0 2px 6px rgb(27 33 80 / 0.2); }`,
  );
}

/** The small promo tile, 440×280: the icon, the name and what it does, with little text (Chrome's advice). */
export function promoTileHtml(svg: string): string {
  return page(
    PROMO_TILE,
    `<img alt="" width="112" height="112" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">
    <div><p class="name">alsoshare</p><p>Share your Instagram posts to your Facebook Pages too</p></div>`,
    `body { display: flex; align-items: center; gap: 26px; padding: 0 32px;
      background: linear-gradient(150deg, ${BACKDROP}); color: ${INK}; font-family: system-ui, sans-serif; }
    img { flex: none; filter: drop-shadow(0 8px 16px rgb(27 33 80 / 0.3)); }
    p { margin: 0; font-size: 20px; line-height: 1.3; }
    p.name { font-size: 40px; font-weight: 700; margin-bottom: 8px; color: ${BRAND}; letter-spacing: -0.5px; }`,
  );
}

/**
 * The packaged privacy policy (`privacy.html` of the build) as one file to publish at the public
 * address the stores ask for: its stylesheet inlined, its scripts (which only load that stylesheet) and the link back
 * into the extension's own options dropped. Throws if anything still points into the package.
 */
export function publishablePolicy(builtHtml: string, readAsset: (path: string) => string): string {
  const html = builtHtml
    .replace(/^\s*<script\b[^>]*><\/script>\n/gm, "")
    .replace(
      /<link rel="stylesheet"[^>]*href="(\/[^"]+\.css)"[^>]*>/g,
      (_, path: string) => `<style>${readAsset(path)}</style>`,
    )
    .replace(/^\s*<p><a href="\/options\.html[^"]*">[^<]*<\/a><\/p>\n/m, "");
  const left = html.match(/(?:src|href)="\/[^"]*"/);
  if (left) throw new Error(`the privacy policy still points into the package: ${left[0]}`);
  return html;
}

function page(size: { width: number; height: number }, body: string, style: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: ${size.width}px; height: ${size.height}px; overflow: hidden; }
    * { box-sizing: border-box; }
    ${style}
  </style></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
