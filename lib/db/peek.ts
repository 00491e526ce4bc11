import { type IDBPDatabase, type IDBPIndex, openDB, type StoreNames, unwrap, wrap } from "idb";
import { DB_NAME, DB_VERSION } from "./names";
import type { AlsoshareDB, JobRecord } from "./schema";

// Reads of the store with idb alone (no zod, no schema): a page that must paint before the background
// wakes (the popup) starts them before its own code has loaded. Records come back unchecked.

/**
 * The database as it is: open at this version's format, or undefined when it does not exist yet or
 * is at another version. It never creates or upgrades anything (that is the background's), and the
 * caller closes it.
 */
export async function openCurrentDatabase(): Promise<IDBPDatabase<AlsoshareDB> | undefined> {
  try {
    const db = await openDB<AlsoshareDB>(DB_NAME, undefined, {
      // No version asked: an upgrade here only means there was no database; leave it uncreated.
      upgrade(_db, _old, _new, tx) {
        tx.done.catch(() => undefined);
        tx.abort();
      },
    });
    if (db.version === DB_VERSION) return db;
    db.close();
  } catch {
    // No database yet, or the browser refused to open it: the background answers instead.
  }
  return undefined;
}

type JobsByCreated = IDBPIndex<AlsoshareDB, StoreNames<AlsoshareDB>[], "jobs", "by-created">;

/** Up to `limit` jobs created before `createdBefore` that `accept` keeps, newest first. */
export async function newestJobs(
  index: JobsByCreated,
  limit: number,
  accept: (job: JobRecord) => boolean = () => true,
  createdBefore = Number.POSITIVE_INFINITY,
): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  const range = Number.isFinite(createdBefore) ? IDBKeyRange.upperBound(createdBefore, true) : undefined;
  let cursor = await index.openCursor(range, "prev");
  while (cursor && jobs.length < limit) {
    if (accept(cursor.value)) jobs.push(cursor.value);
    cursor = await cursor.continue();
  }
  return jobs;
}

/** IndexedDB's getAllRecords, which older browsers and TypeScript's DOM types lack. */
type IndexWithRecords = IDBIndex & {
  getAllRecords?(options: { count: number; direction: "prev" }): IDBRequest<{ value: JobRecord }[]>;
};

/**
 * The newest `limit` jobs, all of them, in one round trip where the browser can: a cursor waits for
 * the page's main thread at every step, and a page that is loading its code keeps it busy.
 */
export async function newestJobRecords(index: JobsByCreated, limit: number): Promise<JobRecord[]> {
  const raw = unwrap(index) as IndexWithRecords;
  if (!raw.getAllRecords) return newestJobs(index, limit);
  const records = await (wrap(raw.getAllRecords({ count: limit, direction: "prev" })) as Promise<
    { value: JobRecord }[]
  >);
  return records.map((record) => record.value);
}
