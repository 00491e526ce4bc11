import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as z from "zod/mini";

const manifestSchema = z.object({
  content_scripts: z.optional(
    z.array(z.object({ matches: z.array(z.string()), js: z.optional(z.array(z.string())) })),
  ),
});

/** Would this match pattern inject into every page of www.instagram.com? */
function coversInstagram(pattern: string): boolean {
  return [
    "<all_urls>",
    "*://*/*",
    "https://*/*",
    "*://www.instagram.com/*",
    "https://www.instagram.com/*",
    "https://*.instagram.com/*",
    "*://*.instagram.com/*",
  ].includes(pattern);
}

/** gzip -9 size of every JS file the manifest injects into all instagram.com pages, either world. */
export async function contentScriptGzip(extensionDir: string) {
  const manifest = manifestSchema.parse(
    JSON.parse(await readFile(join(extensionDir, "manifest.json"), "utf8")),
  );
  const files = [
    ...new Set(
      (manifest.content_scripts ?? [])
        .filter((script) => script.matches.some(coversInstagram))
        .flatMap((script) => script.js ?? []),
    ),
  ];
  const sizes: Record<string, { bytes: number; gzipBytes: number }> = {};
  for (const file of files) {
    const source = await readFile(join(extensionDir, file));
    sizes[file] = { bytes: source.length, gzipBytes: gzipSync(source, { level: 9 }).length };
  }
  const total = Object.values(sizes).reduce((sum, size) => sum + size.gzipBytes, 0);
  return { total, files: sizes };
}
