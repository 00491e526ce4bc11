import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { UserManifest } from "wxt";
import { STORE_DIR } from "../../../scripts/store-assets";
import config from "../../../wxt.config";

/*
 * store/listing.md is what the stores show and what their reviewers check against the package: its
 * summary within Chrome's limit and the same as the manifest's, every permission the manifest asks
 * for explained (and none it does not), and the files it names really there.
 */

const listing = readFileSync(`${STORE_DIR}/listing.md`, "utf8");
const section = (title: string) => {
  const match = listing.match(new RegExp(`^## ${title}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, "m"));
  if (!match?.[1]) throw new Error(`store/listing.md has no "## ${title}" section`);
  return match[1].trim();
};
const english = JSON.parse(readFileSync("public/_locales/en/messages.json", "utf8")) as Record<
  string,
  { message: string }
>;

/** The pages our content scripts run on, from their entrypoints' `matches` (WXT adds them to the manifest). */
function contentScriptMatches(): string[] {
  return readdirSync("entrypoints")
    .filter((name) => name.endsWith(".content"))
    .flatMap((name) => {
      const folder = `entrypoints/${name}`;
      const file = readdirSync(folder).find((entry) => /^index\.tsx?$/.test(entry));
      const source = readFileSync(`${folder}/${file}`, "utf8");
      return [...(source.match(/matches: \[([^\]]*)\]/)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map(
        (m) => m[1] ?? "",
      );
    });
}

async function manifest(browser: "chrome" | "firefox"): Promise<UserManifest> {
  const env = { browser, manifestVersion: 3 as const, mode: "production", command: "build" as const };
  const { manifest } = config;
  return typeof manifest === "function" ? await manifest(env) : ((await manifest) ?? {});
}

describe("the store listing", () => {
  it("has a summary within Chrome's 132 characters, the same as the manifest's description", () => {
    const summary = section("Summary");
    expect(summary.length).toBeLessThanOrEqual(132);
    expect(summary).not.toContain("\n");
    expect(summary).toBe(english.extDescription?.message);
  });

  it("has the manifest's name, within AMO's 50 characters", () => {
    expect(section("Name")).toBe(english.extName?.message);
    expect(section("Name").length).toBeLessThanOrEqual(50);
  });

  it("explains every permission and host the manifest asks for, and no other", async () => {
    const chrome = await manifest("chrome");
    const asked = [
      ...(chrome.permissions ?? []),
      ...(chrome.optional_permissions ?? []),
      ...(chrome.host_permissions ?? []),
      ...(chrome.optional_host_permissions ?? []),
      ...contentScriptMatches(),
    ].map(String);
    // Every entry of the section starts with what it explains, in backticks, then a colon and why.
    const explained = section("Permissions")
      .split("\n")
      .map((line) => line.match(/^- (.*?[`)]):\s/)?.[1] ?? "")
      .flatMap((head) => [...head.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    expect(new Set(explained)).toEqual(new Set(asked));
  });

  it("discloses each kind of data Firefox's manifest declares, and reading only after consent", async () => {
    const firefox = (await manifest("firefox")) as {
      browser_specific_settings?: { gecko?: { data_collection_permissions?: { required?: string[] } } };
    };
    const declared = firefox.browser_specific_settings?.gecko?.data_collection_permissions?.required ?? [];
    expect(declared.length).toBeGreaterThan(0);
    const dataUse = section("Data use");
    for (const kind of declared) expect(dataUse).toContain(`\`${kind}\``);
    expect(dataUse).toMatch(/Website content: after you allow it/);
    expect(dataUse).toMatch(/Nothing is sent to the makers of alsoshare/);
  });

  it("points to the privacy policy that is in the package, and to a copy to publish that says the same", () => {
    expect(section("Privacy policy")).toContain("`privacy.html`");
    expect(section("Privacy policy")).toContain("`privacy-policy.html`");
    // The words of the policy, without tags; the copy lacks only the link into the extension's options.
    const words = (html: string) =>
      (html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "")
        .replace(/<p><a href="\/options\.html[^"]*">[^<]*<\/a><\/p>/, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    const packaged = words(readFileSync("entrypoints/privacy/index.html", "utf8"));
    expect(packaged).toContain("Your consent comes first");
    expect(words(readFileSync(`${STORE_DIR}/privacy-policy.html`, "utf8"))).toBe(packaged);
  });

  it("names every store image there is, and each one it names exists", () => {
    const named = [...section("Images").matchAll(/`([^`]+\.png)`/g)].map((match) => match[1] ?? "");
    const inStore = [
      ...readdirSync(`${STORE_DIR}/screenshots`).map((name) => `screenshots/${name}`),
      ...readdirSync(STORE_DIR).filter((name) => name.endsWith(".png")),
    ];
    const storeImages = named.filter((path) => !path.startsWith("public/"));
    expect(new Set(storeImages)).toEqual(new Set(inStore));
    for (const path of named.filter((path) => path.startsWith("public/")))
      expect(existsSync(path), path).toBe(true);
  });
});
