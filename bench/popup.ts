import type { BenchBrowser } from "./browsers";
import { type Photo, photoJobs, putJobs } from "./data";
import { median, round } from "./stats";

/** Page side: asks the background for the popup's state, which starts it if it was stopped. */
const WAKE_BACKGROUND = `async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const reply = await api.runtime.sendMessage({ type: "popup.state", payload: { limit: 1 } });
  if (!reply || !reply.ok) throw new Error("the background did not answer: " + JSON.stringify(reply));
}`;

/**
 * Opens popup.html in a new tab, again and again, over `shares` jobs in the database: with the
 * background running, with it stopped first (as after the browser's idle timeout: the popup's
 * request then starts it), and — the floor — the bench's bare page (bench/extension/floor.html)
 * that reads the same 20 newest rows from IndexedDB itself, with the background stopped too.
 * The bench build puts first-row.js first in both pages.
 */
export async function measurePopup(browser: BenchBrowser, photo: Photo, shares: number, runs: number) {
  const seed = await browser.extensionPage("blank.html");
  const states = ["shared", "shared", "shared", "failed", "needs-signin", "cancelled"] as const;
  const perState = Math.ceil(shares / states.length);
  const jobs = states
    .flatMap((state, index) =>
      photoJobs(perState, {
        ...photo,
        batch: String(30 + index),
        state,
        createdAt: Date.now() - 86_400_000 + index * perState,
      }),
    )
    .slice(0, shares);
  await putJobs(seed, jobs);

  const firstRowMs = async (path: string) => {
    const page = await browser.extensionPage(path);
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ms = await page.driver.evaluate<number | null>("window.__alsoshareFirstRowMs ?? null");
        if (typeof ms === "number") return round(ms, 1);
        if (Date.now() > deadline) throw new Error(`${path} showed no share row within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await page.close();
    }
  };

  // Warm-up: the first load of each page's files.
  await firstRowMs("popup.html");
  await firstRowMs("floor.html");
  const warm: number[] = [];
  const cold: number[] = [];
  const floor: number[] = [];
  for (let run = 0; run < runs; run++) {
    // The run before stopped it: warm means answering already.
    await seed.call(WAKE_BACKGROUND);
    warm.push(await firstRowMs("popup.html"));
    await browser.stopBackground();
    cold.push(await firstRowMs("popup.html"));
    await browser.stopBackground();
    floor.push(await firstRowMs("floor.html"));
  }
  await seed.close();
  return {
    warmP50: round(median(warm), 1),
    coldP50: round(median(cold), 1),
    floorP50: round(median(floor), 1),
    details: { shares: jobs.length, samples: { warm, cold, floor } },
  };
}
