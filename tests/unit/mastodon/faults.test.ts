import { describe, expect, it } from "vitest";
import { ShareError } from "@/lib/destinations/errors";
import { IDEMPOTENCY_KEPT_MS, MEDIA_POLL_WAITS_MS } from "@/lib/mastodon/destination";
import { image, mastodonWorld, post, type Step, video } from "./world";

const STATUSES = /^\/api\/v1\/statuses$/;
const HOUR = 60 * 60_000;

function errorOf(step: Step): ShareError {
  if (!("error" in step) || !(step.error instanceof ShareError)) {
    throw new Error(`expected a ShareError, got ${JSON.stringify(step)}`);
  }
  return step.error;
}

describe("Mastodon's bad days", () => {
  it("posts once when the status was made but its answer was lost: the retry's key answers the same status", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    const lost = await world.step(job);
    expect(errorOf(lost)).toMatchObject({ kind: "transient", details: { outcomeUnknown: true } });
    expect(world.posts()).toHaveLength(1);
    expect(job.needsReconcile).toBe(true);

    world.clock.now += 20_000;
    const retried = await world.step(job);

    const [status] = world.posts();
    expect(world.posts()).toHaveLength(1);
    expect(retried).toEqual({
      by: "send",
      outcome: { type: "posted", result: { postId: status?.id, url: status?.url } },
    });
  });

  it("posts once when Mastodon made the status and answered 502", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, status: 502, afterCommit: true });
    const job = world.job(post("carousel", [image("a"), image("b")]));

    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { status: 502, outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.posts()).toHaveLength(1);
  });

  it("takes a garbled answer to a post as one that may have been made, and posts once", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, json: { unexpected: true }, afterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    const garbled = errorOf(await world.step(job));
    expect(garbled).toMatchObject({ kind: "transient", details: { outcomeUnknown: true } });
    expect(garbled.message).toBe("Mastodon's answer to the new post was not in the expected shape.");
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.posts()).toHaveLength(1);
  });

  it("takes an answer that is not JSON the same way", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({
      method: "POST",
      path: STATUSES,
      body: '{"id": "1',
      status: 200,
      afterCommit: true,
    });
    const job = world.job(post("photo", [image("loaf")]));

    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    await world.step(job);
    expect(world.posts()).toHaveLength(1);
  });

  it("finds the status by its attachment's id when the answer was lost and the key's hour is over", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    const [ours] = world.posts();
    // Other posts made meanwhile, some with media, push ours down the list.
    for (let index = 0; index < 45; index++) {
      world.clock.now += 60_000;
      await world.step(world.job({ ...post("photo", [image(`other-${index}`)]), pk: String(1000 + index) }));
    }
    world.clock.now += IDEMPOTENCY_KEPT_MS;
    const before = world.posts().length;

    const found = await world.step(job);

    expect(found).toEqual({
      by: "findEarlier",
      outcome: { type: "posted", result: { postId: ours?.id, url: ours?.url } },
    });
    expect(world.posts()).toHaveLength(before);
    const listings = world.mastodon
      .requests()
      .filter((request) => request.path.endsWith("/statuses") && request.method === "GET");
    expect(listings.length).toBeGreaterThan(1);
    expect(
      listings.every((request) => request.token === world.token && request.query.only_media === "true"),
    ).toBe(true);
  });

  it("sends again, with the attachments it uploaded, when the key's hour is over and no status holds them", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, status: 503 });
    const job = world.job(post("photo", [image("loaf")]));
    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    world.clock.now += 2 * HOUR;

    const again = await world.step(job);

    expect(again).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.mastodon.media()).toHaveLength(1);
    expect(world.posts()[0]?.mediaIds).toEqual([world.mastodon.media()[0]?.id]);
  });

  it("says so when, after the hour, the attachments are on a status it cannot find", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    const [made] = world.posts();
    world.mastodon.deleteStatus(made?.id ?? "");
    world.clock.now += 2 * HOUR;

    expect(await world.step(job)).toEqual({ by: "findEarlier", earlier: "not-found" });
  });

  it("sends again at once when only an upload's answer was lost: no status can have been posted", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: /^\/api\/v2\/media$/, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.posts()).toHaveLength(1);
  });

  it("refuses to post again when the user deleted, within the hour, the post an earlier attempt made", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    world.mastodon.deleteStatus(world.posts()[0]?.id ?? "");

    const step = await world.step(job);

    expect(errorOf(step)).toMatchObject({ kind: "invalid", details: { status: 404 } });
    expect(errorOf(step).message).toBe(
      "Mastodon says the post alsoshare made for this within the last hour was deleted since, so it was not posted again. Press Retry in an hour to post it anew.",
    );
    expect(world.posts()).toHaveLength(0);
  });

  it("answers a rate limit with the wait until the window Mastodon names resets, for this account", async () => {
    const world = await mastodonWorld();
    world.clock.now = Date.UTC(2026, 8, 1, 9, 2, 30);
    world.mastodon.inject({ method: "POST", path: STATUSES, throttle: true });
    const job = world.job(post("photo", [image("loaf")]));

    const error = errorOf(await world.step(job));

    expect(error).toMatchObject({
      kind: "rate-limit",
      message: "Too many requests",
      details: { status: 429, retryAfterMs: 150_000, limits: "account" },
    });
    expect(world.posts()).toHaveLength(0);
  });

  it("is held back by Mastodon's own count of uploads: 30 in 30 minutes", async () => {
    const world = await mastodonWorld();
    world.clock.now = Date.UTC(2026, 8, 1, 9, 0, 0);
    for (let index = 0; index < 7; index++) {
      await world.step(
        world.job({
          ...post(
            "carousel",
            ["a", "b", "c", "d"].map((name) => image(`${name}${index}`)),
          ),
          pk: String(index + 1),
        }),
      );
    }
    const limited = errorOf(
      await world.step(world.job(post("carousel", [image("x"), image("y"), image("z")]))),
    );

    expect(limited).toMatchObject({
      kind: "rate-limit",
      details: { retryAfterMs: 30 * 60_000, limits: "account" },
    });
    expect(world.mastodon.media()).toHaveLength(30);
  });

  it("takes a revoked sign-in as one to sign in to again, in Mastodon's words", async () => {
    const world = await mastodonWorld();
    world.mastodon.revoke(world.token);

    const error = errorOf(await world.step(world.job(post("photo", [image("loaf")]))));

    expect(error).toMatchObject({
      kind: "auth",
      message: "mastodon.example no longer accepts alsoshare's sign-in (The access token was revoked).",
      details: { status: 401, userMessage: "The access token was revoked" },
    });
    expect(world.posts()).toHaveLength(0);
  });

  it("takes an expired sign-in the same way", async () => {
    const world = await mastodonWorld();
    world.mastodon.expire(world.token);

    expect(errorOf(await world.step(world.job(post("photo", [image("loaf")]))))).toMatchObject({
      kind: "auth",
      details: { userMessage: "The access token expired" },
    });
  });

  it("refuses a post Mastodon finds invalid, with Mastodon's own sentence", async () => {
    const world = await mastodonWorld();
    world.mastodon.setTextLimit(20);
    const job = world.job(post("photo", [image("loaf")]), "This caption is much longer than twenty");

    const error = errorOf(await world.step(job));

    expect(error).toMatchObject({
      kind: "invalid",
      details: { status: 422, userMessage: "Validation failed: Text character limit of 20 exceeded" },
    });
  });

  it("takes a sign-in without the scope to post as a permission problem", async () => {
    const world = await mastodonWorld();
    world.account = { ...world.account, token: world.mastodon.signIn(world.user.id, ["read"]) };

    const error = errorOf(await world.step(world.job(post("photo", [image("loaf")]))));

    expect(error).toMatchObject({
      kind: "permission",
      details: { status: 403, userMessage: "This action is outside the authorized scopes" },
    });
    expect(world.destination.words.permission("Acme Bakery", error.details.userMessage ?? "")).toBe(
      "Mastodon did not let Acme Bakery publish this: This action is outside the authorized scopes. Check that the account may post on its server (it can be disabled, unconfirmed or waiting for approval), link it again allowing alsoshare to post, then press Retry.",
    );
  });

  it("retries a server error before the post with back-off, and posts once after", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "POST", path: STATUSES, status: 503 });
    const job = world.job(post("photo", [image("loaf")]));

    const failed = errorOf(await world.step(job));
    expect(failed).toMatchObject({ kind: "transient", details: { status: 503, outcomeUnknown: true } });
    expect(failed.message).toBe(
      "mastodon.example failed (HTTP 503: There was a temporary problem serving your request, please try again).",
    );
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.posts()).toHaveLength(1);
    expect(world.mastodon.media()).toHaveLength(1);
  });

  it("takes a server error on a read as passing, with nothing to look for", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ method: "GET", path: /^\/api\/v2\/instance$/, status: 500 });
    const job = world.job(post("photo", [image("loaf")]));

    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { status: 500, outcomeUnknown: false },
    });
    expect(job.needsReconcile).toBeUndefined();
  });

  it("takes a dropped connection as a network error", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ path: /^\/api\/v2\/instance$/, networkDown: true });

    expect(errorOf(await world.step(world.job(post("photo", [image("loaf")]))))).toMatchObject({
      kind: "transient",
      message: "Could not reach mastodon.example (network error).",
      details: { networkError: true, outcomeUnknown: false },
    });
  });

  it("says a video still processing after its looks is being processed, then carries on with the same upload", async () => {
    const world = await mastodonWorld();
    world.mastodon.settings.videoProcessingPolls = Number.POSITIVE_INFINITY;
    const job = world.job(post("reel", [video("reel")]));

    const waiting = await world.step(job);

    expect(waiting).toEqual({
      by: "send",
      outcome: { type: "processing", reason: "Mastodon has the video and is still processing it" },
    });
    expect(world.slept).toEqual([...MEDIA_POLL_WAITS_MS]);
    expect(world.posts()).toHaveLength(0);
    const [uploaded] = world.mastodon.media();
    expect(job.made?.photoIds).toEqual([uploaded?.id]);

    if (uploaded) uploaded.pollsLeft = 1;
    world.clock.now += 60_000;
    const done = await world.step(job);

    expect(done).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.mastodon.media()).toHaveLength(1);
    expect(world.posts()[0]?.mediaIds).toEqual([uploaded?.id]);
  });

  it("says a server that answers 404 to Mastodon's API may not be Mastodon", async () => {
    const world = await mastodonWorld();
    world.mastodon.inject({ path: /^\/api\/v[12]\/instance$/, status: 404, times: 2 });

    const error = errorOf(await world.step(world.job(post("photo", [image("loaf")]))));

    expect(error).toMatchObject({ kind: "invalid", details: { status: 404 } });
    expect(error.message).toBe(
      "mastodon.example has no such part of Mastodon's API, so it may not be a Mastodon server. Check the server's address and link the account again.",
    );
  });

  it("finds a job an older version left without ids by its text, and no other share's post", async () => {
    const world = await mastodonWorld();
    const job = world.job(
      post("photo", [image("loaf")]),
      "Fresh #sourdough today\n\nhttps://www.instagram.com/p/C9xYz_AbCdE/",
    );
    world.mastodon.inject({ method: "POST", path: STATUSES, dropAfterCommit: true });
    await world.step(job);
    job.made = undefined;

    const found = await world.step(job);

    expect(found).toMatchObject({
      by: "findEarlier",
      outcome: { type: "posted", result: { postId: world.posts()[0]?.id } },
    });
  });

  it("cannot tell, for a job left without ids, when no post has its text", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("photo", [image("loaf")]));
    job.needsReconcile = true;

    expect(await world.step(job)).toEqual({ by: "findEarlier", earlier: "cannot-tell" });
    expect(world.destination.words.unconfirmed(job, "Acme Bakery")).toBe(
      "Mastodon did not answer, and alsoshare cannot tell whether this post reached Acme Bakery. Check the account's posts: if it is there, choose “It's there”; if not, press Retry to post it.",
    );
  });
});
