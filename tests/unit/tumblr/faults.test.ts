import { describe, expect, it } from "vitest";
import { ShareError } from "@/lib/destinations/errors";
import type { Step } from "./world";
import { image, post, tumblrWorld } from "./world";

const POSTS = /^\/v2\/blog\/[^/]+\/posts$/;
const ONE_POST = /^\/v2\/blog\/[^/]+\/posts\/\d+$/;
const published = (world: Awaited<ReturnType<typeof tumblrWorld>>) =>
  world.tumblr.posts().filter((made) => made.state === "published");
const errorOf = (step: Step) => ("error" in step ? step.error : undefined);

describe("Tumblr's bad days", () => {
  it("a publish whose answer is lost after it was done is found by its draft: one post", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({ method: "PUT", path: ONE_POST, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    const first = await world.step(job);
    expect(errorOf(first)).toMatchObject({ kind: "transient", details: { outcomeUnknown: true } });
    const second = await world.step(job);

    expect(second).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(published(world)).toHaveLength(1);
    expect(world.calls().filter((call) => call.startsWith("PUT"))).toHaveLength(1);
  });

  it("a 504 from Tumblr's edge after the publish was done is found, not sent again", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({
      method: "PUT",
      path: ONE_POST,
      status: 504,
      body: "<html><body><h1>504 Gateway Time-out</h1></body></html>",
      afterCommit: true,
    });
    const job = world.job(post("photo", [image("loaf")]));
    expect(errorOf(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(published(world)).toHaveLength(1);
  });

  it("a draft whose answer was lost is used by the next attempt, never made twice", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({ method: "POST", path: POSTS, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    expect(errorOf(await world.step(job))).toMatchObject({ details: { outcomeUnknown: true } });
    // Nothing was stored, so no post can be out; the draft is found by the job's mark.
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });

    expect(world.tumblr.posts()).toHaveLength(1);
    expect(published(world)).toHaveLength(1);
    expect(world.calls().filter((call) => /^POST \/v2\/blog/.test(call))).toHaveLength(1);
  });

  it("a garbled answer to the publish is looked into before anything is sent again", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({
      method: "PUT",
      path: ONE_POST,
      garbled: { meta: { status: 200 }, response: "ok" },
    });
    const job = world.job(post("photo", [image("loaf")]));
    expect(errorOf(await world.step(job))).toMatchObject({ details: { outcomeUnknown: true } });
    expect(await world.step(job)).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(published(world)).toHaveLength(1);
  });

  it("a publish that never arrived publishes the stored draft on the next attempt", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({ method: "PUT", path: ONE_POST, networkDown: true });
    const job = world.job(post("photo", [image("loaf")]));
    expect(errorOf(await world.step(job))).toMatchObject({ details: { outcomeUnknown: true } });
    // Still a draft: nothing of ours is out, and the same draft is published.
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.tumblr.posts()).toHaveLength(1);
    expect(published(world)).toHaveLength(1);
  });

  it("a draft deleted before it was published is not made again behind the user's back", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({ method: "PUT", path: ONE_POST, networkDown: true });
    const job = world.job(post("photo", [image("loaf")]));
    await world.step(job);
    const [draft] = world.tumblr.posts();
    await world.fetch(`https://api.tumblr.com/v2/blog/${world.blog.uuid}/post/delete`, {
      method: "POST",
      headers: { Authorization: `Bearer ${world.side.account.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ id: draft?.id }),
    });

    expect(await world.step(job)).toEqual({ by: "findEarlier", earlier: "cannot-tell" });
    expect(world.tumblr.posts()).toEqual([]);
  });

  it("the daily posting limit waits for the next day", async () => {
    const world = await tumblrWorld();
    world.tumblr.postedElsewhere("acmebaker", 250);
    const job = world.job(post("photo", [image("loaf")]));
    const step = await world.step(job);
    expect(errorOf(step)).toMatchObject({ kind: "publish-limit" });
    const quota = await world.destination.quotaFreesAt?.(world.attemptOn(job));
    expect(quota).toEqual({
      until: world.clock.now + 24 * 60 * 60_000,
      limit: expect.stringContaining("250 posts"),
    });
    expect(published(world)).toEqual([]);
  });

  it("a rate limit waits as long as Tumblr says, for every blog linked through the app", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({ path: /\/posts\/draft$/, rateLimit: { per: "hour", resetSeconds: 1200 } });
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(errorOf(step)).toMatchObject({
      kind: "rate-limit",
      details: { retryAfterMs: 1_200_000, limits: "every-account" },
    });
    expect(world.tumblr.posts()).toEqual([]);
  });

  it("a file Tumblr will not take is refused in Tumblr's words, with nothing posted", async () => {
    const world = await tumblrWorld();
    world.tumblr.inject({
      method: "POST",
      path: POSTS,
      status: 400,
      errors: [{ title: "Bad Request", code: 8005, detail: "Unsupported media format" }],
    });
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(errorOf(step)).toMatchObject({ kind: "invalid", message: "Unsupported media format" });
    expect(world.tumblr.posts()).toEqual([]);
  });

  it("a photo Instagram will not give stops the share before anything is sent to Tumblr", async () => {
    const world = await tumblrWorld();
    world.failDownloads(new ShareError("media-unreachable", "Instagram answered HTTP 403."));
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(errorOf(step)).toMatchObject({ kind: "media-unreachable" });
    expect(world.calls().filter((call) => call.startsWith("POST /v2/blog"))).toEqual([]);
  });
});
