import { describe, expect, it } from "vitest";
import { ShareError } from "@/lib/destinations/errors";
import { ThreadsError } from "@/lib/threads/errors";
import { image, post, threadsWorld, video } from "./world";

const PUBLISH = /\/me\/threads_publish$/;
const CONTAINERS = /\/me\/threads$/;
const DAY = 24 * 60 * 60_000;

function failure(step: Awaited<ReturnType<Awaited<ReturnType<typeof threadsWorld>>["step"]>>) {
  if (!("error" in step)) throw new Error(`expected a failure, got ${JSON.stringify(step)}`);
  return step.error;
}

describe("Threads on a bad day", () => {
  it("finds the post a lost answer made, by its container, and never publishes it again", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: PUBLISH, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    const lost = failure(await world.step(job));
    expect(lost).toMatchObject({ kind: "transient", details: { outcomeUnknown: true, networkError: true } });
    expect(world.threads.posts()).toHaveLength(1);

    const found = await world.step(job);
    const [made] = world.threads.posts();
    expect(found).toEqual({
      by: "findEarlier",
      outcome: { type: "posted", result: { postId: made?.id, url: made?.permalink } },
    });
    expect(world.threads.posts()).toHaveLength(1);
    expect(world.calls().filter((call) => call.endsWith("/threads_publish"))).toHaveLength(1);
  });

  it("takes a 502 after the post was made as a lost answer, and finds the post", async () => {
    const world = await threadsWorld();
    world.threads.inject({
      method: "POST",
      path: PUBLISH,
      status: 502,
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      afterCommit: true,
    });
    const job = world.job(post("carousel", [image("a"), image("b")]));

    expect(failure(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("takes a garbled answer to publishing as one that may have done its work", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: PUBLISH, garbled: { id: 18_012_345_678_901_234 } });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({
      kind: "transient",
      message: "Threads' answer to the publishing of the post was not in the expected shape.",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("sends again when only a container's answer was lost: a container is not a post", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: CONTAINERS, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({ details: { outcomeUnknown: true } });
    expect(job.needsReconcile).toBe(true);
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.threads.containers()).toHaveLength(2);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("finds the lost post by the container's own id when that id now answers as the post", async () => {
    const world = await threadsWorld();
    world.threads.containerAfterPublishing = "post";
    world.threads.inject({ method: "POST", path: PUBLISH, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    await world.step(job);
    const [made] = world.threads.posts();
    expect(await world.step(job)).toEqual({
      by: "findEarlier",
      outcome: { type: "posted", result: { postId: made?.containerId, url: made?.permalink } },
    });
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("links to the profile when Threads says the lost post is published but does not list it yet", async () => {
    const world = await threadsWorld();
    world.threads.listingDelayMs = 10 * 60_000;
    world.threads.inject({ method: "POST", path: PUBLISH, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    await world.step(job);
    expect(await world.step(job)).toEqual({
      by: "findEarlier",
      outcome: { type: "posted", result: { postId: "", url: "https://www.threads.com/@acme.bakery" } },
    });
    expect(world.logs).toEqual([
      "Acme Bakery: Threads says the post is published, but it is not in the profile's threads yet; the share links to the profile.",
    ]);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("cannot tell, and says so, when Threads no longer knows the container of a lost answer", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: PUBLISH, status: 502, error: { code: 2 } });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    world.threads.inject({
      method: "GET",
      path: /\/v1\.0\/\d+$/,
      status: 400,
      error: { code: 24, subcode: 4279009, userTitle: "Media Not Found" },
    });

    expect(await world.step(job)).toEqual({ by: "findEarlier", earlier: "cannot-tell" });
    expect(world.destination.words.unconfirmed(job, "Acme Bakery")).toBe(
      "Threads did not answer, and alsoshare cannot tell whether this post reached Acme Bakery. Check the profile on Threads: if it is there, choose “It's there”; if not, press Retry to post it.",
    );
    expect(world.threads.posts()).toHaveLength(0);
  });

  it("tells a lost post from another share's with the same text by the shares already found", async () => {
    const world = await threadsWorld();
    const first = world.job(post("photo", [image("a")], "Same words"));
    await world.step(first);
    world.threads.inject({ method: "POST", path: PUBLISH, dropAfterCommit: true });
    const second = { ...world.job(post("photo", [image("b")], "Same words")), id: "other:threads" };

    await world.step(second);
    const found = await world.step(second);

    const [, made] = world.threads.posts();
    expect(found).toMatchObject({ outcome: { type: "posted", result: { postId: made?.id } } });
    expect(made?.id).not.toBe(first.result?.postId);
  });

  it("publishes the stored container after a failure that answered, instead of making another", async () => {
    const world = await threadsWorld();
    world.threads.inject({
      method: "POST",
      path: PUBLISH,
      status: 400,
      error: { code: 1, message: "Please retry" },
    });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({ kind: "transient" });
    expect(job.needsReconcile).toBeFalsy();
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.threads.containers()).toHaveLength(1);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("makes a new container when the stored one expired unpublished", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: PUBLISH, error: { code: 2 }, status: 503 });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    world.clock.now += DAY + 60_000;

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.threads.containers()).toHaveLength(2);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("publishes once more, a moment later, when Threads cannot yet find a container it called finished", async () => {
    const world = await threadsWorld();
    world.threads.inject({
      method: "POST",
      path: PUBLISH,
      status: 400,
      error: { code: 24, subcode: 4279009, userTitle: "Media Not Found", isTransient: false },
    });
    const job = world.job(post("photo", [image("loaf")]));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.slept).toEqual([2_000]);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("answers a rate limit with Threads' wait from its usage header, for this profile only", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: CONTAINERS, rateLimit: { minutes: 7 } });

    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));

    expect(error).toBeInstanceOf(ThreadsError);
    expect(error).toMatchObject({
      kind: "rate-limit",
      message: "(#17) User request limit reached",
      details: { code: 17, retryAfterMs: 7 * 60_000, limits: "account" },
    });
    expect(world.threads.posts()).toHaveLength(0);
  });

  it("retries a 5xx before any post was made", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: CONTAINERS, status: 500, error: { code: 1 } });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({ kind: "transient", details: { status: 500 } });
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("says the sign-in is dead when the token expired", async () => {
    const world = await threadsWorld();
    world.clock.now += 61 * DAY;

    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));

    expect(error).toMatchObject({ kind: "auth", details: { code: 190, subcode: 463 } });
    expect(error.message).toMatch(/^Error validating access token: Session has expired/);
  });

  it("says the sign-in is dead when the user took the app's access away", async () => {
    const world = await threadsWorld();
    world.threads.revoke(world.threads.tokens()[0]?.userId ?? "");
    const error = failure(await world.step(world.job(post("reel", [video("r", { duration: 20 })]))));
    expect(error).toMatchObject({ kind: "auth", details: { code: 190, subcode: 460 } });
  });

  it("stops at the 250-a-day limit before publishing, and says when there is room again", async () => {
    const world = await threadsWorld();
    world.threads.publishedElsewhere(world.threads.tokens()[0]?.userId ?? "", 250);
    const job = world.job(post("photo", [image("loaf")]));

    const error = failure(await world.step(job));

    expect(error).toMatchObject({ kind: "publish-limit" });
    expect(world.calls()).not.toContain("POST /v1.0/me/threads_publish");
    await expect(world.destination.quotaFreesAt?.(world.attemptOn(job))).resolves.toEqual({
      until: world.clock.now + DAY,
      limit: "Threads' limit of 250 posts published through the API in 24 hours",
    });
  });

  it("is a ShareError the queue classifies, whatever went wrong", async () => {
    const world = await threadsWorld();
    world.threads.inject({ path: CONTAINERS, networkDown: true });
    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));
    expect(error).toBeInstanceOf(ShareError);
    expect(error).toMatchObject({ message: "Could not reach Threads (network error)." });
  });
});

