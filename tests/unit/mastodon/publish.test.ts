import { describe, expect, it } from "vitest";
import { NotShareableError } from "@/lib/destinations/errors";
import { idempotencyKey, MEDIA_POLL_WAITS_MS } from "@/lib/mastodon/destination";
import { image, mastodonWorld, post, video } from "./world";

describe("publishing to Mastodon", () => {
  it("shares a photo as one public status with its alt text, the media id stored before the status is posted", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("photo", [image("loaf", { alt: "A round sourdough loaf on a board" })]));
    const attempt = world.attemptOn(job);
    const prepared = attempt.prepared.bind(attempt);
    let storedBeforePost: string[] | undefined;
    attempt.prepared = async (made) => {
      expect(world.calls()).not.toContain("POST /api/v1/statuses");
      await prepared(made);
      storedBeforePost = job.made?.photoIds;
    };

    const outcome = await world.destination.send(attempt);

    const [status] = world.posts();
    expect(world.posts()).toHaveLength(1);
    expect(status).toMatchObject({ text: "A photo from the bakery", visibility: "public" });
    const [uploaded] = world.mastodon.media();
    expect(uploaded).toMatchObject({ type: "image", description: "A round sourdough loaf on a board" });
    expect(status?.mediaIds).toEqual([uploaded?.id]);
    expect(storedBeforePost).toEqual([uploaded?.id]);
    expect(outcome).toEqual({ type: "posted", result: { postId: status?.id, url: status?.url } });
    expect(status?.url).toMatch(/^https:\/\/mastodon\.example\/@acmebakery\/\d+$/);
  });

  it("sends the same Idempotency-Key, derived from the job's id alone, on every attempt", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("photo", [image("loaf")]));

    await world.step(job);

    const key = world.mastodon
      .requests()
      .find((request) => request.path === "/api/v1/statuses")?.idempotencyKey;
    expect(key).toBe(await idempotencyKey(job.id));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await idempotencyKey(job.id)).not.toBe(await idempotencyKey(`${job.id}x`));
  });

  it("shares a carousel's photos in order, leaving its video out and saying so in the activity log", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("carousel", [image("a", { alt: "First loaf" }), video("b"), image("c")]));

    const step = await world.step(job);

    expect(step).toMatchObject({ outcome: { type: "posted" } });
    const [status] = world.posts();
    const uploads = world.mastodon.media();
    expect(uploads.map((item) => item.type)).toEqual(["image", "image"]);
    expect(status?.mediaIds).toEqual(uploads.map((item) => item.id));
    expect(uploads[0]?.description).toBe("First loaf");
    expect(world.downloads.some((url) => url.includes("b.mp4"))).toBe(false);
    expect(world.logs).toEqual([
      "Acme Bakery: shared your carousel without its video, because a post on mastodon.example holds up to 4 photos or one video, not both.",
    ]);
  });

  it("shares the first photos a post on the server holds, when a carousel has more", async () => {
    const world = await mastodonWorld();
    const job = world.job(
      post(
        "carousel",
        ["a", "b", "c", "d", "e", "f"].map((name) => image(name)),
      ),
    );

    await world.step(job);

    expect(world.posts()[0]?.mediaIds).toHaveLength(4);
    expect(world.logs[0]).toBe(
      "Acme Bakery: shared your carousel with its first 4 photos only (of 6), because a post on mastodon.example holds up to 4 photos or one video, not both.",
    );
  });

  it("shares a carousel of videos as its first video alone", async () => {
    const world = await mastodonWorld();
    world.mastodon.settings.videoProcessingPolls = 0;
    const job = world.job(post("carousel", [video("a"), video("b"), video("c")]));

    await world.step(job);

    expect(world.mastodon.media().map((item) => item.type)).toEqual(["video"]);
    expect(world.posts()).toHaveLength(1);
    expect(world.logs[0]).toContain("without 2 of its videos");
  });

  it("waits while Mastodon processes a reel, looking a few times, then posts it", async () => {
    const world = await mastodonWorld();
    world.mastodon.settings.videoProcessingPolls = 3;
    const job = world.job(post("reel", [video("reel")]));

    const step = await world.step(job);

    expect(step).toMatchObject({ outcome: { type: "posted" } });
    expect(world.slept).toEqual(MEDIA_POLL_WAITS_MS.slice(0, 4));
    expect(world.calls().filter((call) => call.startsWith("GET /api/v1/media/"))).toHaveLength(4);
    expect(world.posts()[0]?.mediaIds).toHaveLength(1);
    expect(world.mastodon.media()[0]).toMatchObject({ type: "video", mime: "video/mp4" });
  });

  it("shares a video post the same way", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("video", [video("clip")]));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.posts()).toHaveLength(1);
  });

  it("refuses a story, which Mastodon has no place for, before sending anything", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("story", [image("story")]));

    const step = await world.step(job);

    expect(step).toMatchObject({ by: "send" });
    expect("error" in step && step.error).toBeInstanceOf(NotShareableError);
    expect("error" in step && step.error.message).toBe(
      "Mastodon has no stories, so alsoshare does not share stories there. Share it as a post to send it to Mastodon.",
    );
    expect(world.calls().filter((call) => call.startsWith("POST"))).toEqual([]);
  });

  it("refuses a photo larger than the server takes before uploading anything, with both sizes", async () => {
    const world = await mastodonWorld();
    world.mastodon.settings.imageSizeLimit = 8 * 1024 * 1024;
    world.files.set(image("big").url, new Blob([new Uint8Array(9 * 1024 * 1024)], { type: "image/jpeg" }));
    const job = world.job(post("carousel", [image("small"), image("big")]));

    const step = await world.step(job);

    expect("error" in step && step.error).toBeInstanceOf(NotShareableError);
    expect("error" in step && step.error.message).toBe(
      "This photo is 9 MB, more than the 8 MB mastodon.example takes, so nothing was sent to Mastodon.",
    );
    expect(world.calls()).not.toContain("POST /api/v2/media");
  });

  it("shortens alt text to what the server takes, counted in characters", async () => {
    const world = await mastodonWorld();
    world.mastodon.settings.descriptionLimit = 10;
    const job = world.job(post("photo", [image("loaf", { alt: "🍞🍞🍞🍞🍞🍞🍞🍞🍞🍞🍞🍞 bread" })]));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.mastodon.media()[0]?.description).toBe("🍞".repeat(10));
  });

  it("names the file's type when the download gave none, as Mastodon needs it", async () => {
    const world = await mastodonWorld();
    world.files.set(image("plain").url, new Blob([new Uint8Array(100)]));
    const job = world.job(post("photo", [image("plain")]));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(
      world.mastodon.requests().find((request) => request.path === "/api/v2/media")?.files.file?.type,
    ).toBe("image/jpeg");
  });

  it("answers the text limit the account's server announced, counted in code points, links as 23", async () => {
    const world = await mastodonWorld();
    const limits = world.destination.limits(world.account);
    expect(limits).toEqual({
      text: { max: 500, counts: "code-points", linkLength: 23 },
      images: 4,
      videos: 1,
      mixed: false,
      firstComment: false,
    });
    const home = world.account.home;
    if (!home) throw new Error("the world's account has a home");
    expect(world.destination.limits({ ...world.account, home: { ...home, textLimit: 5000 } }).text.max).toBe(
      5000,
    );
  });

  it("sends a text at the server's own limit, which Mastodon counts as it posts it", async () => {
    const world = await mastodonWorld();
    world.mastodon.setTextLimit(30);
    const exact = `${"é".repeat(6)} https://www.instagram.com/p/C9xYz_AbCdE/`;
    const job = world.job(post("photo", [image("loaf")]), exact);

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    expect(world.posts()[0]?.text).toBe(exact);
  });

  it("says why when Instagram gave no photo for a photo post, and sends nothing", async () => {
    const world = await mastodonWorld();
    const job = world.job(post("photo", [video("not-a-photo")]));

    const step = await world.step(job);

    expect("error" in step && step.error.message).toBe(
      "Instagram gave no photo to share, so nothing was sent to Mastodon.",
    );
    expect(world.calls().filter((call) => call.startsWith("POST"))).toEqual([]);
  });
});
