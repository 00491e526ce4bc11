import type { BenchBrowser } from "./browsers";
import { composerFixture, WITH_EXTENSION } from "./pages";
import { median, percentile, round } from "./stats";

/**
 * Page side: one opening of the composer. Walks Instagram's create flow the way its app does (each
 * step's dialog replaces the last; the caption step is also re-mounted in place) and times every
 * caption-step insertion until a page MutationObserver sees our switch inside it. A frame-by-frame
 * check catches a switch rendered without a light-DOM mutation; after 2 s a remount counts as missed.
 */
const OPENING = `async (fixtures) => {
  const portalOf = (html) => {
    let element = new DOMParser().parseFromString(html, "text/html").querySelector('[role="dialog"]');
    while (element.parentElement && element.parentElement.tagName !== "BODY") element = element.parentElement;
    return element;
  };
  const templates = Object.fromEntries(Object.entries(fixtures).map(([name, html]) => [name, portalOf(html)]));
  const fresh = (name) => document.importNode(templates[name], true);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  const switchIn = (portal) => {
    for (const host of portal.querySelectorAll("alsoshare-panel")) {
      if (host.shadowRoot && host.shadowRoot.querySelector('[role="switch"]')) return true;
    }
    return false;
  };
  let waiting = null;
  const check = () => {
    if (waiting && switchIn(waiting.portal)) {
      const done = waiting;
      waiting = null;
      done.resolve(performance.now() - done.start);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true });
  const timed = (portal, insert) =>
    new Promise((resolve) => {
      waiting = { portal, start: performance.now(), resolve };
      insert();
      const frame = () => {
        if (!waiting || waiting.portal !== portal) return;
        check();
        if (waiting && performance.now() - waiting.start > 2000) {
          waiting = null;
          resolve(null);
        } else if (waiting) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  const samples = [];
  let current = fresh("upload");
  document.body.append(current);
  await pause();
  for (const step of ["crop", "caption", "caption"]) {
    const next = fresh(step);
    const replace = () => current.replaceWith(next);
    if (step === "caption") samples.push(await timed(next, replace));
    else replace();
    current = next;
    await pause();
  }
  current.remove();
  await pause();
  observer.disconnect();
  return samples;
}`;

const MISSED_MS = 2000;

export async function measureInjection(browser: BenchBrowser, iterations: number) {
  const fixtures = {
    upload: await composerFixture("upload-step-en"),
    crop: await composerFixture("crop-step-en"),
    caption: await composerFixture("caption-step-en"),
  };
  const page = await browser.page();
  try {
    await page.driver.goto(WITH_EXTENSION);
    const samples: (number | null)[] = [];
    for (let index = 0; index < iterations; index++) {
      // The user's own press (Create, in the app): our watch of the page's layers starts at one.
      await page.driver.press("Shift");
      samples.push(...(await page.call<(number | null)[]>(OPENING, fixtures)));
    }
    const missed = samples.filter((sample) => sample === null).length;
    if (missed === samples.length) throw new Error("our switch never appeared in the caption step");
    // A missed remount counts as the 2 s the page waited for it.
    const timings = samples.map((sample) => sample ?? MISSED_MS);
    return {
      p50: round(median(timings)),
      p95: round(percentile(timings, 95)),
      details: {
        remounts: samples.length,
        missed,
        firstMs: samples[0],
        maxMs: round(Math.max(...timings)),
        samples: samples.map((sample) => (sample === null ? null : round(sample))),
      },
    };
  } finally {
    await page.close();
  }
}
