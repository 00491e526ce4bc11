import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";

const COMPOSER_FIXTURES = fileURLToPath(new URL("../tests/fixtures/composer/", import.meta.url));

export function composerFixture(name: string): Promise<string> {
  return readFile(`${COMPOSER_FIXTURES}${name}.html`, "utf8");
}

/** Where the benchmark pages live: a path the Instagram stand-in does not serve itself. */
const BENCH_PATH = "/alsoshare-bench/feed";
/** Our content scripts run here (they match https://www.instagram.com/*)… */
export const WITH_EXTENSION = `https://www.instagram.com${BENCH_PATH}`;
/** …and not here: same browser, same page, another stand-in host. */
export const WITHOUT_EXTENSION = `https://www.facebook.com${BENCH_PATH}`;

/**
 * Serves Instagram's feed markup (fixture) at the benchmark path on both hosts. Answered inside
 * the browser, so both hosts cost the same to load and nothing else about them differs.
 */
export async function serveFeedPage(context: BrowserContext): Promise<void> {
  const html = await composerFixture("feed-en");
  for (const url of [WITH_EXTENSION, WITHOUT_EXTENSION]) {
    await context.route(url, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
  }
}
