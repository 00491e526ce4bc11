import { describe, expect, it } from "vitest";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import {
  fetchLinkedInstagram,
  listRecentMedia,
  publishedPostOf,
  UnshareableMediaError,
} from "@/lib/facebook/instagram-api";
import { shortcodeFromPk } from "@/lib/instagram/shortcode";

const TOKEN = "EAAGpagetoken0123456789abcdef";
const CDN = "https://scontent.cdninstagram.com/v/t51.29350-15";

function graphAnswering(...answers: unknown[]) {
  const calls: GraphRequest[] = [];
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { client, calls };
}

const media = (pk: string, overrides: object = {}) => ({
  id: `1789${pk.slice(-13)}`,
  caption: "Rye day #bakery",
  media_type: "IMAGE",
  media_url: `${CDN}/${pk}_n.jpg`,
  permalink: `https://www.instagram.com/p/${shortcodeFromPk(pk)}/`,
  shortcode: shortcodeFromPk(pk),
  timestamp: "2026-08-01T12:34:56+0000",
  ...overrides,
});

describe("which Instagram account a Page is linked to", () => {
  it("names the account Facebook gives", async () => {
    const graph = graphAnswering({
      id: "1001",
      instagram_business_account: { id: "17841400000000001", username: "acme.bakery" },
    });
    expect(await fetchLinkedInstagram(graph.client, { pageId: "1001", token: TOKEN })).toEqual({
      state: "linked",
      id: "17841400000000001",
      username: "acme.bakery",
    });
    expect(graph.calls[0]).toMatchObject({
      path: "/1001",
      params: { fields: "instagram_business_account{id,username,profile_picture_url}" },
    });
  });

  it("says none when the Page has no Instagram account, and no permission on a code 10 answer", async () => {
    expect(
      await fetchLinkedInstagram(graphAnswering({ id: "1001" }).client, { pageId: "1001", token: TOKEN }),
    ).toEqual({
      state: "none",
    });
    const refused = graphAnswering(
      new GraphError("permission", "(#10) Application does not have permission"),
    );
    expect(await fetchLinkedInstagram(refused.client, { pageId: "1001", token: TOKEN })).toEqual({
      state: "no-permission",
    });
  });

  it("turns a garbled answer into a clear error", async () => {
    const graph = graphAnswering({ id: "1001", instagram_business_account: { id: "x", username: 5 } });
    await expect(fetchLinkedInstagram(graph.client, { pageId: "1001", token: TOKEN })).rejects.toThrow(
      /which Instagram account is linked.*not in the expected shape/,
    );
  });
});

describe("an Instagram account's recent posts", () => {
  it("follows the after cursor until it has as many as asked", async () => {
    const graph = graphAnswering(
      {
        data: [media("3141592653589793238")],
        paging: { cursors: { after: "c1" }, next: "https://graph.facebook.com/next" },
      },
      {
        data: [media("3141592653589793237"), media("3141592653589793236")],
        paging: { cursors: { after: "c2" } },
      },
    );
    const posts = await listRecentMedia(graph.client, {
      igUserId: "17841400000000001",
      token: TOKEN,
      count: 5,
    });
    expect(posts.map((post) => post.shortcode)).toEqual(
      ["3141592653589793238", "3141592653589793237", "3141592653589793236"].map(shortcodeFromPk),
    );
    expect(graph.calls.map((call) => call.params?.after)).toEqual([undefined, "c1"]);
  });

  it("turns a garbled list into a clear error", async () => {
    const graph = graphAnswering({ data: [{ id: "1", media_type: "HOLOGRAM" }] });
    await expect(
      listRecentMedia(graph.client, { igUserId: "17841400000000001", token: TOKEN, count: 5 }),
    ).rejects.toThrow(/list of your Instagram posts.*not in the expected shape/);
  });
});

describe("a post from Instagram's API as the queue shares it", () => {
  it("carries the web pk its shortcode stands for, the id the composer's jobs use", () => {
    const post = publishedPostOf(media("3141592653589793238") as never);
    expect(post).toMatchObject({ pk: "3141592653589793238", kind: "photo", caption: "Rye day #bakery" });
  });

  it("reads kinds and files: a carousel's children, a reel, a video", () => {
    const carousel = publishedPostOf(
      media("3141592653589793238", {
        media_type: "CAROUSEL_ALBUM",
        children: {
          data: [
            { media_type: "IMAGE", media_url: `${CDN}/1_n.jpg` },
            { media_type: "VIDEO", media_url: `${CDN}/2_n.mp4` },
          ],
        },
      }) as never,
    );
    expect(carousel.kind).toBe("carousel");
    expect(carousel.media.map((item) => item.type)).toEqual(["image", "video"]);
    const video = { media_type: "VIDEO", media_url: `${CDN}/3_n.mp4` };
    expect(
      publishedPostOf(media("3141592653589793238", { ...video, media_product_type: "REELS" }) as never).kind,
    ).toBe("reel");
    expect(
      publishedPostOf(media("3141592653589793238", { ...video, media_product_type: "FEED" }) as never).kind,
    ).toBe("video");
  });

  it("refuses a post whose file is not on Instagram's CDN", () => {
    const offCdn = media("3141592653589793238", { media_url: "https://evil.example/3_n.jpg" });
    expect(() => publishedPostOf(offCdn as never)).toThrow(UnshareableMediaError);
    expect(() => publishedPostOf(offCdn as never)).toThrow(/not on its own servers/);
  });
});
