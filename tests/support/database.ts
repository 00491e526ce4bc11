import { DB_NAME } from "@/lib/db/names";
import { closeDatabase } from "@/lib/db/open";

/** Closes our connection and deletes the database, so the next use starts from nothing. */
export async function emptyDatabase(): Promise<void> {
  await closeDatabase();
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}
