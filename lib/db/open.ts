import { type IDBPDatabase, openDB } from "idb";
import { DB_NAME } from "./names";
import { type AlsoshareDB, UPGRADES, type UpgradeStep } from "./schema";

export type Database = IDBPDatabase<AlsoshareDB>;

/** The saved data could not be opened in this version's format. Nothing was deleted. */
export class DatabaseOpenError extends Error {
  override readonly name = "DatabaseOpenError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

let opening: Promise<Database> | undefined;

/**
 * Opens the database once per context. Upgrades are cumulative, so a profile at any older version
 * walks every step; a step that fails aborts the whole upgrade, and the data stays as it was.
 */
export function openDatabase(): Promise<Database> {
  opening ??= openWithUpgrades(DB_NAME, UPGRADES, () => {
    opening = undefined;
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** Opens `name` at version `upgrades.length`, running the steps it lacks in one transaction. */
export async function openWithUpgrades(
  name: string,
  upgrades: readonly UpgradeStep[],
  onClosed: () => void = () => undefined,
): Promise<Database> {
  let upgradeStarted = false;
  try {
    return await openDB<AlsoshareDB>(name, upgrades.length, {
      upgrade(db, oldVersion, _newVersion, tx) {
        upgradeStarted = true;
        // A failed upgrade is reported once, by the open call below; this promise would repeat it.
        tx.done.catch(() => undefined);
        for (let version = oldVersion; version < upgrades.length; version++) {
          try {
            upgrades[version]?.(db, tx);
          } catch (cause) {
            console.error(`alsoshare: database upgrade step ${version + 1} failed`, cause);
            // Aborting the version change undoes every step: the data stays at its old version.
            tx.abort();
            return;
          }
        }
      },
      // Another context (an older worker, an open options page) holds an older version: let go of
      // ours so the upgrade can run, and reopen on next use.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
        onClosed();
      },
      terminated: onClosed,
    });
  } catch (cause) {
    // A step's own requests (moving records) may also fail after it returned: same outcome.
    if (upgradeStarted) {
      throw new DatabaseOpenError(
        "alsoshare could not update its saved data to this version's format. Nothing was deleted; " +
          "reload the extension to try again, and report the problem if it stays.",
        { cause },
      );
    }
    if (cause instanceof DOMException && cause.name === "VersionError") {
      throw new DatabaseOpenError(
        "alsoshare's saved data comes from a newer version of the extension. Nothing was deleted; " +
          "update alsoshare to use it again.",
        { cause },
      );
    }
    throw cause;
  }
}

/** Ends an unfinished transaction; one a failed request already aborted is left as it is. */
function abandon(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished: the failed request aborted it.
  }
}

/**
 * Runs `work` in `tx`, waits for the commit, and answers what `work` answered. Any failure aborts the transaction: a failed request
 * (IndexedDB aborts on it by itself) and a thrown error alike, so what `work` already wrote never
 * lands without the rest.
 */
export async function allOrNothing<T>(
  tx: { abort(): void; done: Promise<void> },
  work: () => Promise<T>,
): Promise<T> {
  const [result] = await Promise.all([
    work().catch((error: unknown) => {
      abandon(tx);
      throw error;
    }),
    tx.done,
  ]);
  return result;
}

/** For tests: forget the open connection (after closing it) so the next call reopens. */
export async function closeDatabase(): Promise<void> {
  const db = await opening?.catch(() => undefined);
  db?.close();
  opening = undefined;
}
