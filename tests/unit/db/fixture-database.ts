import { readdirSync, readFileSync } from "node:fs";

/** An old profile's database, as JSON: each store's shape at that version and its records. */
export interface DatabaseFixture {
  version: number;
  stores: Record<
    string,
    {
      keyPath: string | null;
      autoIncrement?: boolean;
      indexes: { name: string; keyPath: string }[];
      records?: unknown[];
      entries?: [IDBValidKey, unknown][];
    }
  >;
}

const FIXTURES = new URL("../../fixtures/db/", import.meta.url).pathname;

/** Every fixture in tests/fixtures/db, oldest first. */
export function databaseFixtures(): { file: string; fixture: DatabaseFixture }[] {
  return readdirSync(FIXTURES)
    .filter((file) => /^v\d+\.json$/.test(file))
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(FIXTURES + file, "utf8")) as DatabaseFixture }))
    .sort((a, b) => a.fixture.version - b.fixture.version);
}

/**
 * Builds the fixture with the raw IndexedDB API, not with our code, so the database really has
 * the old shape, then closes it.
 */
export function createFixtureDatabase(name: string, fixture: DatabaseFixture): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, fixture.version);
    request.onupgradeneeded = () => {
      const db = request.result;
      const tx = request.transaction;
      if (!tx) throw new Error("no upgrade transaction");
      for (const [storeName, store] of Object.entries(fixture.stores)) {
        const created = db.createObjectStore(storeName, {
          keyPath: store.keyPath,
          autoIncrement: store.autoIncrement ?? false,
        });
        for (const index of store.indexes) created.createIndex(index.name, index.keyPath);
        for (const record of store.records ?? []) created.add(record);
        for (const [key, value] of store.entries ?? []) created.add(value, key);
      }
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
  });
}

/** What a store holds, read with the raw API: keys and values in key order. */
export function readStore(name: string, store: string): Promise<{ keys: IDBValidKey[]; values: unknown[] }> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => {
      const db = request.result;
      const objects = db.transaction(store).objectStore(store);
      const keys = objects.getAllKeys();
      const values = objects.getAll();
      values.onsuccess = () => {
        db.close();
        resolve({ keys: keys.result, values: values.result });
      };
      values.onerror = () => reject(values.error);
    };
    request.onerror = () => reject(request.error);
  });
}

export function databaseVersion(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => {
      const { version } = request.result;
      request.result.close();
      resolve(version);
    };
    request.onerror = () => reject(request.error);
  });
}
