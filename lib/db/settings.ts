import type { IDBPObjectStore, StoreNames } from "idb";
import { openDatabase } from "./open";
import type { AlsoshareDB } from "./schema";

export const SETTINGS_KEY = "current";

/** The stored settings as they are; the settings module validates them. */
export async function readSettingsRecord(): Promise<unknown> {
  return (await openDatabase()).get("settings", SETTINGS_KEY);
}

/**
 * Rewrites the settings record through the settings store of a transaction that may hold other
 * stores too. `update` gets the record as stored and answers the new one, or undefined to leave it.
 */
export async function updateSettingsIn<Stores extends ArrayLike<StoreNames<AlsoshareDB>>>(
  store: IDBPObjectStore<AlsoshareDB, Stores, "settings", "readwrite">,
  update: (stored: unknown) => unknown,
): Promise<unknown> {
  const next = update(await store.get(SETTINGS_KEY));
  if (next !== undefined) await store.put(next, SETTINGS_KEY);
  return next;
}

/** Reads, changes and writes the settings record in one transaction: no change undoes another. */
export async function updateSettingsRecord(update: (stored: unknown) => unknown): Promise<unknown> {
  const db = await openDatabase();
  const tx = db.transaction("settings", "readwrite", { durability: "strict" });
  const [next] = await Promise.all([updateSettingsIn(tx.store, update), tx.done]);
  return next;
}
