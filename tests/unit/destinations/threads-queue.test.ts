import { describe, expect, it, onTestFinished } from "vitest";
import { putAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { AccountRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import { createJob } from "@/lib/queue/lifecycle";
import { THREADS_ORIGIN } from "@/lib/threads/client";
import { createThreadsDestination } from "@/lib/threads/destination";
import { queueOver } from "../../support/destination-world";
import { photoPost } from "../../support/fixtures";
import { createThreadsStandin, serveThreadsStandin } from "../../support/threads-standin";

const USER_ID = "17841400123456789";

/** The real queue and storage, with Threads' stand-in behind the real Threads destination. */
async function threadsThroughTheQueue(options: { resendPublish?: boolean } = {}) {
  let clock = Date.UTC(2026, 8, 1, 9, 0);
  const threads = createThreadsStandin({ now: () => clock });
  const served = await serveThreadsStandin(threads);
  onTestFinished(() => served.close());
  threads.addUser({ id: USER_ID, username: "acme.bakery", name: "Acme Bakery" });
  const account: AccountRecord = {
    id: accountIdFor("threads", USER_ID),
    kind: "threads",
    name: "Acme Bakery",
    token: threads.signIn(USER_ID),
    tokenExpiresAt: clock + 50 * 24 * 60 * 60_000,
    status: "ok",
    linkedAt: clock,
    home: { origin: THREADS_ORIGIN, userId: USER_ID, handle: "@acme.bakery" },
  };
  await putAccount(account);
  const queue = queueOver(
    {
      threads: createThreadsDestination({
        fetch: options.resendPublish ? resendingPublish(served.fetch) : served.fetch,
        sleep: async (ms) => {
          clock += ms;
        },
      }),
    },
    () => clock,
  );
  return {
    threads,
    queue,
    account,
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

/**
 * What a browser does when a reused connection drops before the answer: it sends the request
 * again by itself. Here the first publish lands, its answer is lost, and the second one is answered.
 */
function resendingPublish(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/threads_publish")) await fetchImpl(input, init);
    return fetchImpl(input, init);
  };
}

describe("Threads through the real queue", () => {
  it("a publish the browser sent twice is one post, shared with its link, not a refusal", async () => {
    const world = await threadsThroughTheQueue({ resendPublish: true });
    const job = createJob(photoPost("43"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();

    const [made] = world.threads.posts();
    expect(world.threads.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared", result: { url: made?.permalink } });
  });

  it("shares a photo once, with the post's link", async () => {
    const world = await threadsThroughTheQueue();
    const job = createJob(photoPost("41"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();

    const [made] = world.threads.posts();
    expect(world.threads.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared", result: { url: made?.permalink } });
  });

  it("a lost answer to the publish is found by its stored container: never a second post", async () => {
    const world = await threadsThroughTheQueue();
    world.threads.inject({ method: "POST", path: /\/me\/threads_publish$/, dropAfterCommit: true });
    const job = createJob(photoPost("42"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();
    expect(await getJob(job.id)).toMatchObject({ state: "queued", needsReconcile: true });
    world.advance(60_000);
    await world.queue.kick();

    expect(world.threads.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared" });
  });
});
