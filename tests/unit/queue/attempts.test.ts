import { describe, expect, it, vi } from "vitest";
import { getAccount, putAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob, updateJob } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import { MAX_ATTEMPTS } from "@/lib/queue/backoff";
import { transition } from "@/lib/queue/lifecycle";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { quietQueue } from "../security/background";

let clock = 1_000_000;

/** An unpublished photo upload: invisible on the Page; these tests are about the calls after it. */
const isUpload = (request: GraphRequest) =>
  request.path.endsWith("/photos") && request.params?.published === false;

function worker(graph: GraphClient, owner: string) {
  return quietQueue(graph, { owner, now: () => clock }).queue;
}

describe("attempts end", () => {
  it("a share whose request kills the worker every time ends Failed, looked for first on Retry", async () => {
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, clock)]);
    const publishing: GraphRequest[] = [];
    // Facebook lists nothing, and every publishing request takes the worker down before it answers.
    const graph: GraphClient = {
      call: (request) => {
        if (isUpload(request)) return Promise.resolve({ id: "71" });
        if (request.method === "GET") return Promise.resolve({ data: [] });
        publishing.push(request);
        return new Promise(() => undefined);
      },
    };

    // Each round a new worker starts (the one before never comes back) and runs what is due.
    for (let round = 0; round < 20 * MAX_ATTEMPTS; round++) {
      const owner = `worker-${round}`;
      let done = false;
      void worker(graph, owner)
        .kick()
        .finally(() => {
          done = true;
        });
      // This worker is through its run, or stuck on the request that never answers.
      await waitUntil(async () => {
        const now = await getJob(`${post.pk}:1001`);
        return done || now?.state === "failed" || (now?.state === "sending" && now.lease?.owner === owner);
      });
      const job = await getJob(`${post.pk}:1001`);
      if (job?.state === "failed") break;
      clock = Math.max(clock + 1, job?.state === "queued" ? job.nextAttemptAt : clock);
    }

    const job = await getJob(`${post.pk}:1001`);
    expect(job).toMatchObject({ state: "failed", needsReconcile: true, lastError: { kind: "interrupted" } });
    expect(publishing).toHaveLength(MAX_ATTEMPTS);
  });

  it("a dead sign-in answered for a token the user has just replaced does not pause the new one", async () => {
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, clock)]);
    const FRESH = "EAAFreshTokenLinkedMeanwhile42";
    let posts = 0;
    const graph: GraphClient = {
      async call(request) {
        if (isUpload(request)) return { id: "71" };
        if (request.method === "GET") return { data: [] };
        posts += 1;
        if (posts === 1) {
          // While this request is out, the user links the Page again with a new token.
          await putAccount({ ...page, token: FRESH, status: "ok" });
          throw new GraphError("auth", "Error validating access token.", { code: 190, status: 400 });
        }
        return { id: "1001_1" };
      },
    };

    await worker(graph, "worker-1").kick();

    expect(await getAccount(page.id)).toMatchObject({ token: FRESH, status: "ok" });
    const job = (await getJob(`${post.pk}:1001`)) as JobRecord;
    expect(job.state).toBe("queued");
    clock = job.nextAttemptAt;
    await worker(graph, "worker-1").kick();
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared" });
    expect(posts).toBe(2);
  });

  it("a dead sign-in for the token still stored pauses the account and its shares", async () => {
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost(), page, clock), jobFor(photoPost("2718281828"), page, clock)]);
    const graph: GraphClient = {
      call: () =>
        Promise.reject(new GraphError("auth", "Error validating access token.", { code: 190, status: 400 })),
    };

    await worker(graph, "worker-1").kick();

    expect(await getAccount(page.id)).toMatchObject({ token: PAGE_TOKEN, status: "needs-signin" });
    expect((await getJob(`${photoPost().pk}:1001`))?.state).toBe("needs-signin");
    expect((await getJob("2718281828:1001"))?.state).toBe("needs-signin");
  });
});

async function waitUntil(check: () => Promise<boolean>) {
  for (let tries = 0; tries < 2_000; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("the condition never came true");
}

describe("the queue never stops for good", () => {
  it("when storage refuses the result mid-run, a wake-up is still set, and the share is then found, not posted twice", async () => {
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, clock)]);
    let posted = 0;
    const graph: GraphClient = {
      async call(request) {
        if (isUpload(request)) return { id: "71" };
        if (request.method === "GET") {
          const data = posted
            ? [{ id: "1001_1", message: post.caption, created_time: new Date(clock).toISOString() }]
            : [];
          return { data };
        }
        posted += 1;
        return { id: "1001_1" };
      },
    };
    const wakes: (number | undefined)[] = [];
    const { queue } = quietQueue(graph, {
      owner: "worker-1",
      now: () => clock,
      scheduleWake: (at) => wakes.push(at),
    });
    // The claim is written; then the disk fills while the POST is in flight.
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    const spy = vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      puts += 1;
      if (puts > 1) throw new DOMException("The disk is full.", "QuotaExceededError");
      return put.apply(this, args);
    });

    await expect(queue.kick()).rejects.toThrow();
    spy.mockRestore();

    const wake = wakes.at(-1);
    expect(wake).toBeGreaterThan(clock);
    clock = wake as number;
    await queue.kick();
    expect(posted).toBe(1);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", result: { postId: "1001_1" } });
  });
});

