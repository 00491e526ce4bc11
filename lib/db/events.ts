import { openDatabase } from "./open";
import type { EventRecord, EventType } from "./schema";

/** The activity log keeps this many entries; older ones are dropped as new ones come. */
const EVENT_LIMIT = 500;

export async function logEvent(type: EventType, message: string, at = Date.now()): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction("events", "readwrite");
  await tx.store.add({ at, type, message });
  const excess = (await tx.store.count()) - EVENT_LIMIT;
  let cursor = excess > 0 ? await tx.store.openCursor() : null;
  for (let removed = 0; cursor && removed < excess; removed++) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
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
