import type { ChromiumHarness } from "../tests/support/browsers";
import { extensionOriginPage, type Photo, photoJobs, putJobs } from "./chromium";
import { median, round } from "./stats";

/**
 * Popup side, before any of its scripts: when the first share row enters the DOM, note the start
 * of the next frame (the one that paints it), in ms since navigation start.
 */
const FIRST_ROW = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector("li.job")) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__alsoshareFirstRowMs = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/**
 * Opens popup.html in a new tab, again and again, over `shares` jobs in the database. Runs
 * alternate between a running worker and one stopped first (as after 30 s idle: the popup's
 * request then starts it).
 */
export async function measurePopup(harness: ChromiumHarness, photo: Photo, shares: number, runs: number) {
  const seed = await extensionOriginPage(harness);
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
  await seed.close();

  const open = async () => {
    const page = await harness.page();
    try {
      await page.addInitScript({ content: FIRST_ROW });
      await page.goto(`chrome-extension://${harness.extensionId}/popup.html`);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ms = await page.evaluate("window.__alsoshareFirstRowMs ?? null");
        if (typeof ms === "number") return ms;
        if (Date.now() > deadline) throw new Error("the popup showed no share row within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await page.close();
    }
  };

  await open(); // warm-up: first load of the popup's files
  const warm: number[] = [];
  const cold: number[] = [];
  for (let run = 0; run < runs; run++) {
    warm.push(round(await open(), 1));
    await harness.stopServiceWorker();
    cold.push(round(await open(), 1));
  }
  return {
    p50: round(median(warm), 1),
    details: {
      shares: jobs.length,
      warmWorkerMs: warm,
      stoppedWorkerMs: cold,
      stoppedWorkerP50: round(median(cold), 1),
    },
  };
}
