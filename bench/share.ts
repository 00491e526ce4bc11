import { waitFor } from "../tests/support/browsers";
import { openComposerAtCaption, openNextComposerAtCaption, SWITCH } from "../tests/support/flows";
import type { Standins } from "../tests/support/standins";
import type { BenchBrowser } from "./browsers";
import { median, percentile, round } from "./stats";

/** Graph's publishing calls: a photo, a feed post, a video or a reel. */
const PUBLISHING = /^\/v[\d.]+\/\d+\/(photos|feed|videos|video_reels)$/;
/** Instagram's limit on shares from one page load is 30 an hour: a fresh load after this many. */
const SHARES_PER_LOAD = 10;

/**
 * Photo shares through the stand-in composer, switch on, alternating a running background and one
 * stopped just before Share is pressed: for each, the time from Instagram's configure answer
 * leaving the stand-in to the first publishing request reaching the Graph stand-in (one clock,
 * the stand-ins' own, both on loopback).
 */
export async function measureShareLatency(browser: BenchBrowser, standins: Standins, runs: number) {
  const page = await browser.page();
  const warm: number[] = [];
  const cold: number[] = [];
  try {
    for (let run = 0; run < 2 * runs; run++) {
      const stopped = run % 2 === 1;
      const caption = `Latency loaf ${run} ${Date.now()} #bakery`;
      if (run % SHARES_PER_LOAD === 0) await openComposerAtCaption(page.driver, caption);
      else await openNextComposerAtCaption(page.driver, caption);
      if ((await page.driver.attribute(SWITCH, "aria-checked")) !== "true") await page.driver.click(SWITCH);
      await page.driver.waitFor(`${SWITCH}[aria-checked="true"]`);
      if (stopped) await browser.stopBackground();
      await page.driver.click("[role=dialog] [role=button]", "Share");
      await page.driver.waitFor("[role=dialog] [role=heading]", " shared");
      let publishedAt: number | undefined;
      await waitFor(() => {
        publishedAt = standins.graph.requests.find(
          (request) =>
            request.method === "POST" &&
            PUBLISHING.test(request.path) &&
            Object.values(request.params).some((value) => value.startsWith(caption)),
        )?.time;
        return publishedAt !== undefined;
      }, `no publishing request for "${caption}" reached Graph`);
      const answeredAt = standins.instagram.configures.find((c) => c.created && c.caption === caption)?.time;
      if (answeredAt === undefined || publishedAt === undefined)
        throw new Error(`no configure answer for "${caption}"`);
      (stopped ? cold : warm).push(publishedAt - answeredAt);
    }
  } finally {
    await page.close();
  }
  const figures = (samples: number[]) => ({
    p50: round(median(samples), 1),
    p95: round(percentile(samples, 95), 1),
  });
  return { warm: figures(warm), cold: figures(cold), details: { samples: { warm, cold } } };
}
