import { describe, expect, it } from "vitest";
import { image, post, tumblrWorld, video } from "./world";

describe("sharing to a Tumblr blog", () => {
  it("a photo is one published post on the linked blog, with its alt text, caption, links and tags", async () => {
    const world = await tumblrWorld();
    const caption = "Fresh loaves at https://acme.example/menu today #sourdough #bread";
    const job = world.job(post("photo", [image("loaf", { alt: "A round sourdough loaf" })], caption));

    const step = await world.step(job);

    const [made] = world.tumblr.posts();
    expect(world.tumblr.posts()).toHaveLength(1);
    expect(made).toMatchObject({
      blogUuid: world.blog.uuid,
      state: "published",
      tags: ["sourdough", "bread"],
    });
    expect(made?.media).toEqual([expect.objectContaining({ type: "image/jpeg", bytes: 20_000 })]);
    expect(made?.content[0]).toMatchObject({ type: "image", alt_text: "A round sourdough loaf" });
    expect(made?.content[1]).toMatchObject({
      type: "text",
      text: caption,
      formatting: [{ type: "link", start: 16, end: 41, url: "https://acme.example/menu" }],
    });
    expect(made?.slug).toMatch(/^fresh-loaves-at-today-[0-9a-f]{10}$/);
    expect(step).toEqual({
      by: "send",
      outcome: {
        type: "posted",
        result: { postId: made?.id, url: `https://www.tumblr.com/acme-bakery/${made?.id}/${made?.slug}` },
      },
    });
    // The draft's id was stored before it was published, and the token only ever went in a header.
    expect(world.side.prepared).toEqual([{ containerId: made?.id }]);
    expect(world.tumblr.requests().every((request) => request.tokenIn === "header")).toBe(true);
  });

  it("a carousel keeps Instagram's order, up to 10 photos and one video, and says what was left out", async () => {
    const world = await tumblrWorld();
    const media = [video("first"), ...Array.from({ length: 11 }, (_, i) => image(`p${i}`)), video("second")];
    await world.step(world.job(post("carousel", media)));

    const [made] = world.tumblr.posts();
    const kinds = made?.content.map((block) => (block as { type: string }).type);
    expect(kinds).toEqual(["video", ...Array(10).fill("image"), "text"]);
    expect(made?.media.map((file) => file.type)).toEqual(["video/mp4", ...Array(10).fill("image/jpeg")]);
    expect(world.side.logs).toEqual([expect.stringContaining("without 2 of its items")]);
  });

  it("a reel is a post with its video", async () => {
    const world = await tumblrWorld();
    await world.step(world.job(post("reel", [video("reel")])));
    expect(world.tumblr.posts()[0]?.content[0]).toMatchObject({ type: "video" });
    expect(world.tumblr.posts()[0]?.media).toEqual([
      expect.objectContaining({ type: "video/mp4", bytes: 300_000 }),
    ]);
  });

  it("a story is not sent: Tumblr has no stories", async () => {
    const world = await tumblrWorld();
    const step = await world.step(world.job(post("story", [image("story")])));
    expect(step).toMatchObject({
      error: { name: "NotShareableError", message: expect.stringContaining("no stories") },
    });
    expect(world.calls()).toEqual([]);
    expect(world.downloads).toEqual([]);
  });

  it("a share stopped while it was being sent publishes nothing", async () => {
    const world = await tumblrWorld();
    world.side.stopped = true;
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(step).toMatchObject({ error: { name: "NotShareableError" } });
    expect(world.tumblr.posts().filter((made) => made.state === "published")).toEqual([]);
  });
});

describe("the Tumblr sign-in", () => {
  it("is renewed before a share when it runs out within minutes, and the new refresh token is kept", async () => {
    const world = await tumblrWorld();
    const old = world.side.account.home?.refreshToken;
    world.clock.now += 40 * 60_000;

    const step = await world.step(world.job(post("photo", [image("loaf")])));

    expect(step).toMatchObject({ outcome: { type: "posted" } });
    expect(world.side.renewals).toHaveLength(1);
    const renewed = world.side.account.home?.refreshToken;
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(old);
    // Tumblr spent the old refresh token: only the stored new one renews the next time.
    expect(world.tumblr.tokens().find((t) => t.refreshToken === old)?.refreshUsed).toBe(true);
    expect(world.calls()[0]).toBe("POST /v2/oauth2/token");
  });

  it("one Tumblr no longer renews pauses the share for a new sign-in, with nothing sent", async () => {
    const world = await tumblrWorld();
    world.tumblr.revoke("acmebaker");
    world.clock.now += 40 * 60_000;
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(step).toMatchObject({ error: { kind: "auth" } });
    expect(world.tumblr.posts()).toEqual([]);
  });

  it("cannot be renewed without the Tumblr app's secret, and says so", async () => {
    const world = await tumblrWorld();
    world.setApp(undefined);
    world.clock.now += 40 * 60_000;
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(step).toMatchObject({ error: { kind: "auth", message: expect.stringContaining("app's secret") } });
  });

  it("a revoked access token is a sign-in to renew, not a failure to retry", async () => {
    const world = await tumblrWorld();
    world.tumblr.revoke("acmebaker");
    const step = await world.step(world.job(post("photo", [image("loaf")])));
    expect(step).toMatchObject({ error: { kind: "auth" } });
    expect(world.tumblr.posts()).toEqual([]);
  });
});
