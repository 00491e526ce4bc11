import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  PINNED_CONTENT_SCRIPTS,
  PINNED_CSP,
  PINNED_HOST_PERMISSIONS,
  PINNED_OPTIONAL_PERMISSIONS,
  PINNED_PERMISSIONS,
} from "../unit/security/manifest-pin";

// The production builds, as shipped: the same folder the browser tests load.
const OUT = process.env.ALSOSHARE_OUT_DIR ?? ".output";

/** What must never be in code that runs inside instagram.com: Graph access and token handling. */
const TOKEN_TRAILS = [
  /graph\.facebook\.com/,
  /access_token/,
  /fb_exchange_token/,
  /client_secret/,
  /Bearer /,
  /\bEAA[A-Za-z0-9]{10,}/,
  /accounts\.linkToken/,
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe.each(["chrome-mv3", "firefox-mv3"])("the built %s extension", (target) => {
  const dir = join(OUT, target);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

  it("has exactly the pinned permissions, hosts, CSP and content scripts", () => {
    expect([...manifest.permissions].sort()).toEqual(Object.keys(PINNED_PERMISSIONS).sort());
    expect([...(manifest.optional_permissions ?? [])].sort()).toEqual(
      Object.keys(PINNED_OPTIONAL_PERMISSIONS).sort(),
    );
    expect([...manifest.host_permissions].sort()).toEqual(Object.keys(PINNED_HOST_PERMISSIONS).sort());
    expect(manifest.content_security_policy).toEqual({ extension_pages: PINNED_CSP });
    expect(manifest.content_scripts).toEqual(PINNED_CONTENT_SCRIPTS);
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(manifest.externally_connectable).toBeUndefined();
  });

  it.each(PINNED_CONTENT_SCRIPTS.flatMap((script) => script.js))(
    "keeps Graph access and tokens out of %s",
    (file) => {
      const code = readFileSync(join(dir, file), "utf8");
      expect(code.length).toBeGreaterThan(100);
      for (const trail of TOKEN_TRAILS) expect(code, String(trail)).not.toMatch(trail);
    },
  );

  it("loads no remote code in its pages", () => {
    for (const file of filesUnder(dir).filter((name) => name.endsWith(".html"))) {
      const html = readFileSync(file, "utf8");
      for (const [, src] of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)) {
        expect(src, file).toMatch(/^\/(?!\/)/);
      }
    }
    for (const file of filesUnder(dir).filter((name) => name.endsWith(".js"))) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(
        /\bimport\(\s*["']https?:|importScripts\(\s*["']https?:/,
      );
    }
  });
});
