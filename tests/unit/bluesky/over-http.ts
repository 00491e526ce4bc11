import { onTestFinished } from "vitest";
import type { BlueskyStandin } from "../../support/bluesky-standin";
import { serveOverHttp } from "../../support/serve-over-http";

/** The Bluesky stand-in on a local port for the test that calls this (stopped when it ends), and its `fetch`. */
export async function blueskyOverHttp(standin: BlueskyStandin): Promise<typeof fetch> {
  const served = await serveOverHttp("Bluesky", standin);
  onTestFinished(() => served.close());
  return served.fetch;
}
