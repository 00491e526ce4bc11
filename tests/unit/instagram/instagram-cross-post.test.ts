import { describe, expect, it } from "vitest";
import { summarizeConfigureAnswer } from "../../../lib/instagram/configure";
import { instagramSharedToSchema } from "../../../lib/instagram/post";

const CDN = "https://scontent.cdninstagram.com";
const IG = "https://www.instagram.com/api/v1/media";

// Instagram web's configure answer when its own cross-post went through (DESIGN §2).
const crossPosted = {
  status: "ok",
  media: {
    pk: "3141592653589793238",
    code: "C9xYz_AbCdE",
    media_type: 1,
    image_versions2: { candidates: [{ url: `${CDN}/v/t51.2885-15/1_n.jpg`, width: 1080, height: 1080 }] },
    crosspost: ["FB"],
    crosspost_metadata: { fb_crosspost_fbid: "122100000000000001" },
    has_shared_to_fb: 1,
  },
};
const notCrossPosted = {
  ...crossPosted,
  media: { ...crossPosted.media, crosspost: [], crosspost_metadata: {}, has_shared_to_fb: 0 },
};

const form = (fields: Record<string, string>) =>
  new URLSearchParams({ upload_id: "1780000000000", caption: "Fresh bread", ...fields }).toString();

const sharedTo = (endpoint: string, answer: unknown, body: string) => {
  const summary = summarizeConfigureAnswer(`${IG}/${endpoint}/`, answer, body);
  return instagramSharedToSchema.safeParse(summary?.instagramSharedTo).data;
};

describe("Instagram's own cross-post, read from the publish request and its answer", () => {
  it("a photo Instagram posted to a Page names that Page", () => {
    const body = form({
      share_to_facebook: "1",
      share_to_fb_destination_type: "PAGE",
      share_to_fb_destination_id: "1001",
    });
    expect(sharedTo("configure", crossPosted, body)).toEqual({
      type: "page",
      id: "1001",
      postId: "122100000000000001",
    });
  });

  it("a carousel's JSON body is read the same way", () => {
    const body = JSON.stringify({
      caption: "Market day",
      children_metadata: [{ upload_id: "1" }, { upload_id: "2" }],
      share_to_facebook: "1",
      share_to_fb_destination_type: "PAGE",
      share_to_fb_destination_id: "1002",
    });
    expect(sharedTo("configure_sidecar", crossPosted, body)).toEqual({
      type: "page",
      id: "1002",
      postId: "122100000000000001",
    });
  });

  it("a reel Instagram posted to the personal profile says the profile, no Page", () => {
    const body = form({ share_to_facebook: "1", share_to_fb_destination_type: "USER" });
    expect(sharedTo("configure_to_clips", crossPosted, body)).toEqual({ type: "user" });
  });

  it("the toggle off (an empty share_to_facebook) is no cross-post", () => {
    const body = form({ share_to_facebook: "", share_to_fb_destination_type: "PAGE" });
    expect(sharedTo("configure", crossPosted, body)).toBeUndefined();
  });

  it("a cross-post asked for but not confirmed by the answer is no cross-post", () => {
    const body = form({
      share_to_facebook: "1",
      share_to_fb_destination_type: "PAGE",
      share_to_fb_destination_id: "1001",
    });
    expect(sharedTo("configure", notCrossPosted, body)).toBeUndefined();
  });

  it("a request body we could not see is no cross-post", () => {
    expect(summarizeConfigureAnswer(`${IG}/configure/`, crossPosted)?.instagramSharedTo).toBeUndefined();
  });
});
