import { describe, expect, it, vi } from "vitest";
import { listAccounts } from "@/lib/db/accounts";
import { getJob, recentJobs } from "@/lib/db/jobs";
import { DB_NAME, DB_VERSION } from "@/lib/db/names";
import { closeDatabase, DatabaseOpenError, openDatabase, openWithUpgrades } from "@/lib/db/open";
import { UPGRADES } from "@/lib/db/schema";
import type { GraphRequest } from "@/lib/facebook/graph";
import { loadSettings } from "@/lib/settings/store";
import { scriptedGraph } from "../../support/fixtures";
import { quietQueue } from "../security/background";
import {
  createFixtureDatabase,
  type DatabaseFixture,
  databaseFixtures,
  databaseVersion,
  readStore,
} from "./fixture-database";

const fixtures = databaseFixtures();

async function expectFixtureKept(fixture: DatabaseFixture) {
  for (const [store, content] of Object.entries(fixture.stores)) {
    const stored = await readStore(DB_NAME, store);
    if (content.entries) {
      expect(stored.keys, store).toEqual(content.entries.map(([key]) => key));
      expect(stored.values, store).toEqual(content.entries.map(([, value]) => value));
    } else {
      expect(stored.values, store).toEqual(content.records);
    }
  }
}

describe("the database schema, version by version", () => {
  it("has one upgrade step per version, and a fixture for every version before this one", () => {
    expect(UPGRADES).toHaveLength(DB_VERSION);
    const versions = fixtures.map(({ fixture }) => fixture.version);
    for (let version = 1; version <= DB_VERSION; version++) expect(versions).toContain(version);
  });

  it("creates every store and index on a fresh install", async () => {
    const db = await openDatabase();
    expect([...db.objectStoreNames].sort()).toEqual(["accounts", "events", "jobs", "settings"]);
    expect([...db.transaction("jobs").store.indexNames].sort()).toEqual(["by-created", "by-state"]);
    expect([...db.transaction("events").store.indexNames]).toEqual(["by-at"]);
    expect(db.version).toBe(DB_VERSION);
  });

  describe.each(fixtures)("a profile saved at $file", ({ fixture }) => {
    it("opens at the current version with every record kept", async () => {
      await createFixtureDatabase(DB_NAME, fixture);
      const db = await openDatabase();
      expect(db.version).toBe(DB_VERSION);
      await closeDatabase();
      await expectFixtureKept(fixture);
    });

    it("is read by today's code: accounts, settings and shares as the user left them", async () => {
      await createFixtureDatabase(DB_NAME, fixture);
      expect((await listAccounts()).map((account) => account.name)).toEqual(["Acme Bakery", "Acme Catering"]);
      const settings = await loadSettings();
      expect(settings.autoShare.photo).toBe(true);
      expect(settings.defaultTargets).toEqual(["1001"]);
      expect((await recentJobs(10)).map((job) => job.state)).toEqual([
        "queued",
        "sending",
        "needs-signin",
        "shared",
      ]);
    });

    it("resumes the share an update interrupted mid-flight, without posting it twice", async () => {
      await createFixtureDatabase(DB_NAME, fixture);
      // The interrupted POST did reach Facebook: the Page's recent posts show it.
      const graph = scriptedGraph(
        Array.from(
          { length: 4 },
          () => (request: GraphRequest) =>
            request.path.endsWith("/published_posts")
              ? {
                  data: [
                    { id: "1001_90", message: "Croissants at 7", created_time: "2025-11-21T04:46:41+0000" },
                  ],
                }
              : { id: "91", post_id: "1001_91" },
        ),
      );
      const { queue } = quietQueue(graph.client, {
        now: () => 1_763_800_000_000,
        owner: "worker-after-update",
      });

      await queue.kick();

      expect(await getJob("3141592653589793240:1001")).toMatchObject({
        state: "shared",
        result: { postId: "1001_90" },
      });
      // The queued share went out once; the interrupted one was found, not posted again.
      expect(graph.posts().map((call) => call.params?.message)).toEqual(["Closed Monday"]);
    });
  });

  describe("an upgrade that fails", () => {
    const newest = fixtures.at(-1)?.fixture as DatabaseFixture;

    it("keeps the data at its old version and says so in a sentence", async () => {
      await createFixtureDatabase(DB_NAME, newest);
      const broken = [
        ...UPGRADES,
        () => {
          throw new Error("index already exists");
        },
      ];

      const report = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const opened = openWithUpgrades(DB_NAME, broken);

      await expect(opened).rejects.toThrow(DatabaseOpenError);
      await expect(opened).rejects.toThrow(/Nothing was deleted/);
      expect(report).toHaveBeenCalledWith(expect.stringContaining("step 2"), expect.any(Error));
      expect(await databaseVersion(DB_NAME)).toBe(newest.version);
      await expectFixtureKept(newest);
    });

    it("undoes a step that rewrote records and then failed part-way", async () => {
      await createFixtureDatabase(DB_NAME, newest);
      const broken = [
        ...UPGRADES,
        ((_db, tx) => {
          const jobs = tx.objectStore("jobs");
          void jobs.getAll().then(async (all) => {
            await jobs.put({ ...(all[0] as NonNullable<(typeof all)[0]>), message: "rewritten" });
            // A second record with an existing key: the request fails, the upgrade aborts.
            await jobs.add({ ...(all[0] as NonNullable<(typeof all)[0]>) }).catch(() => undefined);
          });
        }) satisfies (typeof UPGRADES)[number],
      ];

      await expect(openWithUpgrades(DB_NAME, broken)).rejects.toThrow(DatabaseOpenError);
      expect(await databaseVersion(DB_NAME)).toBe(newest.version);
      await expectFixtureKept(newest);
    });

    it("refuses data saved by a newer alsoshare, keeps it, and says to update", async () => {
      await createFixtureDatabase(DB_NAME, { ...newest, version: DB_VERSION + 3 });
      await expect(openDatabase()).rejects.toThrow(/newer version of the extension.*update alsoshare/s);
      expect(await databaseVersion(DB_NAME)).toBe(DB_VERSION + 3);
      expect((await readStore(DB_NAME, "accounts")).values).toHaveLength(2);
    });
  });
});
