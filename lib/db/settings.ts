import { SETTINGS_KEY } from "./names";
import { type Database, openDatabase } from "./open";

/** The stored settings as they are; the settings module validates them. */
export async function readSettingsRecord(db?: Database): Promise<unknown> {
  return (db ?? (await openDatabase())).get("settings", SETTINGS_KEY);
}

/**
 * Reads, changes and writes the settings record in one transaction, so no change undoes another.
 * `update` gets the record as stored and answers the new one, or undefined to leave it.
 */
export async function updateSettingsRecord(update: (stored: unknown) => unknown): Promise<unknown> {
  const db = await openDatabase();
  const tx = db.transaction("settings", "readwrite", { durability: "strict" });
  const next = update(await tx.store.get(SETTINGS_KEY));
  await Promise.all([next !== undefined && tx.store.put(next, SETTINGS_KEY), tx.done]);
  return next;
}
