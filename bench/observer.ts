import type { BenchBrowser, BenchPage } from "./browsers";
import { WITH_EXTENSION, WITHOUT_EXTENSION } from "./pages";
import { median, round } from "./stats";

/**
 * Page side: a virtualized feed at work. Each task appends 10 posts (a full article subtree each),
 * drops the 10 oldest, and re-renders 80 text nodes (likes, times): 100 childList mutations per
 * task, one task after another (MessageChannel, no timer clamping), no layout forced. Answers the
 * time until the last task's microtasks (observers included) are done, and, when asked, the
 * mutations a page observer counted.
 */
const FEED = `async (batches, count, layout) => {
  const template = document.querySelector("article");
  const feed = template.parentElement;
  for (const article of Array.from(feed.querySelectorAll("article"))) article.remove();
  let counted = 0;
  const counter = count ? new MutationObserver((records) => { counted += records.length; }) : null;
  counter?.observe(document.body, { childList: true, subtree: true });
  const channel = new MessageChannel();
  const yieldTask = () => new Promise((resolve) => { channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
  const live = [];
  let serial = 0;
  await yieldTask();
  const start = performance.now();
  for (let batch = 0; batch < batches; batch++) {
    for (let i = 0; i < 10; i++) {
      const article = template.cloneNode(true);
      const name = article.querySelector("header span");
      if (name) name.textContent = "baker_" + ++serial;
      feed.append(article);
      live.push(article);
    }
    for (let i = 0; i < 10 && live.length > 60; i++) live.shift().remove();
    for (let i = 0; i < 80; i++) {
      const article = live[(batch * 7 + i) % live.length];
      const spans = article.querySelectorAll("span");
      spans[i % spans.length].textContent = "liked by " + (batch * 80 + i);
    }
    // A virtualized feed measures what it rendered to place the next items.
    if (layout) feed.lastElementChild.getBoundingClientRect();
    await yieldTask();
  }
  const elapsed = performance.now() - start;
  counter?.disconnect();
  return { elapsed, counted };
}`;

/**
 * Each run starts this long after its page loaded: the browser's work after a load (collecting the
 * page before, injecting content scripts at document_idle) otherwise lands in some runs and not
 * others. Measured in Firefox: 14 runs of the page without us spread 2.3–4.8 s started at once,
 * 2.1–2.4 s started 1.5 s later.
 */
const SETTLE_MS = 1500;

type FeedRun = { elapsed: number; counted: number; cpuMs: number };

/** One run on a fresh page: the CPU it cost (`cpuMs`) and the page's own clock (`elapsed`). */
async function runFeed(page: BenchPage, url: string, batches: number, count: boolean, layout: boolean) {
  await page.driver.goto(url);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const stopCpuTimer = await page.startCpuTimer();
  const run = await page.call<Omit<FeedRun, "cpuMs">>(FEED, batches, count, layout);
  return { ...run, cpuMs: await stopCpuTimer() } satisfies FeedRun;
}

/**
 * With ÷ without, in one browser: the same page on www.instagram.com (our two content scripts are
 * injected) and on www.facebook.com (they are not). Compared on the CPU time the page cost, which
 * other processes on a busy machine do not inflate the way they inflate wall time.
 * Pairs alternate their order (ABBA) so drift falls on both sides.
 */
async function compare(page: BenchPage, pairs: number, batches: number, layout: boolean) {
  const ratios: number[] = [];
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  const wallRatios: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? [WITH_EXTENSION, WITHOUT_EXTENSION] : [WITHOUT_EXTENSION, WITH_EXTENSION];
    const runs: Record<string, FeedRun> = {};
    for (const url of order) runs[url] = await runFeed(page, url, batches, false, layout);
    const withRun = runs[WITH_EXTENSION] as FeedRun;
    const withoutRun = runs[WITHOUT_EXTENSION] as FeedRun;
    withMs.push(round(withRun.cpuMs, 1));
    withoutMs.push(round(withoutRun.cpuMs, 1));
    ratios.push(withRun.cpuMs / withoutRun.cpuMs);
    wallRatios.push(withRun.elapsed / withoutRun.elapsed);
  }
  return {
    ratio: round(median(ratios)),
    samples: ratios.map((ratio) => round(ratio)),
    compared: `CPU time of ${page.cpuTimeOf}`,
    withMs,
    withoutMs,
    wallClockRatio: round(median(wallRatios)),
  };
}

export async function measureObserverOverhead(browser: BenchBrowser, pairs: number, batches: number) {
  const page = await browser.page();
  try {
    // Warm-up, untimed; also proves the mutation count and that the extension really is there.
    const withCount = await runFeed(page, WITH_EXTENSION, batches, true, true);
    // Our MAIN-world script wraps the page's fetch: proof that the content scripts ran, or did not.
    const wrapped = () => page.driver.evaluate<boolean>(`!String(window.fetch).includes("[native code]")`);
    const injected = await wrapped();
    const withoutCount = await runFeed(page, WITHOUT_EXTENSION, batches, true, true);
    if (!injected || (await wrapped())) {
      throw new Error(
        "the content scripts were not injected on www.instagram.com only, as this comparison needs",
      );
    }
    const feed = await compare(page, pairs, batches, true);
    const domOnly = await compare(page, Math.max(2, pairs >> 1), batches, false);
    return {
      ratio: feed.ratio,
      details: {
        samples: feed.samples,
        mutationsPerRun: { with: withCount.counted, without: withoutCount.counted },
        feed,
        domOnlyWorstCase: domOnly,
      },
    };
  } finally {
    await page.close();
  }
}
