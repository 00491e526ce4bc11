import type { Page, Worker } from "playwright-core";
import type { ChromiumHarness } from "../tests/support/browsers";
import { playwrightDriver } from "../tests/support/driver";
import { linkPageByToken } from "../tests/support/flows";
import type { Standins } from "../tests/support/standins";
import {
  call,
  extensionOriginPage,
  type Photo,
  photoJobs,
  putJobs,
  sendFromExtensionPage,
  uploadPhoto,
  workerCdp,
} from "./chromium";
import { median, round } from "./stats";

export const BENCH_PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGbenchpagetoken0123456789" };

/** Links the stand-in's Page through the options page, as a user would, and puts a photo on the CDN. */
export async function linkBenchPage(harness: ChromiumHarness, standins: Standins): Promise<Photo> {
  standins.graph.addPage(BENCH_PAGE);
  const options = await harness.openExtensionPage("options.html");
  try {
    await linkPageByToken(playwrightDriver(options), BENCH_PAGE.token, BENCH_PAGE.name);
  } finally {
    await options.close();
  }
  return { url: await uploadPhoto(standins, 120_000), pageId: BENCH_PAGE.id, pageName: BENCH_PAGE.name };
}

/**
 * Worker side: notes when the queue writes a job as `sending` (a claim), when the transaction that
 * writes its outcome completes (a settle), and when each fetch starts and gets its answer. The
 * extension's own code is not changed; the bench wraps the IndexedDB method and `fetch` it calls.
 */
const INSTRUMENT = `() => {
  if (!globalThis.__alsoshareBench) {
    globalThis.__alsoshareBench = { claims: [], settles: [], fetches: [] };
    const workerFetch = globalThis.fetch;
    globalThis.fetch = function (input, init) {
      const entry = { start: performance.now(), end: null };
      globalThis.__alsoshareBench.fetches.push(entry);
      const answer = workerFetch.call(this, input, init);
      answer.then(() => { entry.end = performance.now(); }, () => undefined);
      return answer;
    };
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      const state = value && typeof value === "object" ? value.state : undefined;
      const bench = globalThis.__alsoshareBench;
      if (this.name === "jobs" && (state === "sending" || state === "shared" || state === "failed")) {
        const entry = { state, done: null };
        (state === "sending" ? bench.claims : bench.settles).push(entry);
        entry.at = performance.now();
        this.transaction.addEventListener("complete", () => { entry.done = performance.now(); });
      }
      return put.call(this, value, key);
    };
  }
  globalThis.__alsoshareBench.claims = [];
  globalThis.__alsoshareBench.settles = [];
  globalThis.__alsoshareBench.fetches = [];
}`;

/** Worker side: median time a POST waited for its answer, and from one answer to the next POST. */
const FETCH_TIMES = `() => {
  const fetches = globalThis.__alsoshareBench.fetches.filter((entry) => entry.end !== null);
  const middle = (values) => values.length ? values.sort((a, b) => a - b)[values.length >> 1] : null;
  return {
    postMs: middle(fetches.map((entry) => entry.end - entry.start)),
    betweenPostsMs: middle(fetches.slice(1).map((entry, index) => entry.start - fetches[index].end)),
  };
}`;

const PROGRESS = `() => {
  const { claims, settles } = globalThis.__alsoshareBench;
  const done = settles.filter((entry) => entry.done !== null);
  const middle = (values) => values.length ? values.sort((a, b) => a - b)[values.length >> 1] : null;
  const commitMs = (entries) => middle(entries.filter((entry) => entry.done !== null).map((entry) => entry.done - entry.at));
  return {
    claimCommitMs: commitMs(claims),
    settleCommitMs: commitMs(settles),
    settled: done.length,
    failed: done.filter((entry) => entry.state === "failed").length,
    firstClaim: claims.length ? Math.min(...claims.map((entry) => entry.at)) : null,
    lastSettle: done.length ? Math.max(...done.map((entry) => entry.done)) : null,
  };
}`;

