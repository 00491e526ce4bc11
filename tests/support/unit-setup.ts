import "fake-indexeddb/auto";
import { afterEach } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { closeDatabase } from "@/lib/db/open";

// Each test starts with an empty database and a fresh fake browser.
afterEach(async () => {
  await closeDatabase();
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase("alsoshare");
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
  fakeBrowser.reset();
});
