import { describe, expect, it, vi } from "vitest";
import { IMPORT_MAX_BYTES, parseExportFile } from "@/lib/data/transfer";
import { listAccounts, putAccount } from "@/lib/db/accounts";
import { logEvent } from "@/lib/db/events";
import { addJobsOnce } from "@/lib/db/jobs";
import type { AccountRecord } from "@/lib/db/schema";
import { createDataHandlers } from "@/lib/handlers/data";
import { DEFAULT_SETTINGS, type Settings } from "@/lib/settings/schema";
import { loadSettings, updateSettings } from "@/lib/settings/store";
import { jobFor, photoPost } from "../../support/fixtures";

const TOKEN = "EAAGsecretpagetoken0123456789";
const PAGE: AccountRecord = {
  id: "1001",
  kind: "page",
  name: "Acme Bakery",
  token: TOKEN,
  tokenExpiresAt: 1_900_000_000_000,
  status: "ok",
  linkedAt: 1_700_000_000_000,
};
const CHANGED: Settings = {
  ...DEFAULT_SETTINGS,
  autoShare: { ...DEFAULT_SETTINGS.autoShare, reel: true },
  defaultTargets: ["1001"],
  caption: { ...DEFAULT_SETTINGS.caption, hashtags: "end" },
  notifications: { onSuccess: true, onFailure: false },
};
const NOW = Date.UTC(2026, 7, 1);

const onDataReplaced = vi.fn();

function handlers() {
  return createDataHandlers({ now: () => NOW, onDataReplaced }, () => ({
    extensionVersion: "0.1.0",
    browser: "TestBrowser/1.0",
  }));
}
const sender = {};

async function exportText(includeTokens = false) {
  return (await handlers()["data.export"]({ includeTokens }, sender)).text;
}

async function snapshot() {
  return { settings: await loadSettings(), accounts: await listAccounts() };
}

async function importRefused(text: string): Promise<string> {
  const before = await snapshot();
  const error = await handlers()
    ["data.import"]({ text }, sender)
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(Error);
  expect(await snapshot()).toEqual(before);
  return (error as Error).message;
}

describe("export", () => {
  it("holds the settings and accounts but no access token unless asked", async () => {
    await putAccount(PAGE);
    await updateSettings(CHANGED);
    const text = await exportText();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({
      format: "alsoshare-export",
      version: 1,
      exportedAt: "2026-08-01T00:00:00.000Z",
      settings: CHANGED,
      accounts: [{ id: "1001", name: "Acme Bakery", kind: "page", status: "ok" }],
    });
    expect(await handlers()["data.export"]({ includeTokens: false }, sender)).toMatchObject({
      fileName: "alsoshare-2026-08-01.json",
    });
  });

  it("holds the access tokens when the user ticks the box", async () => {
    await putAccount(PAGE);
    expect(JSON.parse(await exportText(true)).accounts[0].token).toBe(TOKEN);
  });
});

