import { describe, expect, it } from "vitest";
import { getAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob, updateJobs } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { facebookDestinations } from "@/lib/facebook/destinations";
import { GraphError } from "@/lib/facebook/errors";
import { LOOK_AGAIN_MS } from "@/lib/queue/backoff";
import { createJob, transition } from "@/lib/queue/lifecycle";
import { createQueue } from "@/lib/queue/queue";
import { jobFor, linkPage, PAGE_TOKEN, photoPost, scriptedGraph } from "../../support/fixtures";

function setup(script: unknown[] = [], owner = "worker-1") {
  const graph = scriptedGraph(script);
  let clock = 1_000_000;
  const changes: JobRecord[] = [];
  const wakes: (number | undefined)[] = [];
  const queue = createQueue({
    destinations: facebookDestinations({
      graph: graph.client,
      download: () => Promise.reject(new Error("no downloads in these tests")),
      openTab: () => Promise.reject(new Error("no tabs in these tests")),
      appId: async () => undefined,
    }),
    isOnline: () => true,
    now: () => clock,
    random: () => 0.5,
    owner,
    onJobChanged: (job) => changes.push(job),
    onAccountsChanged: () => undefined,
    scheduleWake: (at) => wakes.push(at),
  });
  return {
    graph,
    queue,
    changes,
    wakes,
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

describe("the share queue", () => {
  it("posts a queued photo to the Page once: uploaded by URL, unpublished, then one feed post with it", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, changes } = setup();
    await addJobsOnce([jobFor(post, page, 1_000_000)]);

    await queue.kick();

    expect(graph.posts()).toHaveLength(1);
    expect(graph.calls[0]).toMatchObject({
      method: "POST",
      path: "/1001/photos",
      token: PAGE_TOKEN,
      params: { url: post.media[0]?.url, published: false },
    });
    expect(graph.calls[1]).toMatchObject({
      method: "POST",
      path: "/1001/feed",
      token: PAGE_TOKEN,
      params: { message: post.caption, attached_media: JSON.stringify([{ media_fbid: "81" }]) },
    });
    const job = await getJob(`${post.pk}:1001`);
    expect(job).toMatchObject({
      state: "shared",
      result: { postId: "1001_1", url: "https://www.facebook.com/1001_1" },
    });
    expect(changes.map((change) => change.state)).toEqual(["sending", "shared"]);
  });

  it("treats a second request for the same post and Page as a no-op", async () => {
    const page = await linkPage();
    const post = photoPost();
    const first = await addJobsOnce([jobFor(post, page)]);
    const second = await addJobsOnce([{ ...jobFor(post, page), message: "changed" }]);
    expect(first.added).toHaveLength(1);
    expect(second).toEqual({ added: [], existing: [`${post.pk}:1001`] });
    expect((await getJob(`${post.pk}:1001`))?.message).toBe(post.caption);
  });

  it("retries a 5xx only after looking for the post on the Page, again and again as Facebook lists late", async () => {
    const page = await linkPage();
    const post = photoPost();
    const failure = new GraphError("transient", "An unexpected error has occurred.", {
      code: 2,
      outcomeUnknown: true,
    });
    const { graph, queue, advance, wakes, now } = setup([failure]);
    await addJobsOnce([jobFor(post, page, now())]);

    await queue.kick();
    const waiting = await getJob(`${post.pk}:1001`);
    expect(waiting).toMatchObject({ state: "queued", needsReconcile: true, attempts: 1 });
    expect(waiting?.nextAttemptAt).toBeGreaterThan(now());
    expect(wakes.at(-1)).toBe(waiting?.nextAttemptAt);

    await queue.kick(); // not due yet: nothing is sent
    expect(graph.sent()).toHaveLength(1);

    // Each look that finds nothing waits longer for the next; only then is the photo sent again.
    const started = now();
    for (let look = 0; look <= LOOK_AGAIN_MS.length; look++) {
      advance(Math.max(0, ((await getJob(`${post.pk}:1001`))?.nextAttemptAt ?? 0) - now()));
      await queue.kick();
    }
    expect(graph.sent().map((call) => call.path)).toEqual([
      "/1001/feed",
      ...Array(LOOK_AGAIN_MS.length + 1).fill("/1001/published_posts"),
      "/1001/feed",
    ]);
    expect(now() - started).toBeGreaterThanOrEqual(LOOK_AGAIN_MS.reduce((sum, ms) => sum + ms, 0));
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", attempts: 2 });
  });

  it("finds the post a dead worker made instead of posting it twice", async () => {
    const page = await linkPage();
    const post = photoPost();
    const job = jobFor(post, page, 1_000_000);
    // A worker claimed the job and died with the POST in flight.
    await addJobsOnce([
      {
        ...job,
        state: "sending",
        attempts: 1,
        lease: { owner: "dead-worker", until: 9e15, sentAt: 1_000_000 },
      },
    ]);
    const { graph, queue, advance } = setup([
      { data: [{ id: "1001_77", message: post.caption, created_time: "2026-11-21T10:00:00+0000" }] },
    ]);

    // Facebook may still be working on that POST: the Page is not searched yet.
    await queue.kick();
    expect(graph.sent()).toHaveLength(0);
    expect(await getJob(job.id)).toMatchObject({ state: "queued", needsReconcile: true });

    advance(20_000);
    await queue.kick();

    expect(graph.posts()).toHaveLength(0);
    expect(await getJob(job.id)).toMatchObject({ state: "shared", result: { postId: "1001_77" } });
  });

  it("pauses the account and all its jobs when Facebook rejects the token", async () => {
    const page = await linkPage();
    const first = photoPost("111");
    const second = photoPost("222");
    const expired = new GraphError("auth", "Error validating access token: Session has expired", {
      code: 190,
      subcode: 463,
    });
    const { graph, queue } = setup([expired]);
    await addJobsOnce([jobFor(first, page, 1), jobFor(second, page, 2)]);

    await queue.kick();

    expect(graph.sent()).toHaveLength(1);
    expect((await getAccount("1001"))?.status).toBe("needs-signin");
    expect((await getJob("111:1001"))?.state).toBe("needs-signin");
    expect((await getJob("222:1001"))?.state).toBe("needs-signin");
    expect((await getJob("111:1001"))?.lastError?.message).toMatch(/sign in again/);
  });

  it("waits as long as Facebook's rate limit says, for every job of that Page", async () => {
    const page = await linkPage();
    const limited = new GraphError("rate-limit", "Application request limit reached", {
      code: 4,
      retryAfterMs: 600_000,
    });
    const { graph, queue, now } = setup([limited]);
    await addJobsOnce([jobFor(photoPost("111"), page, now()), jobFor(photoPost("222"), page, now() + 1)]);

    await queue.kick();

    expect(graph.sent()).toHaveLength(1);
    expect((await getJob("111:1001"))?.nextAttemptAt).toBe(now() + 600_000);
    expect((await getJob("222:1001"))?.nextAttemptAt).toBeGreaterThanOrEqual(now() + 600_000);
  });

  it("puts back a job claimed ahead when the one before it hits the Page's rate limit", async () => {
    const page = await linkPage();
    const other = await linkPage({ id: "2002", name: "Acme Café", token: "EAAGothertoken0123456789" });
    const limited = new GraphError("rate-limit", "(#32) Page request limit reached", {
      code: 32,
      retryAfterMs: 600_000,
    });
    const { graph, queue, now } = setup([limited]);
    // All due, in this order.
    await addJobsOnce([
      jobFor(photoPost("111"), page, now() - 2),
      jobFor(photoPost("222"), page, now() - 1),
      jobFor(photoPost("333"), other, now()),
    ]);

    await queue.kick();
    await queue.kick();

    // 111 was limited; 222 (same Page) was never sent and lost no attempt; the other Page went on.
    expect(graph.sent().map((call) => call.path)).toEqual(["/1001/feed", "/2002/feed"]);
    expect(await getJob("222:1001")).toMatchObject({ state: "queued", attempts: 0 });
    expect((await getJob("222:1001"))?.nextAttemptAt).toBeGreaterThanOrEqual(now() + 600_000);
  });

  it("fails with Facebook's own words on an invalid request, and does not retry", async () => {
    const page = await linkPage();
    const invalid = new GraphError("invalid", "(#100) Invalid parameter", {
      code: 100,
      userMessage: "The photo is too large.",
    });
    const { graph, queue } = setup([invalid]);
    await addJobsOnce([jobFor(photoPost(), page)]);

    await queue.kick();
    await queue.kick();

    expect(graph.sent()).toHaveLength(1);
    const job = await getJob(`${photoPost().pk}:1001`);
    expect(job).toMatchObject({
      state: "failed",
      lastError: { message: "Facebook refused this post: The photo is too large." },
    });
  });

  it("does not claim again a job this worker is already sending", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, now } = setup([], "worker-1");
    // This worker's own request for the job is still in flight (its lease holds).
    await addJobsOnce([
      {
        ...jobFor(post, page),
        state: "sending",
        attempts: 1,
        lease: { owner: "worker-1", until: now() + 60_000, sentAt: now() },
      },
    ]);
    await queue.kick();
    expect(graph.sent()).toHaveLength(0);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "sending", attempts: 1 });
  });

  it("takes back a job an older version left sending, looks for it by its text, and asks the user rather than post it again", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, advance, now } = setup([], "worker-2");
    // Only one background runs at a time: a lease of another owner is from a worker that is gone,
    // even one that has not expired. An older version stored no ids, so only its text can be looked for.
    await addJobsOnce([
      {
        ...jobFor(post, page, now()),
        state: "sending",
        attempts: 1,
        lease: { owner: "worker-1", until: now() + 60_000, sentAt: now() },
      },
    ]);

    // Looked for as often as Facebook's late listings call for; a post with its text never shows.
    await queue.kick();
    for (let look = 0; look <= LOOK_AGAIN_MS.length; look++) {
      advance(Math.max(0, ((await getJob(`${post.pk}:1001`))?.nextAttemptAt ?? 0) - now()));
      await queue.kick();
    }

    expect(graph.sent().map((call) => `${call.method} ${call.path}`)).toEqual(
      Array(LOOK_AGAIN_MS.length + 1).fill("GET /1001/published_posts"),
    );
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({
      state: "failed",
      lastError: {
        kind: "unconfirmed",
        message:
          "Facebook did not answer, and alsoshare cannot tell whether this post reached Acme Bakery. Check the Page: if it is there, choose “It's there”; if not, press Retry to post it.",
      },
    });
  });
});

