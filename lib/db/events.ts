import type { IDBPObjectStore, StoreNames } from "idb";
import { openDatabase } from "./open";
import type { AlsoshareDB, EventRecord, EventType } from "./schema";

/** The activity log keeps this many entries; older ones are dropped as new ones come. */
const EVENT_LIMIT = 500;

export type NewEvent = Omit<EventRecord, "id">;

/**
 * Adds entries to the log through the events store of a transaction that may hold other stores too,
 * so an entry lands with the change it describes, or not at all. Trims the oldest past the limit.
 */
export async function addEvents<Stores extends ArrayLike<StoreNames<AlsoshareDB>>>(
  store: IDBPObjectStore<AlsoshareDB, Stores, "events", "readwrite">,
  events: NewEvent[],
): Promise<void> {
  for (const event of events) await store.add(event);
  const excess = (await store.count()) - EVENT_LIMIT;
  let cursor = excess > 0 ? await store.openCursor() : null;
  for (let removed = 0; cursor && removed < excess; removed++) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
}

export async function logEvent(type: EventType, message: string, at = Date.now()): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction("events", "readwrite");
  await Promise.all([addEvents(tx.store, [{ at, type, message }]), tx.done]);
}

export async function recentEvents(limit: number): Promise<EventRecord[]> {
  const db = await openDatabase();
  const events: EventRecord[] = [];
  let cursor = await db.transaction("events").store.index("by-at").openCursor(null, "prev");
  while (cursor && events.length < limit) {
    events.push(cursor.value);
    cursor = await cursor.continue();
  }
  return events;
}
