import { describe, expect, it } from "vitest";
import config from "../../../wxt.config";
import {
  FORBIDDEN_MANIFEST_KEYS,
  PINNED_CSP,
  PINNED_HOST_PERMISSIONS,
  PINNED_OPTIONAL_HOST_PERMISSIONS,
  PINNED_OPTIONAL_PERMISSIONS,
  PINNED_PERMISSIONS,
} from "./manifest-pin";

type ManifestFields = {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  [key: string]: unknown;
};

async function manifestFor(browser: "chrome" | "firefox"): Promise<ManifestFields> {
  const manifest = config.manifest;
  if (typeof manifest !== "function") throw new Error("wxt.config.ts: manifest is expected to be a function");
  return (await manifest({
    browser,
    manifestVersion: 3,
    mode: "production",
    command: "build",
  } as Parameters<typeof manifest>[0])) as ManifestFields;
}

describe.each(["chrome", "firefox"] as const)("the %s manifest (wxt.config.ts)", (browser) => {
  it("asks for exactly the pinned permissions", async () => {
    const manifest = await manifestFor(browser);
    expect([...(manifest.permissions ?? [])].sort()).toEqual(Object.keys(PINNED_PERMISSIONS).sort());
    expect([...(manifest.optional_permissions ?? [])].sort()).toEqual(
      Object.keys(PINNED_OPTIONAL_PERMISSIONS).sort(),
    );
  });

  it("may ask for other services' servers only when the user links one, never at install", async () => {
    const manifest = await manifestFor(browser);
    expect([...(manifest.optional_host_permissions ?? [])].sort()).toEqual(
      Object.keys(PINNED_OPTIONAL_HOST_PERMISSIONS).sort(),
    );
    // https only, and never an http or every-scheme pattern.
    for (const host of manifest.optional_host_permissions ?? []) expect(host).toMatch(/^https:\/\//);
  });

  it("reaches exactly the pinned hosts, and never all sites", async () => {
    const hosts = (await manifestFor(browser)).host_permissions ?? [];
    expect([...hosts].sort()).toEqual(Object.keys(PINNED_HOST_PERMISSIONS).sort());
    for (const host of hosts) expect(host).not.toMatch(/<all_urls>|^\*:|^https?:\/\/\*\/|^\*:\/\/\*\//);
  });

  it("keeps the strict CSP and opens no door to pages or other extensions", async () => {
    const manifest = await manifestFor(browser);
    expect(manifest.content_security_policy?.extension_pages).toBe(PINNED_CSP);
    expect(PINNED_CSP).not.toMatch(/unsafe-|https?:|data:|blob:|\*/);
    for (const key of FORBIDDEN_MANIFEST_KEYS) {
      const [top, sub] = key.split(".") as [string, string | undefined];
      const value = sub ? (manifest[top] as Record<string, unknown> | undefined)?.[sub] : manifest[top];
      expect(value, key).toBeUndefined();
    }
  });
});