describe("the first comment", () => {
  const COMMENT = "#sourdough #bakery";
  const lost = () =>
    new GraphError("transient", "An unexpected error has occurred.", { code: 2, outcomeUnknown: true });

  it("is made once on the new post, by the same job, which is shared only then", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue } = setup([{ id: "1001_1" }, { id: "1_501" }]);
    await addJobsOnce([jobFor(post, page, 1_000_000, post.caption, COMMENT)]);

    await queue.kick();

    expect(graph.posts().map((call) => [call.path, call.params?.message])).toEqual([
      ["/1001/feed", post.caption],
      ["/1001_1/comments", COMMENT],
    ]);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({
      state: "shared",
      result: { postId: "1001_1" },
      comment: { message: COMMENT, id: "1_501" },
    });
  });

  it("never sends the post again when only the comment's answer was lost, and finds the comment it made", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, advance } = setup([
      { id: "1001_1" },
      lost(),
      { data: [{ id: "1_501", message: COMMENT, from: { id: "1001" } }] },
    ]);
    await addJobsOnce([jobFor(post, page, 1_000_000, post.caption, COMMENT)]);

    await queue.kick();
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({
      state: "queued",
      needsReconcile: true,
      result: { postId: "1001_1" },
    });
    advance(((await getJob(`${post.pk}:1001`))?.nextAttemptAt ?? 0) - 1_000_000);
    await queue.kick();

    expect(graph.sent().map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /1001/feed",
      "POST /1001_1/comments",
      "GET /1001_1/comments",
    ]);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({
      state: "shared",
      comment: { id: "1_501" },
    });
  });

  it("takes over after a worker died between the post and the comment: the post once, the comment once", async () => {
    const page = await linkPage();
    const post = photoPost();
    const job = jobFor(post, page, 1_000_000, post.caption, COMMENT);
    // The post was made and stored; the worker died before the comment's answer came.
    await addJobsOnce([
      {
        ...job,
        state: "sending",
        attempts: 0,
        result: { postId: "1001_9", url: "https://www.facebook.com/1001_9" },
        lease: { owner: "dead-worker", until: 9e15, sentAt: 1_000_000 },
      },
    ]);
    const { graph, queue, advance, now } = setup();
    await queue.kick();
    for (let look = 0; look <= LOOK_AGAIN_MS.length; look++) {
      advance(Math.max(0, ((await getJob(job.id))?.nextAttemptAt ?? 0) - now()));
      await queue.kick();
    }

    // Not listed at any look: only then is the comment made, and the post is never sent.
    expect(graph.posts().map((call) => call.path)).toEqual(["/1001_9/comments"]);
    expect(graph.sent().filter((call) => call.method === "GET")).toHaveLength(LOOK_AGAIN_MS.length + 1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared", result: { postId: "1001_9" } });
  });

  it("keeps the post and its link when Facebook refuses the comment, and Retry adds only the comment", async () => {
    const page = await linkPage();
    const post = photoPost();
    const refusal = new GraphError("invalid", "(#100) Invalid parameter", { code: 100, status: 400 });
    const { graph, queue } = setup([{ id: "1001_1" }, refusal, { id: "1_502" }]);
    await addJobsOnce([jobFor(post, page, 1_000_000, post.caption, COMMENT)]);

    await queue.kick();
    const failed = await getJob(`${post.pk}:1001`);
    expect(failed).toMatchObject({ state: "failed", result: { url: "https://www.facebook.com/1001_1" } });
    expect(failed?.lastError?.message).toMatch(
      /^The post is on Acme Bakery, but its first comment was not added/,
    );

    await updateJobs(["failed"], (job) => transition(job, { type: "retry-asked" }, 1_000_000));
    await queue.kick();
    expect(graph.posts().map((call) => call.path)).toEqual([
      "/1001/feed",
      "/1001_1/comments",
      "/1001_1/comments",
    ]);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", comment: { id: "1_502" } });
  });

  it("asks the user when Facebook hides comment ids, rather than comment twice", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, advance } = setup([
      { id: "1001_1" },
      lost(),
      { data: [{ message: COMMENT, from: { id: "1001" } }] },
    ]);
    await addJobsOnce([jobFor(post, page, 1_000_000, post.caption, COMMENT)]);
    await queue.kick();
    advance(((await getJob(`${post.pk}:1001`))?.nextAttemptAt ?? 0) - 1_000_000);
    await queue.kick();

    expect(graph.posts()).toHaveLength(2);
    const asked = await getJob(`${post.pk}:1001`);
    expect(asked).toMatchObject({ state: "failed", lastError: { kind: "unconfirmed" } });
    // "It's there": shared, with the post's link kept.
    const confirmed = transition(asked as JobRecord, { type: "confirmed-by-user" }, 2_000_000);
    expect(confirmed).toMatchObject({ state: "shared", result: { postId: "1001_1" } });
  });

  it("is not made for a story, which has no comments", async () => {
    const page = await linkPage();
    const job = jobFor({ ...photoPost(), kind: "story" }, page, 0, "", COMMENT);
    expect(job.comment).toBeUndefined();
    expect(jobFor(photoPost(), page, 0, "", COMMENT).comment).toEqual({ message: COMMENT });
  });
});

