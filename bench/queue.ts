import type { GraphRequest } from "../tests/support/graph-standin";
import type { Standins } from "../tests/support/standins";
import type { BenchBrowser } from "./browsers";
import { BENCH_PAGE, type Photo, photoJobs, putJobs } from "./data";
import { median, round } from "./stats";

/** What real Graph answers take: 300–800 ms. */
const LATENCY_MS = { min: 300, max: 800 };

/**
 * A Graph latency for each request, 300–800 ms, the same for the same request (method, path, text)
 * whoever sends it: the queue's POSTs and the plain loop's copies of them wait alike.
 */
export function seededLatency(seed: number) {
  return (request: GraphRequest): number => {
    let hash = 2166136261 ^ seed;
    for (const char of `${request.method} ${request.path} ${request.params.message ?? ""}`) {
      hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    }
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

/** Page side: the same POSTs the queue makes for these jobs, with plain fetch, one after another. */
const PLAIN_RUN = `async (requests, token) => {
  const start = performance.now();
  for (const { path, url, message } of requests) {
    const response = await fetch("https://graph.facebook.com/v26.0" + path, {
      method: "POST",
      headers: { Authorization: "Bearer " + token },
      body: new URLSearchParams({ url, message }),
      signal: AbortSignal.timeout(15000),
      credentials: "omit",
    });
    await response.json();
    if (!response.ok) throw new Error("the Graph stand-in answered " + response.status);
  }
  return performance.now() - start;
}`;

/**
 * Queue ÷ plain loop for `count` photo shares, against a Graph stand-in that answers each in
 * 300–800 ms (seeded per pair, the same for both runs of a pair); pairs alternate their order.
 * The queue: from the request that queues them to the last one stored as shared. The loop: the same
 * POSTs (URL, headers, body) from an extension page.
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
      standins.graph.latencyMs = seededLatency(1000 + pair);
      const batch = String(10 + pair);
      const jobs = photoJobs(options.count, { ...photo, batch, state: "failed", createdAt: Date.now() });
      const requests = jobs.map((job) => ({
        path: `/${photo.pageId}/photos`,
        url: photo.url,
        message: job.message,
      }));
      await putJobs(page, jobs);
      const runQueue = () => page.call<number>(QUEUE_RUN, options.count);
      const runPlain = () => page.call<number>(PLAIN_RUN, requests, BENCH_PAGE.token);
      let queue: number;
      let plain: number;
      if (pair % 2 === 0) {
        queue = await runQueue();
        plain = await runPlain();
      } else {
        plain = await runPlain();
        queue = await runQueue();
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

/** The background's JS heap, as `readHeap` reads it, after `count` photo shares went through the queue. */
export async function measureWorkerHeap(
  browser: BenchBrowser,
  readHeap: () => Promise<{ usedBytes: number; totalBytes: number }>,
  photo: Photo,
  count: number,
) {
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
