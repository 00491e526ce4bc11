import { afterEach, describe, expect, it, vi } from "vitest";
import { getAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { openDatabase } from "@/lib/db/open";
import { createAccountsHandlers } from "@/lib/handlers/accounts";
import { updateSettings } from "@/lib/settings/store";
import { jobFor, linkPage, photoPost, quietHandlerDeps, scriptedGraph } from "../../support/fixtures";

const NOW = 1_780_000_000_000;

function handlers() {
  return createAccountsHandlers(
    quietHandlerDeps(scriptedGraph([{ id: "1001", name: "Acme Bakery" }]).client, () => NOW).deps,
  );
}

/** The activity log refuses to take one more entry, as a full disk or a bug would make it. */
function breakTheLog() {
  const add = IDBObjectStore.prototype.add;
  vi.spyOn(IDBObjectStore.prototype, "add").mockImplementation(function (this: IDBObjectStore, ...args) {
    if (this.name === "events") throw new DOMException("The disk is full.", "QuotaExceededError");
    return add.apply(this, args);
  });
}

async function everything() {
  const db = await openDatabase();
  const stores = ["accounts", "settings", "jobs", "events"] as const;
  return Object.fromEntries(await Promise.all(stores.map(async (store) => [store, await db.getAll(store)])));
}

afterEach(() => vi.restoreAllMocks());

describe("an account change is one transaction", () => {
  it("unlink: when any part cannot be written, the account, its shares and the settings stay as they were", async () => {
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost(), page, NOW)]);
    await updateSettings({ defaultTargets: [page.id], autoShare: { photo: true } });
    const before = await everything();
    breakTheLog();

    await expect(handlers()["accounts.unlink"]({ id: page.id, queuedJobs: "cancel" }, {})).rejects.toThrow();

    vi.restoreAllMocks();
    expect(await everything()).toEqual(before);
    expect(await getAccount(page.id)).toBeDefined();
    expect((await getJob(`${photoPost().pk}:${page.id}`))?.state).toBe("queued");
  });

  it("re-link: when any part cannot be written, the old sign-in and the paused shares stay as they were", async () => {
    const page = await linkPage({ status: "needs-signin" });
    await addJobsOnce([jobFor(photoPost(), page, NOW)]);
    const before = await everything();
    breakTheLog();

    await expect(
      handlers()["accounts.linkToken"]({ token: "EAAFreshPageToken123456" }, {}),
    ).rejects.toThrow();

    vi.restoreAllMocks();
    expect(await everything()).toEqual(before);
    expect((await getJob(`${photoPost().pk}:${page.id}`))?.state).toBe("needs-signin");
  });

  it("unlink of an account that is not linked changes nothing and says so", async () => {
    const before = await everything();
    await expect(handlers()["accounts.unlink"]({ id: "404", queuedJobs: "keep" }, {})).rejects.toThrow(
      "That account is not linked.",
    );
    expect(await everything()).toEqual(before);
  });
});
