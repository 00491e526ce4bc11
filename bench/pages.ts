import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

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
 * Instagram's feed markup (fixture) at the benchmark path on both hosts, for the stand-ins to
 * serve as given: both cost the same to load and nothing else about them differs.
 */
export async function feedPages(): Promise<Record<string, string>> {
  const html = await composerFixture("feed-en");
  return { [WITH_EXTENSION]: html, [WITHOUT_EXTENSION]: html };
}