describe("import", () => {
  it("brings back the same settings and accounts in a fresh profile", async () => {
    await putAccount(PAGE);
    await updateSettings(CHANGED);
    const withTokens = await exportText(true);
    const withoutTokens = await exportText(false);
    await handlers()["data.clear"]({ confirm: "delete everything" }, sender);
    expect(await snapshot()).toEqual({ settings: DEFAULT_SETTINGS, accounts: [] });

    await handlers()["data.import"]({ text: withTokens }, sender);
    expect(await snapshot()).toEqual({ settings: CHANGED, accounts: [PAGE] });

    await handlers()["data.clear"]({ confirm: "delete everything" }, sender);
    await expect(handlers()["data.import"]({ text: withoutTokens }, sender)).resolves.toEqual({
      accounts: 1,
    });
    const [account] = await listAccounts();
    // No token anywhere: the Page is listed, and waits for the user to sign in again.
    expect(account).toMatchObject({ id: "1001", status: "needs-signin" });
    expect(account?.token).toBeUndefined();
  });

  it("brings back which Instagram account a Page is linked to, and refuses a garbled one", async () => {
    const linked: AccountRecord = {
      ...PAGE,
      instagram: { state: "linked", id: "17841400000000001", username: "acme.bakery" },
    };
    await putAccount(linked);
    const text = await exportText(true);
    await handlers()["data.clear"]({ confirm: "delete everything" }, sender);
    await handlers()["data.import"]({ text }, sender);
    expect(await listAccounts()).toEqual([linked]);

    const file = JSON.parse(text);
    file.accounts[0].instagram = { state: "linked", id: "17841400000000001", username: "<script>" };
    expect(await importRefused(JSON.stringify(file))).toMatch(/accounts/);
  });

  it("keeps the token this browser holds when the file has none", async () => {
    await putAccount(PAGE);
    const withoutTokens = await exportText(false);
    await handlers()["data.import"]({ text: withoutTokens }, sender);
    expect(await listAccounts()).toEqual([PAGE]);
  });

  it("refuses broken JSON and changes nothing", async () => {
    await putAccount(PAGE);
    await updateSettings(CHANGED);
    expect(await importRefused('{"format": "alsoshare-export",')).toBe(
      "This file is not valid JSON, so it is not an alsoshare export. Nothing was changed.",
    );
  });

  it("names the wrong field and why, and changes nothing", async () => {
    await updateSettings(CHANGED);
    const file = JSON.parse(await exportText());
    file.settings.notifications.onSuccess = "yes";
    expect(await importRefused(JSON.stringify(file))).toBe(
      "The field settings.notifications.onSuccess must be a boolean. Nothing was changed.",
    );
    const badAccount = JSON.parse(await exportText());
    badAccount.accounts = [{ ...PAGE, token: undefined, kind: "group" }];
    expect(await importRefused(JSON.stringify(badAccount))).toBe(
      'The field accounts[0].kind must be one of "page", "profile", "bluesky", "mastodon", "threads" or "tumblr". Nothing was changed.',
    );
  });

  it("refuses an unknown version or a file that is not an export", async () => {
    const file = JSON.parse(await exportText());
    expect(await importRefused(JSON.stringify({ ...file, version: 2 }))).toContain(
      "comes from a version of alsoshare this one does not know (file version 2)",
    );
    expect(await importRefused(JSON.stringify([1, 2, 3]))).toBe(
      "This file is not an alsoshare export. Nothing was changed.",
    );
  });

  it("refuses a file over 5 MB before reading it", async () => {
    const file = JSON.parse(await exportText());
    const huge = JSON.stringify({ ...file, padding: "x".repeat(IMPORT_MAX_BYTES) });
    expect(await importRefused(huge)).toBe(
      "This file is larger than 5 MB, so it is not an alsoshare export. Nothing was changed.",
    );
  });

  it.each([
    ["__proto__", '"settings":{', '"settings":{"__proto__":{"polluted":true},', "settings.__proto__"],
    [
      "constructor",
      '"accounts":[',
      '"accounts":[{"constructor":{"prototype":{"polluted":true}}},',
      "accounts[0].constructor",
    ],
  ])("refuses a %s key anywhere in the file", async (_, needle, replacement, field) => {
    await putAccount(PAGE);
    const text = JSON.stringify(JSON.parse(await exportText())).replace(needle, replacement);
    expect(text).toContain(replacement);
    expect(await importRefused(text)).toBe(
      `The file was refused: the field ${field} is not allowed. Nothing was changed.`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses an account listed twice", async () => {
    await putAccount(PAGE);
    const file = JSON.parse(await exportText());
    file.accounts.push(file.accounts[0]);
    expect(await importRefused(JSON.stringify(file))).toBe(
      "The account 1001 appears twice in the file. Nothing was changed.",
    );
  });
});

describe("clear all data", () => {
  it("deletes accounts, settings, shares and the log, then logs that it did", async () => {
    await putAccount(PAGE);
    await updateSettings(CHANGED);
    await logEvent("linked", "Linked the Page Acme Bakery.");
    await addJobsOnce([{ ...jobFor(photoPost("1", ""), PAGE, NOW), state: "shared", attempts: 1 }]);
    onDataReplaced.mockClear();
    await handlers()["data.clear"]({ confirm: "delete everything" }, sender);
    expect(await snapshot()).toEqual({ settings: DEFAULT_SETTINGS, accounts: [] });
    // The toolbar badge is counted again: no failed share is left to show.
    expect(onDataReplaced).toHaveBeenCalledOnce();
    const diagnostics = await handlers()["data.diagnostics"]({}, sender);
    expect(Object.values(diagnostics.jobCounts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(diagnostics.errors.map((entry) => entry.message)).toEqual([
      "All alsoshare data in this browser was deleted.",
    ]);
  });
});

describe("parseExportFile", () => {
  it("accepts what export writes", async () => {
    await putAccount(PAGE);
    expect(parseExportFile(await exportText()).accounts).toHaveLength(1);
  });
});
