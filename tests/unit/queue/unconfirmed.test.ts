import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { createHandlers } from "@/lib/handlers";
import type { PublishedPost } from "@/lib/instagram/post";
import { createRouter } from "@/lib/messages/router";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { graphOverHttp } from "../../support/graph-over-http";
import { OUR_IDENTITY, pageSender } from "../../support/senders";
import { quietQueue } from "../security/background";

const BOTH_CHOICES =
  "Facebook did not answer, and alsoshare cannot tell whether this video reached Acme Bakery. Check the Page: if it is there, choose “It's there”; if not, press Retry to post it.";

/** A plain feed video: it goes out in one call, so a lost answer can only be looked for by its text. */
function feedVideo(pk = "6100000000000000001"): PublishedPost {
  return {
    ...photoPost(pk, "Market day"),
    kind: "video",
    media: [{ type: "video", url: "https://scontent.cdninstagram.com/v/t50.2886-16/market.mp4" }],
  };
}

/** The real queue, handlers and router over the Graph stand-in, on a clock the test moves. */
async function background() {
  const clock = { now: 1_000_000 };
  const facebook = await graphOverHttp(clock);
  facebook.graph.addPage({ id: "1001", name: "Acme Bakery", token: PAGE_TOKEN });
  const { queue } = quietQueue(facebook.client, { now: () => clock.now });
  const route = createRouter(
    createHandlers({
      graph: facebook.client,
      queue,
      now: () => clock.now,
      onJobChanged: () => undefined,
      onAccountsChanged: () => undefined,
      onSettingsChanged: () => undefined,
      onDataReplaced: () => undefined,
    }),
    OUR_IDENTITY,
  );
  /** Runs the queue whenever the job is due, as its alarm would, until it settles. */
  const runUntilSettled = async (id: string) => {
    for (let round = 0; round < 12; round++) {
      await queue.kick();
      const job = await getJob(id);
      if (job?.state !== "queued") return job;
      clock.now = Math.max(clock.now, job.nextAttemptAt);
    }
    return getJob(id);
  };
  const videosPosted = () => facebook.graph.posts.filter((post) => post.kind === "video").length;
  return { clock, graph: facebook.graph, queue, route, runUntilSettled, videosPosted };
}

describe("a share whose outcome cannot be confirmed waits for the user", () => {
  it("a video Facebook made but lists only after every look is not posted again: the job names both choices", async () => {
    const page = await linkPage();
    const { clock, graph, runUntilSettled, videosPosted } = await background();
    const video = feedVideo();
    // Facebook makes the video, answers 500, and lists it half an hour later.
    graph.inject({ method: "POST", path: /\/1001\/videos$/, status: 500, afterCommit: true });
    graph.listingDelayMs = 30 * 60_000;
    await addJobsOnce([jobFor(video, page, clock.now)]);

    const job = await runUntilSettled(`${video.pk}:1001`);

    expect(videosPosted()).toBe(1);
    expect(job).toMatchObject({ state: "failed", lastError: { kind: "unconfirmed", message: BOTH_CHOICES } });
  });

  it("“It's there” marks it Shared without a link, as checked by the user, and nothing more is sent", async () => {
    const page = await linkPage();
    const { clock, graph, route, runUntilSettled, videosPosted } = await background();
    const video = feedVideo();
    graph.inject({ method: "POST", path: /\/1001\/videos$/, status: 500, afterCommit: true });
    graph.listingDelayMs = 30 * 60_000;
    await addJobsOnce([jobFor(video, page, clock.now)]);
    await runUntilSettled(`${video.pk}:1001`);
    const sent = graph.requests.length;

    const reply = await route(
      { type: "jobs.confirmShared", payload: { id: `${video.pk}:1001` } },
      pageSender("popup.html"),
    );

    expect(reply).toMatchObject({ ok: true, data: { state: "shared", checkedByUser: true } });
    expect(reply.ok && reply.data).not.toHaveProperty("postUrl", expect.anything());
    expect(await getJob(`${video.pk}:1001`)).toMatchObject({ state: "shared", checkedByUser: true });
    expect((await getJob(`${video.pk}:1001`))?.result).toBeUndefined();
    expect(graph.requests.length).toBe(sent);
    expect(videosPosted()).toBe(1);
  });

  it("Retry, the other choice, posts the video once when it never reached the Page", async () => {
    const page = await linkPage();
    const { clock, graph, queue, route, runUntilSettled, videosPosted } = await background();
    const video = feedVideo();
    // This time the 500 came before Facebook made anything.
    graph.inject({ method: "POST", path: /\/1001\/videos$/, status: 500 });
    await addJobsOnce([jobFor(video, page, clock.now)]);
    expect((await runUntilSettled(`${video.pk}:1001`))?.lastError?.kind).toBe("unconfirmed");
    expect(videosPosted()).toBe(0);

    await route({ type: "jobs.retry", payload: { id: `${video.pk}:1001` } }, pageSender("popup.html"));
    await queue.kick();

    expect(await getJob(`${video.pk}:1001`)).toMatchObject({ state: "shared" });
    expect(videosPosted()).toBe(1);
  });

  it("“It's there” is refused for a share that failed for a known reason, which stays failed", async () => {
    const page = await linkPage();
    const { clock, graph, route, runUntilSettled } = await background();
    const video = feedVideo();
    graph.inject({ method: "POST", path: /\/1001\/videos$/, error: { code: 100 } });
    await addJobsOnce([jobFor(video, page, clock.now)]);
    await runUntilSettled(`${video.pk}:1001`);

    const reply = await route(
      { type: "jobs.confirmShared", payload: { id: `${video.pk}:1001` } },
      pageSender("options.html"),
    );

    expect(reply).toMatchObject({ ok: false, error: { code: "not-found" } });
    expect(await getJob(`${video.pk}:1001`)).toMatchObject({
      state: "failed",
      lastError: { kind: "invalid" },
    });
  });
});
