import { NEW_POSTS_KEY, SETTINGS_KEY } from "../db/names";
import { newestJobRecords, openCurrentDatabase } from "../db/peek";
import type { AccountRecord, JobRecord } from "../db/schema";

// The popup's own read of the store, with idb alone, so that it starts before the popup's code has
// loaded (entrypoints/popup-read.ts). The records come back unchecked: popupStateOf checks them.

declare global {
  interface Window {
    /** The popup's read, started by popup-read.js before the popup's modules run. */
    alsoshareStoredPopup?: Promise<StoredPopup | undefined>;
  }
}

/** The popup's records as stored, the newest `limit` shares among them (damaged ones too). */
export interface StoredPopup {
  settings: unknown;
  newPosts: unknown;
  accounts: AccountRecord[];
  jobs: JobRecord[];
}

/** Undefined whenever only the background can tell: no database yet, or one at another version. */
export async function readStoredPopup(limit: number): Promise<StoredPopup | undefined> {
  const db = await openCurrentDatabase();
  if (!db) return undefined;
  try {
    // One transaction, every read asked at once: each wait is a round trip to the browser's store.
    const tx = db.transaction(["settings", "accounts", "jobs"]);
    const [settings, newPosts, accounts, jobs] = await Promise.all([
      tx.objectStore("settings").get(SETTINGS_KEY),
      tx.objectStore("settings").get(NEW_POSTS_KEY),
      tx.objectStore("accounts").getAll(),
      newestJobRecords(tx.objectStore("jobs").index("by-created"), limit),
    ]);
    return { settings, newPosts, accounts, jobs };
  } finally {
    db.close();
  }
}
