import { type IDBPDatabase, openDB } from "idb";
import { type AlsoshareDB, DB_NAME, DB_VERSION } from "./schema";

export type Database = IDBPDatabase<AlsoshareDB>;

let opening: Promise<Database> | undefined;

/**
 * Opens the database once per context. Upgrades are cumulative (`oldVersion < N`), so a profile
 * at any older version walks every step; no step deletes a store that holds user data.
 */
export function openDatabase(): Promise<Database> {
  opening ??= openDB<AlsoshareDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("accounts", { keyPath: "id" });
        db.createObjectStore("settings");
        const jobs = db.createObjectStore("jobs", { keyPath: "id" });
        jobs.createIndex("by-state", "state");
        jobs.createIndex("by-created", "createdAt");
        const events = db.createObjectStore("events", { keyPath: "id", autoIncrement: true });
        events.createIndex("by-at", "at");
      }
    },
    // Another context (an older worker, an open options page) holds an older version: let go of ours
    // so the upgrade can run, and reopen on next use.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      opening = undefined;
    },
    terminated() {
      opening = undefined;
    },
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** For tests: forget the open connection (after closing it) so the next call reopens. */
export async function closeDatabase(): Promise<void> {
  const db = await opening?.catch(() => undefined);
  db?.close();
  opening = undefined;
}
