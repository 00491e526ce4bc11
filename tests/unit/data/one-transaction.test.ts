import { describe, expect, it, vi } from "vitest";
import { buildExport } from "@/lib/data/transfer";
import { listAccounts, putAccount } from "@/lib/db/accounts";
import { logEvent, recentEvents } from "@/lib/db/events";
import { addJobsOnce, recentJobs } from "@/lib/db/jobs";
import type { AccountRecord } from "@/lib/db/schema";
import { readSettingsRecord } from "@/lib/db/settings";
import { createDataHandlers } from "@/lib/handlers/data";
import { DEFAULT_SETTINGS, type Settings } from "@/lib/settings/schema";
import { updateSettings } from "@/lib/settings/store";
import { jobFor, photoPost } from "../../support/fixtures";

const NOW = Date.UTC(2026, 7, 1);
const PAGE: AccountRecord = {
  id: "1001",
  kind: "page",
  name: "Acme Bakery",
  token: "EAAGsecretpagetoken0123456789",
  status: "ok",
  linkedAt: NOW - 1000,
};
const CHANGED: Settings = { ...DEFAULT_SETTINGS, autoShare: { ...DEFAULT_SETTINGS.autoShare, reel: true } };

/** A file that changes everything an import can: other settings, the Page renamed, a new Page. */
const IMPORTED = JSON.stringify(
  buildExport(
    { ...DEFAULT_SETTINGS, defaultTargets: ["2002"] },
    [
      { ...PAGE, name: "Acme Bakery & Café" },
      { id: "2002", kind: "page", name: "Acme Deli", status: "needs-signin", linkedAt: NOW },
    ],
    { includeTokens: false, now: NOW },
  ),
);

function handlers() {
  return createDataHandlers({ now: () => NOW, onDataReplaced: () => undefined });
}

async function storeSomething(): Promise<void> {
  await putAccount(PAGE);
  await updateSettings(CHANGED);
  await addJobsOnce([{ ...jobFor(photoPost("1", ""), PAGE, NOW), state: "failed", attempts: 3 }]);
  await logEvent("linked", "Linked the Page Acme Bakery.", NOW);
}

/** Every store an import or a clear touches, as stored. */
async function everything() {
  return {
    settings: await readSettingsRecord(),
    accounts: await listAccounts(),
    jobs: await recentJobs(100),
    events: await recentEvents(100),
  };
}

type LogFailure = "throws" | "fails its request";

/** Makes adding an activity-log entry fail, and only that: the other stores write as usual. */
function failLogEntries(how: LogFailure): void {
  const add = IDBObjectStore.prototype.add;
  vi.spyOn(IDBObjectStore.prototype, "add").mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore["add"]>
  ) {
    if (this.name !== "events") return add.apply(this, args);
    if (how === "throws") throw new DOMException("The entry could not be stored.", "DataCloneError");
    // The same key twice: the second request fails later, as a full disk would.
    add.call(this, { ...args[0], id: 1 });
    return add.call(this, { ...args[0], id: 1 });
  });
}

describe("import and clear, each one transaction with its log entry", () => {
  it("an import lands with its log entry", async () => {
    await storeSomething();
    await handlers()["data.import"]({ text: IMPORTED }, {});

    const after = await everything();
    expect(after.settings).toEqual({ ...DEFAULT_SETTINGS, defaultTargets: ["2002"] });
    expect(after.accounts.map((account) => account.name)).toEqual(["Acme Bakery & Café", "Acme Deli"]);
    expect(after.events[0]).toMatchObject({
      type: "data",
      message: "Imported settings and 2 accounts from a file.",
      at: NOW,
    });
  });

  it.each<LogFailure>(["throws", "fails its request"])(
    "an import whose log entry %s changes nothing",
    async (how) => {
      await storeSomething();
      const before = await everything();
      failLogEntries(how);

      await expect(handlers()["data.import"]({ text: IMPORTED }, {})).rejects.toThrow();
      vi.restoreAllMocks();
      expect(await everything()).toEqual(before);
    },
  );

  it.each<LogFailure>(["throws", "fails its request"])(
    "deleting all data whose log entry %s deletes nothing",
    async (how) => {
      await storeSomething();
      const before = await everything();
      failLogEntries(how);

      await expect(handlers()["data.clear"]({ confirm: "delete everything" }, {})).rejects.toThrow();
      vi.restoreAllMocks();
      expect(await everything()).toEqual(before);
    },
  );
});