describe("rate limits", () => {
  const limited = (code: number, retryAfterMs: number) =>
    new GraphError("rate-limit", "Application request limit reached", { code, status: 400, retryAfterMs });

  function recordingGraph(answer: (request: GraphRequest) => unknown) {
    const publishing: GraphRequest[] = [];
    const client: GraphClient = {
      async call(request) {
        if (isUpload(request)) return { id: "71" };
        if (request.method === "GET") return { data: [] };
        publishing.push(request);
        return answer(request);
      },
    };
    return { client, publishing };
  }

  it("an app-wide limit (code 4) holds back every Page's shares, not only the one that hit it", async () => {
    const bakery = await linkPage();
    const cafe = await linkPage({ id: "1002", name: "Acme Café" });
    await addJobsOnce([jobFor(photoPost("11"), bakery, clock), jobFor(photoPost("12"), cafe, clock)]);
    const graph = recordingGraph(() => {
      throw limited(4, 10 * 60_000);
    });

    await worker(graph.client, "worker-1").kick();

    expect(graph.publishing).toHaveLength(1);
    expect((await getJob("12:1002"))?.nextAttemptAt).toBeGreaterThanOrEqual(clock + 10 * 60_000);
  });

  it("a Page limit (code 32) holds back only that Page", async () => {
    const bakery = await linkPage();
    const cafe = await linkPage({ id: "1002", name: "Acme Café" });
    await addJobsOnce([jobFor(photoPost("21"), bakery, clock), jobFor(photoPost("22"), cafe, clock)]);
    const graph = recordingGraph((request) => {
      if (request.path.startsWith("/1001/")) throw limited(32, 10 * 60_000);
      return { id: "1002_1" };
    });

    await worker(graph.client, "worker-1").kick();

    expect(graph.publishing.map((request) => request.path)).toEqual(["/1001/feed", "/1002/feed"]);
    expect((await getJob("22:1002"))?.state).toBe("shared");
  });

  it("a Retry-After of a month waits an hour at most", async () => {
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost("31"), page, clock)]);
    const graph = recordingGraph(() => {
      throw limited(32, 30 * 24 * 60 * 60_000);
    });

    await worker(graph.client, "worker-1").kick();

    const job = await getJob("31:1001");
    expect(job?.state).toBe("queued");
    expect(job?.nextAttemptAt).toBeLessThanOrEqual(clock + 60 * 60_000);
  });

  it("a share limited again and again ends Failed and says why, instead of waiting for ever", async () => {
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost("41"), page, clock)]);
    const graph = recordingGraph(() => {
      throw limited(32, 60_000);
    });
    const queue = worker(graph.client, "worker-1");

    for (let round = 0; round < MAX_ATTEMPTS + 2; round++) {
      await queue.kick();
      clock += 60 * 60_000;
    }

    expect(graph.publishing).toHaveLength(MAX_ATTEMPTS);
    expect(await getJob("41:1001")).toMatchObject({
      state: "failed",
      lastError: { message: expect.stringMatching(/^Facebook kept asking to slow down .*Press Retry later/) },
    });
  });
});

describe("stopping what is not sent yet", () => {
  it("a share cancelled while the one before it is being sent is never sent", async () => {
    const page = await linkPage();
    await addJobsOnce([jobFor(photoPost("51"), page, clock), jobFor(photoPost("52"), page, clock)]);
    let release: () => void = () => undefined;
    const publishing: string[] = [];
    const graph: GraphClient = {
      async call(request) {
        if (isUpload(request)) return { id: "71" };
        if (request.method === "GET") return { data: [] };
        publishing.push(String(request.params?.url));
        if (publishing.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return { id: `1001_${publishing.length}` };
      },
    };
    const running = worker(graph, "worker-1").kick();
    await waitUntil(async () => publishing.length === 1);

    const cancelled = await updateJob("52:1001", (job) => transition(job, { type: "cancel-asked" }, clock));
    release();
    await running;

    expect(cancelled?.state).toBe("cancelled");
    expect(publishing).toHaveLength(1);
    expect((await getJob("52:1001"))?.state).toBe("cancelled");
  });
});
