import { describe, expect, it, vi } from "vitest";
import { addJobsOnce } from "@/lib/db/jobs";
import { DB_NAME, DB_VERSION, SETTINGS_KEY } from "@/lib/db/names";
import { closeDatabase, openDatabase } from "@/lib/db/open";
import { popupStateOf } from "@/lib/reads/popup";
import { readStoredPopup } from "@/lib/reads/stored-popup";
import { updateSettings } from "@/lib/settings/store";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { pageSender } from "../../support/senders";
import { createFixtureDatabase, databaseFixtures, databaseVersion } from "../db/fixture-database";
import { quietBackground } from "../security/background";

/** The popup's own read runs in another context than the background: its own connection. */
async function peekFromAnotherPage() {
  await closeDatabase();
  return popupStateOf(await readStoredPopup(10));
}

const existingDatabases = async () => (await indexedDB.databases()).map((db) => db.name);

describe("the popup's own read of its state", () => {
  it("is what the background answers popup.state, without a token, and leaves the store as it was", async () => {
    const page = await linkPage();
    await addJobsOnce(
      Array.from({ length: 12 }, (_, index) => jobFor(photoPost(String(1000 + index)), page, index)),
    );
    await updateSettings(() => ({ consent: { readInstagram: true, at: 0 }, newPosts: { photo: true } }));
    const { route } = quietBackground();
    const answer = await route({ type: "popup.state", payload: { limit: 10 } }, pageSender());
    if (!answer.ok) throw new Error(answer.error.message);

    const peeked = await peekFromAnotherPage();
    expect(peeked).toEqual(answer.data);
    expect(peeked?.jobs).toHaveLength(10);
    expect(peeked?.newPosts).toEqual({});
    expect(JSON.stringify(peeked)).not.toContain(PAGE_TOKEN);
    expect(await databaseVersion(DB_NAME)).toBe(DB_VERSION);
  });

  it("creates nothing when there is no database yet: the background's first open makes every store", async () => {
    expect(await peekFromAnotherPage()).toBeUndefined();
    expect(await existingDatabases()).not.toContain(DB_NAME);
    const db = await openDatabase();
    expect([...db.objectStoreNames]).toContain("jobs");
  });

  it("leaves a database at another version (a newer alsoshare's) to the background, as it is", async () => {
    const newer = databaseFixtures()[0];
    if (!newer) throw new Error("no database fixture");
    await closeDatabase();
    await createFixtureDatabase(DB_NAME, { ...newer.fixture, version: DB_VERSION + 1 });
    expect(popupStateOf(await readStoredPopup(10))).toBeUndefined();
    expect(await databaseVersion(DB_NAME)).toBe(DB_VERSION + 1);
  });

  it("gives way to the background when the stored settings no longer validate", async () => {
    await linkPage();
    const db = await openDatabase();
    await db.put("settings", { version: 1, autoShare: "yes please" }, SETTINGS_KEY);
    expect(await peekFromAnotherPage()).toBeUndefined();
  });

  it("leaves out a damaged share record, as the background does, and shows the others", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost("1000"), page, 0)]);
    const db = await openDatabase();
    const damaged = { id: "999:1001", state: "queued", createdAt: Date.now() + 1000 };
    await (db as unknown as { put(store: string, value: unknown): Promise<unknown> }).put("jobs", damaged);

    const peeked = await peekFromAnotherPage();
    expect(peeked?.jobs.map((job) => job.id)).toEqual([`${photoPost("1000").pk}:${page.id}`]);
    vi.restoreAllMocks();
  });
});
