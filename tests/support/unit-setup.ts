import "fake-indexeddb/auto";
import { afterEach } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { emptyDatabase } from "./database";

// Each test starts with an empty database and a fresh fake browser.
afterEach(async () => {
  await emptyDatabase();
  fakeBrowser.reset();
});
