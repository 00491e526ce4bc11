import { describe, expect, it } from "vitest";
import { NotShareableError } from "@/lib/destinations/errors";
import { CONTAINER_LOOK_INTERVAL_MS, CONTAINER_LOOKS } from "@/lib/threads/destination";
import { ThreadsError } from "@/lib/threads/errors";
import { THREADS_LIMITS, threadsTextLength } from "@/lib/threads/limits";
import { image, post, threadsWorld, USER_ID, video } from "./world";

describe("publishing to Threads", () => {
  it("shares a photo as one image container, stored before it is published, with its alt text and the caption", async () => {
    const world = await threadsWorld();
    const job = world.job(post("photo", [image("loaf", { alt: "A round sourdough loaf on a board" })]));
    let storedBeforePublish: string | undefined;
    const attempt = world.attemptOn(job);
    const prepared = attempt.prepared.bind(attempt);
    attempt.prepared = async (made) => {
      expect(world.calls()).not.toContain("POST /v1.0/me/threads_publish");
      await prepared(made);
      storedBeforePublish = job.made?.containerId;
    };

    const outcome = await world.destination.send(attempt);

    const [shared] = world.threads.posts();
    expect(world.threads.posts()).toHaveLength(1);
    expect(shared).toMatchObject({
      userId: USER_ID,
      mediaType: "IMAGE",
      text: "A photo from the bakery",
      media: [{ type: "IMAGE", url: image("loaf").url, altText: "A round sourdough loaf on a board" }],
    });
    expect(storedBeforePublish).toBe(shared?.containerId);
    expect(outcome).toEqual({ type: "posted", result: { postId: shared?.id, url: shared?.permalink } });
    expect(shared?.permalink).toMatch(/^https:\/\/www\.threads\.com\/@acme\.bakery\/post\//);
  });

  it("shares a carousel of photos and videos as one carousel post, the text on the carousel only", async () => {
    const world = await threadsWorld();
    world.threads.videoLooks = 1;
    const job = world.job(post("carousel", [image("a", { alt: "First loaf" }), video("b"), image("c")]));

    const step = await world.step(job);

    expect(step).toMatchObject({ outcome: { type: "posted" } });
    const [carousel] = world.threads.posts();
    expect(world.threads.posts()).toHaveLength(1);
    expect(carousel).toMatchObject({
      mediaType: "CAROUSEL_ALBUM",
      text: "A carousel from the bakery",
      media: [
        { type: "IMAGE", url: image("a").url, altText: "First loaf" },
        { type: "VIDEO", url: video("b").url },
        { type: "IMAGE", url: image("c").url },
      ],
    });
    const items = world.threads.containers().filter((container) => container.isCarouselItem);
    expect(items).toHaveLength(3);
    expect(items.every((item) => item.text === undefined)).toBe(true);
  });

  it("waits for a reel Threads is processing, looking a few times, then publishes it", async () => {
    const world = await threadsWorld();
    world.threads.videoLooks = 2;
    const job = world.job(post("reel", [video("reel", { duration: 42 })]));

    const step = await world.step(job);

    expect(step).toMatchObject({ outcome: { type: "posted" } });
    expect(world.threads.posts()).toMatchObject([
      { mediaType: "VIDEO", media: [{ url: video("reel").url }] },
    ]);
    expect(world.slept).toEqual([CONTAINER_LOOK_INTERVAL_MS, CONTAINER_LOOK_INTERVAL_MS]);
  });

  it("leaves a video Threads is still processing to a later attempt, which publishes the same container", async () => {
    const world = await threadsWorld();
    world.threads.videoLooks = CONTAINER_LOOKS + 1;
    const job = world.job(post("video", [video("long-processing", { duration: 200 })]));

    const first = await world.step(job);
    expect(first).toEqual({
      by: "send",
      outcome: { type: "processing", reason: "Threads has the media and is still processing it" },
    });
    expect(world.slept).toHaveLength(CONTAINER_LOOKS - 1);
    expect(world.threads.posts()).toHaveLength(0);

    const second = await world.step(job);
    expect(second).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(world.threads.containers()).toHaveLength(1);
    expect(world.threads.posts()).toHaveLength(1);
  });

  it("shares a one-item carousel as a single post", async () => {
    const world = await threadsWorld();
    await world.step(world.job(post("carousel", [image("only")])));
    expect(world.threads.posts()).toMatchObject([
      { mediaType: "IMAGE", media: [{ url: image("only").url }] },
    ]);
    expect(world.threads.containers()).toHaveLength(1);
  });

  it("refuses a reel whose video Threads could not download, in words", async () => {
    const world = await threadsWorld({ lookupMedia: () => undefined });
    const step = await world.step(world.job(post("reel", [video("gone", { duration: 12 })])));
    expect(step).toMatchObject({
      outcome: {
        type: "refused",
        message:
          "Threads could not take this post in: it could not download the video from Instagram. Check the post on Instagram, then press Retry to send it again.",
      },
    });
  });

  it("refuses a story before any call: Threads has no stories", async () => {
    const world = await threadsWorld();
    const step = await world.step(world.job(post("story", [image("story")])));
    expect(step).toMatchObject({ by: "send", error: expect.any(NotShareableError) });
    if (!("error" in step)) throw new Error("expected a refusal");
    expect(step.error.message).toMatch(/Threads has no stories/);
    expect(world.calls()).toEqual([]);
  });

  it("refuses a video longer than Threads takes before any call, saying how long it is", async () => {
    const world = await threadsWorld();
    const step = await world.step(world.job(post("video", [video("talk", { duration: 451.2 })])));
    if (!("error" in step)) throw new Error("expected a refusal");
    expect(step.error).toBeInstanceOf(NotShareableError);
    expect(step.error.message).toBe(
      "Threads takes videos of up to 5 minutes; this one is 7 min 32 s, so nothing was sent.",
    );
    expect(world.calls()).toEqual([]);
  });

  it("refuses, before any call, a text that Threads counts as too long because of its emoji", async () => {
    const world = await threadsWorld();
    const text = `${"a".repeat(480)}🥐🥐🥐🥐🥐🥐`;
    expect([...text]).toHaveLength(486);
    expect(threadsTextLength(text)).toBe(504);

    const step = await world.step(world.job(post("photo", [image("x")]), text));

    if (!("error" in step)) throw new Error("expected a refusal");
    expect(step.error).toBeInstanceOf(NotShareableError);
    expect(step.error.message).toMatch(
      /^Threads takes 500 characters and counts each emoji as several; this text counts 504,/,
    );
    expect(world.calls()).toEqual([]);
  });

  it("cuts alt text to the 1000 characters Threads takes", async () => {
    const world = await threadsWorld();
    await world.step(world.job(post("photo", [image("x", { alt: "é".repeat(1200) })])));
    const alt = world.threads.posts()[0]?.media[0]?.altText ?? "";
    expect([...alt]).toHaveLength(1000);
    expect(alt.endsWith("…")).toBe(true);
  });

  it("refuses with Threads' reason in words when it cannot take a video in", async () => {
    const world = await threadsWorld();
    world.threads.inject({ method: "POST", path: /\/me\/threads$/, containerError: "INVALID_ASPEC_RATIO" });

    const step = await world.step(world.job(post("reel", [video("odd", { duration: 30 })])));

    expect(step).toEqual({
      by: "send",
      outcome: {
        type: "refused",
        kind: "threads-media",
        message:
          "Threads could not take this post in: the video's shape is not one Threads takes. Check the post on Instagram, then press Retry to send it again.",
      },
    });
    expect(world.threads.posts()).toHaveLength(0);
  });

  it("says in words that Threads could not fetch a photo from Instagram", async () => {
    const world = await threadsWorld({ lookupMedia: () => undefined });
    const step = await world.step(world.job(post("photo", [image("gone")])));
    if (!("error" in step)) throw new Error("expected a failure");
    expect(step.error).toBeInstanceOf(ThreadsError);
    expect(step.error).toMatchObject({
      kind: "media-unreachable",
      message:
        "Threads could not fetch the photo from Instagram (The media could not be fetched from this URI.).",
    });
    expect(world.threads.posts()).toHaveLength(0);
  });

  it("passes on Threads' own words when a photo is too big for it", async () => {
    const world = await threadsWorld({ lookupMedia: () => ({ type: "image", bytes: 9 * 1024 ** 2 }) });
    const step = await world.step(world.job(post("photo", [image("huge")])));
    if (!("error" in step)) throw new Error("expected a failure");
    expect(step.error).toMatchObject({
      kind: "invalid",
      details: { userMessage: "The image is too large. Images must be 8 MB or smaller." },
    });
  });

  it("says what a Threads post holds: 500 characters, 20 mixed items, videos up to 5 minutes, no first comment", async () => {
    const world = await threadsWorld();
    expect(world.destination.limits(world.account)).toEqual(THREADS_LIMITS);
    expect(THREADS_LIMITS).toEqual({
      text: { max: 500, counts: "code-points" },
      images: 20,
      videos: 20,
      mixed: true,
      videoSeconds: { min: 0, max: 300 },
      firstComment: false,
    });
  });
});
