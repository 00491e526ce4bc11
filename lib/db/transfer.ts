import { type ExportFile, mergeImportedAccounts } from "../data/transfer";
import { loadSettings } from "../settings/store";
import { listAccounts } from "./accounts";
import { logEvent } from "./events";
import { openDatabase } from "./open";
import type { AccountRecord } from "./schema";
import { SETTINGS_KEY } from "./settings";

/** What an export is built from: the settings in force and every linked account. */
export async function readExportable(): Promise<{
  settings: Awaited<ReturnType<typeof loadSettings>>;
  accounts: AccountRecord[];
}> {
  const [settings, accounts] = await Promise.all([loadSettings(), listAccounts()]);
  return { settings, accounts };
}

/**
 * Writes a parsed export in one transaction: the settings are replaced and the file's accounts are
 * added or updated. Accounts not in the file stay linked. Either all of it lands or none of it.
 */
export async function writeImport(file: ExportFile): Promise<AccountRecord[]> {
  const db = await openDatabase();
  const tx = db.transaction(["settings", "accounts"], "readwrite", { durability: "strict" });
  const accounts = mergeImportedAccounts(file, await tx.objectStore("accounts").getAll());
  await Promise.all([
    tx.objectStore("settings").put(file.settings, SETTINGS_KEY),
    ...accounts.map((account) => tx.objectStore("accounts").put(account)),
    tx.done,
  ]);
  await logEvent(
    "data",
    `Imported settings and ${accounts.length} account${accounts.length === 1 ? "" : "s"} from a file.`,
  );
  return accounts;
}

/** Deletes accounts, settings, shares and the log, in one transaction; the log then says so. */
export async function clearAllData(): Promise<void> {
  const db = await openDatabase();
  // Every store there is, so a store added later is cleared too.
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores, "readwrite", { durability: "strict" });
  await Promise.all([...stores.map((name) => tx.objectStore(name).clear()), tx.done]);
  await logEvent("data", "All alsoshare data in this browser was deleted.");
}
