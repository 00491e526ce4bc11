import { describe, expect, it } from "vitest";
import { blueskyPostUrl } from "@/lib/bluesky/destination";
import { BLUESKY_LIMITS } from "@/lib/bluesky/limits";
import { isTid, postKeyFor } from "@/lib/bluesky/tid";
import { withPermalink } from "@/lib/caption/message";
import { NotShareableError } from "@/lib/destinations/errors";
import { ENTRYWAY_HOST, PDS_HOST } from "../../support/bluesky-standin";
import { blueskyWorld, DID, failure, image, mediaBytes, post, video } from "./world";

const PERMALINK = "https://www.instagram.com/p/C9xYz_AbCdE/";

/** The text a facet covers, read by its UTF-8 byte offsets as Bluesky reads it. */
function covered(text: string, facet: { index: { byteStart: number; byteEnd: number } }): string {
  return Buffer.from(text).subarray(facet.index.byteStart, facet.index.byteEnd).toString();
}

describe("sharing to Bluesky", () => {
  it("posts a photo with its alt text and shape, at the record key the job names, on the account's PDS", async () => {
    const world = await blueskyWorld();
    const message = withPermalink("Rye today 🍞 #sourdough", PERMALINK);
    const job = world.job(
      post("photo", [image("loaf", { alt: "A dark rye loaf", width: 1080, height: 1350 })]),
      message,
    );

    const step = await world.step(job);

    const [made] = world.bluesky.posts(DID);
    const rkey = postKeyFor(job);
    expect(isTid(rkey)).toBe(true);
    expect(step).toEqual({
      by: "send",
      outcome: {
        type: "posted",
        result: { postId: `at://${DID}/app.bsky.feed.post/${rkey}`, url: blueskyPostUrl(DID, rkey) },
      },
    });
    expect(made?.rkey).toBe(rkey);
    expect(made?.record).toMatchObject({
      $type: "app.bsky.feed.post",
      text: message,
      createdAt: new Date(world.clock.now).toISOString(),
      embed: {
        $type: "app.bsky.embed.images",
        images: [
          {
            alt: "A dark rye loaf",
            aspectRatio: { width: 1080, height: 1350 },
            image: { $type: "blob", mimeType: "image/jpeg", size: 200_000 },
          },
        ],
      },
    });
    expect(world.calls()).toEqual([
      `POST ${PDS_HOST} com.atproto.repo.uploadBlob`,
      `POST ${PDS_HOST} com.atproto.repo.createRecord`,
    ]);
    // The uploaded photo's id is stored before the post is made.
    expect(world.prepared).toEqual([{ photoIds: [world.bluesky.blobs(DID)[0]?.cid] }]);
  });

  it("marks the links and hashtags of the text, counting UTF-8 bytes past emoji and accents, and no mentions", async () => {
    const world = await blueskyWorld();
    const message = withPermalink(
      "Crème brûlée 🍮👩🏽‍🍳 with @chef.anna #pâtisserie (menu: https://acme.example/menu).",
      PERMALINK,
    );
    const job = world.job(post("photo", [image("dessert")]), message);

    await world.step(job);

    const record = world.bluesky.posts()[0]?.record as {
      text: string;
      facets: { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[];
    };
    expect(record.facets.map((facet) => [covered(record.text, facet), facet.features[0]])).toEqual([
      ["#pâtisserie", { $type: "app.bsky.richtext.facet#tag", tag: "pâtisserie" }],
      [
        "https://acme.example/menu",
        { $type: "app.bsky.richtext.facet#link", uri: "https://acme.example/menu" },
      ],
      [PERMALINK, { $type: "app.bsky.richtext.facet#link", uri: PERMALINK }],
    ]);
  });

  it("posts a carousel's first four photos, and says in the log what was left out", async () => {
    const world = await blueskyWorld();
    const media = [image("a"), video("clip"), image("b"), image("c"), image("d"), image("e")];
    const job = world.job(post("carousel", media));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });

    const embed = world.bluesky.posts()[0]?.record.embed as { images: unknown[] };
    expect(embed.images).toHaveLength(4);
    expect(world.downloads.map((url) => url.split("/").pop()?.split(".")[0])).toEqual(["a", "b", "c", "d"]);
    expect(world.logs).toEqual([
      "Acme Bakery: shared your carousel to Bluesky without its video and its last photo, because a Bluesky post holds up to 4 photos or one video, not both.",
    ]);
  });

  it("posts a carousel of videos as its first video", async () => {
    const world = await blueskyWorld();
    const job = world.job(post("carousel", [video("one"), video("two")]));

    await world.step(job);

    expect(world.bluesky.posts()[0]?.record.embed).toMatchObject({ $type: "app.bsky.embed.video" });
    expect(world.logs).toEqual([
      "Acme Bakery: shared your carousel to Bluesky without its second video, because a Bluesky post holds up to 4 photos or one video, not both.",
    ]);
  });

  it("posts a reel as a video with its alt text and shape, storing the video's id before the post", async () => {
    const world = await blueskyWorld();
    const job = world.job(
      post("reel", [video("reel", { alt: "Kneading dough", width: 1080, height: 1920, duration: 42 })]),
    );

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });

    const [blob] = world.bluesky.blobs(DID);
    expect(world.bluesky.posts()[0]?.record.embed).toEqual({
      $type: "app.bsky.embed.video",
      video: { $type: "blob", ref: { $link: blob?.cid }, mimeType: "video/mp4", size: 5_000_000 },
      alt: "Kneading dough",
      aspectRatio: { width: 1080, height: 1920 },
    });
    expect(world.prepared).toEqual([{ videoId: blob?.cid }]);
  });

  it("refuses a story, saying Bluesky has none, before any call", async () => {
    const world = await blueskyWorld();
    const error = failure(await world.step(world.job(post("story", [image("story")]))));
    expect(error).toBeInstanceOf(NotShareableError);
    expect(error.message).toBe(
      "Bluesky has no stories, so alsoshare shares posts and reels there, not stories. Nothing was sent to Bluesky.",
    );
    expect(world.calls()).toEqual([]);
    expect(world.downloads).toEqual([]);
  });

  it("refuses a video longer than Bluesky's 10 minutes before downloading it", async () => {
    const world = await blueskyWorld();
    const error = failure(await world.step(world.job(post("video", [video("long", { duration: 640.2 })]))));
    expect(error.message).toBe(
      "Bluesky takes videos of up to 10 minutes; this one is 10 min 41 s, so nothing was sent to Bluesky.",
    );
    expect(world.downloads).toEqual([]);
    expect(world.calls()).toEqual([]);
  });

  it("refuses a video over 100 MB once downloaded, before uploading anything", async () => {
    const world = await blueskyWorld();
    const reel = video("big");
    world.files.set(reel.url, mediaBytes("mp4", 100_000_001));
    const error = failure(await world.step(world.job(post("reel", [reel]))));
    expect(error.message).toBe(
      "Bluesky takes videos of up to 100 MB; this one is 100.1 MB, so nothing was sent to Bluesky.",
    );
    expect(world.calls()).toEqual([]);
  });

  it("takes 300 graphemes of text and refuses 301 before any call", async () => {
    const world = await blueskyWorld();
    const fits = "é".repeat(300);
    expect(await world.step(world.job(post("photo", [image("a")]), fits))).toMatchObject({
      outcome: { type: "posted" },
    });

    const other = await blueskyWorld();
    const error = failure(await other.step(other.job(post("photo", [image("a")]), `${fits}!`)));
    expect(error.message).toBe(
      "Bluesky takes 300 characters in a post and this text has 301, so nothing was sent to Bluesky. Post it there from the Bluesky app with a shorter text.",
    );
    expect(other.calls()).toEqual([]);
  });

  it("makes a photo over 1 MB smaller before uploading it", async () => {
    const world = await blueskyWorld();
    const photo = image("huge", { width: 4000, height: 3000 });
    world.files.set(photo.url, mediaBytes("jpeg", 3_500_000));

    expect(await world.step(world.job(post("photo", [photo])))).toMatchObject({
      outcome: { type: "posted" },
    });

    expect(world.shrinks).toEqual([{ size: 3_500_000, maxBytes: 1_000_000 }]);
    expect(world.bluesky.blobs(DID)[0]?.size).toBe(900_000);
    // Made smaller, not cropped: the shape stays.
    expect(world.bluesky.posts()[0]?.record.embed).toMatchObject({
      images: [{ aspectRatio: { width: 4000, height: 3000 } }],
    });
  });

  it("refuses a photo over 1 MB that cannot be made smaller, before any call", async () => {
    const world = await blueskyWorld();
    const photo = image("huge");
    world.files.set(photo.url, mediaBytes("jpeg", 3_500_000));
    world.breakShrinking();
    const error = failure(await world.step(world.job(post("photo", [photo]))));
    expect(error).toBeInstanceOf(NotShareableError);
    expect(error.message).toContain("larger than the 1 MB Bluesky takes");
    expect(world.calls()).toEqual([]);
  });

  it("says in words when the account's server takes no file this large", async () => {
    const world = await blueskyWorld();
    world.bluesky.blobUploadLimit = 2_000_000;
    const error = failure(await world.step(world.job(post("reel", [video("reel")]))));
    expect(error).toMatchObject({
      kind: "invalid",
      message: "the video (5.0 MB) is larger than your Bluesky server takes.",
      details: { status: 413, xrpcError: "PayloadTooLarge" },
    });
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("makes no post when the share is stopped before the final call", async () => {
    const world = await blueskyWorld();
    world.stop();
    const error = failure(await world.step(world.job(post("photo", [image("a")]))));
    expect(error).toBeInstanceOf(NotShareableError);
    expect(world.calls()).toEqual([`POST ${PDS_HOST} com.atproto.repo.uploadBlob`]);
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("sends the access token in the Authorization header only, with no cookie, and each file with its type", async () => {
    const world = await blueskyWorld();
    await world.step(world.job(post("photo", [image("a")])));
    const requests = world.bluesky.requests();
    expect(requests.every((request) => request.tokenIn === "header" && !request.cookie)).toBe(true);
    expect(requests.every((request) => request.host !== ENTRYWAY_HOST)).toBe(true);
    expect(requests[0]).toMatchObject({
      nsid: "com.atproto.repo.uploadBlob",
      contentType: "image/jpeg",
      size: 200_000,
    });
    expect(requests[1]?.contentType).toBe("application/json");
  });

  it("tells the caption rules what a post may hold", async () => {
    const world = await blueskyWorld();
    expect(world.destination.limits(world.account)).toEqual({
      text: { max: 300, counts: "graphemes" },
      images: 4,
      videos: 1,
      mixed: false,
      videoSeconds: { min: 0, max: 600 },
      firstComment: false,
    });
    expect(world.destination.limits(world.account)).toBe(BLUESKY_LIMITS);
  });
});
