import { describe, expect, it } from "vitest";
import { getAccount, putAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import { MAX_ATTEMPTS, UNANSWERED_WAIT_MS } from "@/lib/queue/backoff";
import { createQueue } from "@/lib/queue/queue";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";

let clock = 1_000_000;

function worker(graph: GraphClient, owner: string) {
  return createQueue({
    graph,
    download: () => Promise.reject(new Error("no downloads in these tests")),
    openTab: () => Promise.reject(new Error("no tabs in these tests")),
    appId: async () => undefined,
    isOnline: () => true,
    now: () => clock,
    random: () => 0.5,
    owner,
    onJobChanged: () => undefined,
    onAccountsChanged: () => undefined,
    scheduleWake: () => undefined,
  });
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
        if (request.method === "GET") return Promise.resolve({ data: [] });
        publishing.push(request);
        return new Promise(() => undefined);
      },
    };

    for (let restart = 0; restart <= MAX_ATTEMPTS; restart++) {
      // A new worker after each stop; the one before never comes back.
      const owner = `worker-${restart}`;
      void worker(graph, owner).kick();
      await waitUntil(async () => {
        const job = await getJob(`${post.pk}:1001`);
        return job?.state === "failed" || job?.lease?.owner === owner;
      });
      clock += UNANSWERED_WAIT_MS + 1;
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
        if (request.method === "GET") return { data: [] };
        posts += 1;
        if (posts === 1) {
          // While this request is out, the user links the Page again with a new token.
          await putAccount({ ...page, token: FRESH, status: "ok" });
          throw new GraphError("auth", "Error validating access token.", { code: 190, status: 400 });
        }
        return { id: "91", post_id: "1001_1" };
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
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("the condition never came true");
}
