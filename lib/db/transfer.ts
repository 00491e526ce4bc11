import { addEvents, type NewEvent } from "./events";
import { SETTINGS_KEY } from "./names";
import { allOrNothing, openDatabase } from "./open";
import type { AccountRecord } from "./schema";

/**
 * Writes an import and its log entry in one transaction: the settings record is replaced, and the
 * accounts `mergeAccounts` answers (from the accounts stored at that moment) are added or updated.
 * Accounts it does not answer stay linked. Either all of it lands or none of it.
 */
export async function writeImport(
  settings: unknown,
  mergeAccounts: (stored: AccountRecord[]) => AccountRecord[],
  event: NewEvent,
): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(["settings", "accounts", "events"], "readwrite", { durability: "strict" });
  const accounts = tx.objectStore("accounts");
  await allOrNothing(tx, async () => {
    const merged = mergeAccounts(await accounts.getAll());
    await Promise.all([
      tx.objectStore("settings").put(settings, SETTINGS_KEY),
      ...merged.map((account) => accounts.put(account)),
      addEvents(tx.objectStore("events"), [event]),
    ]);
  });
}

/**
 * Deletes accounts, settings, shares and the log, then logs `event`, all in one transaction: the
 * data is gone with the entry that says so, or nothing is.
 */
export async function clearAllData(event: NewEvent): Promise<void> {
  const db = await openDatabase();
  // Every store there is, so a store added later is cleared too.
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores, "readwrite", { durability: "strict" });
  await allOrNothing(tx, async () => {
    await Promise.all([
      ...stores.map((name) => tx.objectStore(name).clear()),
      addEvents(tx.objectStore("events"), [event]),
    ]);
  });
}