describe("the Threads sign-in while sharing", () => {
  const WEEK = 7 * DAY;

  it("renews a token that runs out within a week, before publishing with the new one", async () => {
    const world = await threadsWorld();
    const issuedAt = world.clock.now;
    world.clock.now = issuedAt + 55 * DAY;
    world.account = { ...world.account, tokenExpiresAt: issuedAt + 60 * DAY };
    const old = world.account.token;

    expect(await world.step(world.job(post("photo", [image("loaf")])))).toMatchObject({
      outcome: { type: "posted" },
    });

    expect(world.renewals).toHaveLength(1);
    expect(world.renewals[0]?.token).not.toBe(old);
    expect(world.renewals[0]?.tokenExpiresAt).toBe(world.clock.now + 5_183_944_000);
    const publish = world.threads.requests().find((request) => request.path.endsWith("/threads_publish"));
    expect(publish?.token).toBe(world.renewals[0]?.token);
  });

  it("leaves a token with more than a week to go as it is", async () => {
    const world = await threadsWorld();
    world.account = { ...world.account, tokenExpiresAt: world.clock.now + WEEK + 60_000 };
    await world.step(world.job(post("photo", [image("loaf")])));
    expect(world.renewals).toEqual([]);
    expect(world.calls()).not.toContain("GET /refresh_access_token");
  });

  it("goes on with the token it has when renewing fails for a passing reason", async () => {
    const world = await threadsWorld();
    world.clock.now += 55 * DAY;
    world.account = { ...world.account, tokenExpiresAt: world.clock.now + 5 * DAY };
    world.threads.inject({ path: /\/refresh_access_token$/, status: 503, error: { code: 2 } });

    expect(await world.step(world.job(post("photo", [image("loaf")])))).toMatchObject({
      outcome: { type: "posted" },
    });
    expect(world.renewals).toEqual([]);
    expect(world.logs[0]).toMatch(/^Acme Bakery: alsoshare could not renew the Threads sign-in/);
  });
});