describe("a share for later", () => {
  const HOUR = 60 * 60_000;

  it("goes to Facebook at once as a scheduled post, which Facebook publishes at its time", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, now } = setup();
    const publishAt = now() + 2 * HOUR;
    await addJobsOnce([createJob(post, page, post.caption, now(), { publishAt })]);

    await queue.kick();

    expect(graph.posts()[0]).toMatchObject({
      path: "/1001/feed",
      params: { published: false, scheduled_publish_time: Math.floor(publishAt / 1000) },
    });
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", publishAt });
  });

  it("is held here when its time is too near for Facebook to schedule it, and goes at that time", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, now, advance } = setup();
    const publishAt = now() + 5 * 60_000;
    await addJobsOnce([createJob(post, page, post.caption, now(), { publishAt })]);

    await queue.kick();
    expect(graph.sent()).toHaveLength(0);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({
      state: "queued",
      nextAttemptAt: publishAt,
      attempts: 0,
    });

    advance(5 * 60_000);
    await queue.kick();
    expect(graph.posts()).toHaveLength(1);
    expect(graph.posts()[0]?.params).not.toHaveProperty("scheduled_publish_time");
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared" });
  });

  it("makes its first comment only once Facebook has published it", async () => {
    const page = await linkPage();
    const post = photoPost();
    const { graph, queue, now, advance } = setup();
    const publishAt = now() + HOUR;
    await addJobsOnce([createJob(post, page, post.caption, now(), { publishAt, comment: "#bakery" })]);

    await queue.kick();
    expect(graph.posts().map((call) => call.path)).toEqual(["/1001/feed"]);
    const waiting = await getJob(`${post.pk}:1001`);
    expect(waiting).toMatchObject({ state: "queued", result: { postId: "1001_1" } });
    expect(waiting?.nextAttemptAt).toBeGreaterThan(publishAt);

    advance((waiting?.nextAttemptAt ?? 0) - now());
    await queue.kick();
    expect(graph.posts().map((call) => call.path)).toEqual(["/1001/feed", "/1001_1/comments"]);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", comment: { id: "1_502" } });
  });

  it("finds its scheduled post among the Page's scheduled ones when the answer was lost", async () => {
    const page = await linkPage();
    const post = photoPost();
    const lost = new GraphError("transient", "An unexpected error has occurred.", {
      code: 2,
      outcomeUnknown: true,
    });
    const { graph, queue, now, advance } = setup([
      lost,
      (request: { path: string }) =>
        request.path.endsWith("/scheduled_posts")
          ? { data: [{ id: "1001_55", attachments: { data: [{ target: { id: "81" } }] } }] }
          : { data: [] },
    ]);
    await addJobsOnce([createJob(post, page, post.caption, now(), { publishAt: now() + 3 * HOUR })]);

    await queue.kick();
    advance(((await getJob(`${post.pk}:1001`))?.nextAttemptAt ?? 0) - now());
    await queue.kick();

    expect(graph.posts().map((call) => call.path)).toEqual(["/1001/feed"]);
    expect(graph.sent().at(-1)?.path).toBe("/1001/scheduled_posts");
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", result: { postId: "1001_55" } });
  });
});
