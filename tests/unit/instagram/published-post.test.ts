import { describe, expect, it } from "vitest";
import { summarizeConfigureAnswer } from "../../../lib/instagram/configure";
import { publishedPostSchema } from "../../../lib/instagram/post";

const CDN = "https://scontent.cdninstagram.com";
const image = (id: string) => ({
  candidates: [{ url: `${CDN}/v/t51.2885-15/${id}_n.jpg?stp=dst-jpg_e35`, width: 1080, height: 1080 }],
});
const video = (id: string) => [
  { type: 101, url: `${CDN}/o1/v/t16/f2/m86/${id}_n.mp4`, width: 720, height: 1280 },
];
const answer = (media: Record<string, unknown>) => ({
  status: "ok",
  media: { pk: "3141592653589793238", id: "3141592653589793238_5723140019", code: "C9xYz_AbCdE", ...media },
});
const parse = (url: string, body: unknown) =>
  publishedPostSchema.safeParse(summarizeConfigureAnswer(`https://www.instagram.com${url}`, body));

describe("a configure answer becomes a post to share", () => {
  it("a mixed carousel keeps every item in order, photo and video", () => {
    const result = parse(
      "/api/v1/media/configure_sidecar/",
      answer({
        media_type: 8,
        caption: { text: "Market day 🧺" },
        carousel_media: [
          { media_type: 1, image_versions2: image("1") },
          { media_type: 2, image_versions2: image("2"), video_versions: video("2") },
          { media_type: 1, image_versions2: image("3") },
        ],
      }),
    );
    expect(result.success && result.data).toMatchObject({
      kind: "carousel",
      caption: "Market day 🧺",
      media: [{ type: "image" }, { type: "video", width: 720, height: 1280 }, { type: "image" }],
    });
  });

  it("a reel's 'Transcode not finished yet.' is no post; its final answer is a reel", () => {
    const pending = { status: "fail", message: "Transcode not finished yet." };
    expect(
      summarizeConfigureAnswer("https://www.instagram.com/api/v1/media/configure_to_clips/", pending),
    ).toBe(undefined);
    const done = parse(
      "/api/v1/media/configure_to_clips/",
      answer({
        media_type: 2,
        product_type: "clips",
        image_versions2: image("4"),
        video_versions: video("4"),
      }),
    );
    expect(done.success && done.data).toMatchObject({ kind: "reel", media: [{ type: "video" }] });
  });

  it("keeps a reel's length and the alt text of a photo and of each carousel item, and no alt where none was written", () => {
    const reel = parse(
      "/api/v1/media/configure_to_clips/",
      answer({ media_type: 2, product_type: "clips", video_versions: video("8"), video_duration: 130.4 }),
    );
    const photo = parse(
      "/api/v1/media/configure/",
      answer({ media_type: 1, image_versions2: image("9"), accessibility_caption: "A sourdough loaf" }),
    );
    const carousel = parse(
      "/api/v1/media/configure_sidecar/",
      answer({
        media_type: 8,
        carousel_media: [
          { media_type: 1, image_versions2: image("10"), accessibility_caption: "Rye bread, sliced" },
          { media_type: 1, image_versions2: image("11"), accessibility_caption: null },
        ],
      }),
    );
    expect(reel.success && reel.data.media).toEqual([expect.objectContaining({ duration: 130.4 })]);
    expect(photo.success && photo.data.media[0]?.alt).toBe("A sourdough loaf");
    expect(carousel.success && carousel.data.media.map((item) => item.alt)).toEqual([
      "Rye bread, sliced",
      undefined,
    ]);
  });

  it("a feed video is a video, a single photo a photo", () => {
    const videoPost = parse(
      "/api/v1/media/configure/",
      answer({ media_type: 2, video_versions: video("5") }),
    );
    const photoPost = parse(
      "/api/v1/media/configure/",
      answer({ media_type: 1, image_versions2: image("6") }),
    );
    expect(videoPost.success && videoPost.data.kind).toBe("video");
    expect(photoPost.success && photoPost.data.kind).toBe("photo");
  });
});

describe("the page's summary is refused when", () => {
  const good = summarizeConfigureAnswer(
    "https://www.instagram.com/api/v1/media/configure/",
    answer({ media_type: 1, caption: { text: "ok" }, image_versions2: image("7") }),
  ) as Record<string, unknown> & { media: Record<string, unknown>[] };
  const withMedia = (item: Record<string, unknown>) => ({ ...good, media: [{ ...good.media[0], ...item }] });

  it.each([
    ["the media id is not digits", { ...good, pk: "31415x" }],
    ["the media id is too long", { ...good, pk: "1".repeat(31) }],
    ["the shortcode could break out of the permalink", { ...good, code: "abc/../x" }],
    ["the caption is over 100,000 characters", { ...good, caption: "a".repeat(100_001) }],
    ["there is no media", { ...good, media: [] }],
    ["there are more than 20 media", { ...good, media: Array.from({ length: 21 }, () => good.media[0]) }],
    ["a media is not on Instagram's CDN", withMedia({ url: "https://evil.example/x.jpg" })],
    ["a media URL is not https", withMedia({ url: "http://scontent.cdninstagram.com/x.jpg" })],
    ["a media URL is over 4096 characters", withMedia({ url: `${CDN}/${"a".repeat(4096)}` })],
    ["a width is not a whole number of pixels", withMedia({ width: 10.5 })],
    ["a height is negative", withMedia({ height: -1 })],
    ["a width is a string", withMedia({ width: "1080" })],
  ])("%s", (_reason, summary) => {
    expect(publishedPostSchema.safeParse(summary).success).toBe(false);
  });

  it("(and accepted when everything is in order)", () => {
    expect(publishedPostSchema.safeParse(good).success).toBe(true);
    expect(publishedPostSchema.safeParse(withMedia({ width: undefined, height: undefined })).success).toBe(
      true,
    );
  });
});
