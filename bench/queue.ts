import type { GraphRequest } from "../tests/support/graph-standin";
import type { Standins } from "../tests/support/standins";
import type { BenchBrowser } from "./browsers";
import { BENCH_PAGE, type Photo, photoJobs, putJobs } from "./data";
import { median, round } from "./stats";

/** What real Graph answers take: 300–800 ms. */
const LATENCY_MS = { min: 300, max: 800 };

/**
 * Graph latencies for one run, 300–800 ms: the n-th request waits as long as the n-th request of any
 * other run with the same seed, so the queue's requests and the plain loop's wait alike.
 */
export function seededLatencies(seed: number) {
  let sent = 0;
  return (): number => {
    let hash = 2166136261 ^ seed;
    for (const char of String(sent++)) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    hash = Math.imul(hash ^ (hash >>> 15), 2246822519);
    return LATENCY_MS.min + ((hash >>> 0) % (LATENCY_MS.max - LATENCY_MS.min + 1));
  };
}

/**
 * Page side: `jobs.retryFailed` (the popup's "Retry all"), then the time until every job of ours is
 * shared, read from IndexedDB every 20 ms.
 */
const QUEUE_RUN = `async (count) => {
  const api = globalThis.browser ?? globalThis.chrome;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("alsoshare");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const count_ = (state) => new Promise((resolve, reject) => {
    const request = db.transaction("jobs").objectStore("jobs").index("by-state").count(state);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const sharedBefore = await count_("shared");
    const start = performance.now();
    const reply = await api.runtime.sendMessage({ type: "jobs.retryFailed", payload: {} });
    if (!reply || !reply.ok || reply.data !== count) throw new Error("the queue took back " + JSON.stringify(reply));
    for (;;) {
      const shared = (await count_("shared")) - sharedBefore;
      if (shared >= count) return performance.now() - start;
      if ((await count_("failed")) > 0) throw new Error("a share failed");
      if (performance.now() - start > 10 * 60_000) throw new Error("only " + shared + " shared in 10 min");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    db.close();
  }
}`;

/**
 * Page side: the POSTs the queue makes for these jobs, with plain fetch, one after another: for each,
 * the photo uploaded unpublished, then the feed post attaching it (as lib/facebook/pages.ts does).
 */
const PLAIN_RUN = `async (pageId, shares, token) => {
  const post = async (edge, params) => {
    const response = await fetch("https://graph.facebook.com/v26.0/" + pageId + "/" + edge, {
      method: "POST",
      headers: { Authorization: "Bearer " + token },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(15000),
      credentials: "omit",
    });
    const answer = await response.json();
    if (!response.ok) throw new Error("the Graph stand-in answered " + response.status);
    return answer;
  };
  const start = performance.now();
  for (const { url, message } of shares) {
    const photo = await post("photos", { published: "false", url });
    await post("feed", { message, attached_media: JSON.stringify([{ media_fbid: photo.id }]) });
  }
  return performance.now() - start;
}`;

/** What a run asked Graph, without what differs between runs (ids, times): to compare two runs. */
const askedOf = (requests: readonly GraphRequest[]) =>
  requests.map(({ method, path, params }) => {
    const { attached_media: _ids, ...same } = params;
    return JSON.stringify([method, path, Object.entries(same).sort()]);
  });

/**
 * Queue ÷ plain loop for `count` photo shares, against a Graph stand-in that answers each request in
 * 300–800 ms (seeded per pair: the n-th request of both runs of a pair waits alike); pairs alternate
 * their order. The queue: from the request that queues them to the last one stored as shared. The
 * loop: the same POSTs (URL, headers, body) from an extension page; a run that asked Graph anything
 * else stops the bench.
 */
export async function measureQueueOverhead(
  browser: BenchBrowser,
  standins: Standins,
  photo: Photo,
  options: { count: number; pairs: number },
) {
  const page = await browser.extensionPage("blank.html");
  const queueMs: number[] = [];
  const plainMs: number[] = [];
  const ratios: number[] = [];
  try {
    for (let pair = 0; pair < options.pairs; pair++) {
      const batch = String(10 + pair);
      const jobs = photoJobs(options.count, { ...photo, batch, state: "failed", createdAt: Date.now() });
      const shares = jobs.map((job) => ({ url: photo.url, message: job.message }));
      await putJobs(page, jobs);
      const asked: Record<"queue" | "plain", string[]> = { queue: [], plain: [] };
      const timed = async (run: "queue" | "plain", call: () => Promise<number>) => {
        standins.graph.latencyMs = seededLatencies(1000 + pair);
        const before = standins.graph.requests.length;
        const ms = await call();
        asked[run] = askedOf(standins.graph.requests.slice(before));
        return ms;
      };
      const runQueue = () => timed("queue", () => page.call<number>(QUEUE_RUN, options.count));
      const runPlain = () =>
        timed("plain", () => page.call<number>(PLAIN_RUN, photo.pageId, shares, BENCH_PAGE.token));
      let queue: number;
      let plain: number;
      if (pair % 2 === 0) {
        queue = await runQueue();
        plain = await runPlain();
      } else {
        plain = await runPlain();
        queue = await runQueue();
      }
      if (asked.queue.join("\n") !== asked.plain.join("\n")) {
        throw new Error(
          `pair ${pair + 1}: the queue asked Graph ${asked.queue.length} things, the plain loop ${asked.plain.length}, not the same:\n${asked.queue.slice(0, 4).join("\n")}\nvs\n${asked.plain.slice(0, 4).join("\n")}`,
        );
      }
      queueMs.push(round(queue, 1));
      plainMs.push(round(plain, 1));
      ratios.push(queue / plain);
      console.log(
        `  pair ${pair + 1}/${options.pairs}: queue ${Math.round(queue)} ms, plain ${Math.round(plain)} ms`,
      );
    }
  } finally {
    standins.graph.latencyMs = 0;
    await page.close();
  }
  return {
    ratio: round(median(ratios)),
    details: {
      shares: options.count,
      graphLatencyMs: LATENCY_MS,
      samples: ratios.map((ratio) => round(ratio)),
      ratioOfMedians: round(median(queueMs) / median(plainMs)),
      perShareOverheadMs: round((median(queueMs) - median(plainMs)) / options.count, 2),
      queueMs,
      plainMs,
    },
  };
}

/** The background's JS heap after `count` photo shares went through the queue. */
export async function measureWorkerHeap(browser: BenchBrowser, photo: Photo, count: number) {
  const readHeap = () => browser.backgroundHeap();
  const page = await browser.extensionPage("blank.html");
  try {
    const before = await readHeap();
    const jobs = photoJobs(count, { ...photo, batch: "20", state: "failed", createdAt: Date.now() });
    await putJobs(page, jobs);
    const started = Date.now();
    await page.call<number>(QUEUE_RUN, count);
    const after = await readHeap();
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 2);
    return {
      mb: mb(after.usedBytes),
      details: {
        jobs: count,
        secondsToShareAll: round((Date.now() - started) / 1000, 1),
        usedMbBefore: mb(before.usedBytes),
        usedMbAfter: mb(after.usedBytes),
        totalMbAfter: mb(after.totalBytes),
      },
    };
  } finally {
    await page.close();
  }
}