/** Worker side: the same POSTs the queue makes for these jobs, with plain fetch, one after another. */
const PLAIN_FETCHES = `async (requests, token) => {
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

type FetchTimes = { postMs: number | null; betweenPostsMs: number | null };

type Progress = {
  settled: number;
  failed: number;
  firstClaim: number | null;
  lastSettle: number | null;
  /** Median time from a job's `put` to its transaction's completion (durable commit included). */
  claimCommitMs: number | null;
  settleCommitMs: number | null;
};

async function runQueue(worker: Worker, page: Page, photo: Photo, count: number, batch: string) {
  const jobs = photoJobs(count, { ...photo, batch, state: "failed", createdAt: Date.now() });
  await putJobs(page, jobs);
  await call(worker, INSTRUMENT);
  const requeued = await sendFromExtensionPage<number>(page, "jobs.retryFailed", {});
  if (requeued !== count) throw new Error(`the queue took ${requeued} jobs back, not ${count}`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const progress = await call<Progress>(worker, PROGRESS);
    if (progress.settled >= count) {
      if (progress.failed > 0) throw new Error(`${progress.failed} of ${count} shares failed`);
      return {
        ms: (progress.lastSettle as number) - (progress.firstClaim as number),
        claimCommitMs: progress.claimCommitMs,
        settleCommitMs: progress.settleCommitMs,
        ...(await call<FetchTimes>(worker, FETCH_TIMES)),
      };
    }
    if (Date.now() > deadline)
      throw new Error(`only ${progress.settled} of ${count} shares settled in 10 min`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Queue ÷ plain fetch for `count` photo shares, both in the same worker against the same stand-in
 * (which adds `latencyMs` to every answer); pairs alternate their order.
 */
export async function measureQueueOverhead(
  harness: ChromiumHarness,
  standins: Standins,
  options: { count: number; pairs: number; latencyMs: number },
) {
  const photo = await linkBenchPage(harness, standins);
  standins.graph.latencyMs = options.latencyMs;
  const page = await extensionOriginPage(harness);
  const worker = await harness.serviceWorker();
  const queueMs: number[] = [];
  const plainMs: number[] = [];
  const ratios: number[] = [];
  const perShare: Record<string, number | null>[] = [];
  const plainFetches: FetchTimes[] = [];
  try {
    for (let pair = 0; pair < options.pairs; pair++) {
      const batch = String(10 + pair);
      const plainRequests = photoJobs(options.count, { ...photo, batch, state: "queued", createdAt: 0 }).map(
        (job) => ({ path: `/${photo.pageId}/photos`, url: photo.url, message: job.message }),
      );
      const runPlain = async () => {
        await call(worker, INSTRUMENT);
        const ms = await call<number>(worker, PLAIN_FETCHES, plainRequests, BENCH_PAGE.token);
        plainFetches.push(await call<FetchTimes>(worker, FETCH_TIMES));
        return ms;
      };
      const runOurs = () => runQueue(worker, page, photo, options.count, batch);
      let run: Awaited<ReturnType<typeof runOurs>>;
      let plain: number;
      if (pair % 2 === 0) {
        run = await runOurs();
        plain = await runPlain();
      } else {
        plain = await runPlain();
        run = await runOurs();
      }
      const { ms: ours, ...times } = run;
      perShare.push(times);
      queueMs.push(round(ours, 1));
      plainMs.push(round(plain, 1));
      ratios.push(ours / plain);
      console.log(
        `  pair ${pair + 1}/${options.pairs}: queue ${Math.round(ours)} ms, plain ${Math.round(plain)} ms`,
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
      latencyMs: options.latencyMs,
      ratioOfMedians: round(median(queueMs) / median(plainMs)),
      pairRatios: ratios.map((ratio) => round(ratio)),
      perShareOverheadMs: round((median(queueMs) - median(plainMs)) / options.count, 2),
      /** Medians per run, ms: durable claim/settle commits, POST answer time, answer → next POST. */
      queueMedians: perShare,
      plainMedians: plainFetches,
      queueMs,
      plainMs,
    },
  };
}

type Counts = { shared: number; other: number };

const COUNT_SHARED = `async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("alsoshare");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const count = (state) => new Promise((resolve, reject) => {
      const request = db.transaction("jobs").objectStore("jobs").index("by-state").count(state);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const shared = await count("shared");
    let other = 0;
    for (const state of ["queued", "sending", "failed", "needs-signin"]) other += await count(state);
    return { shared, other };
  } finally {
    db.close();
  }
}`;

/** The worker's JS heap after `count` photo shares went through the queue (fresh browser). */
export async function measureWorkerHeap(harness: ChromiumHarness, standins: Standins, count: number) {
  const photo = await linkBenchPage(harness, standins);
  const page = await extensionOriginPage(harness);
  const cdp = await workerCdp(harness.context, harness.extensionId);
  type HeapUsage = { usedSize: number; totalSize: number };
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return cdp.send<HeapUsage>("Runtime.getHeapUsage");
  };
  try {
    const before = await heap();
    await putJobs(page, photoJobs(count, { ...photo, batch: "20", state: "failed", createdAt: Date.now() }));
    const started = Date.now();
    await sendFromExtensionPage<number>(page, "jobs.retryFailed", {});
    for (;;) {
      const counts = await call<Counts>(page, COUNT_SHARED);
      if (counts.shared >= count && counts.other === 0) break;
      if (Date.now() - started > 15 * 60_000)
        throw new Error(`only ${counts.shared} of ${count} shared in 15 min`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const seconds = (Date.now() - started) / 1000;
    const after = await heap();
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 2);
    return {
      mb: mb(after.usedSize),
      details: {
        jobs: count,
        secondsToShareAll: round(seconds, 1),
        usedMbBefore: mb(before.usedSize),
        usedMbAfter: mb(after.usedSize),
        totalMbAfter: mb(after.totalSize),
      },
    };
  } finally {
    await cdp.close();
    await page.close();
  }
}
