import { describe, expect, it } from "vitest";
import { jobsOfPost } from "@/lib/db/jobs";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import { createComposerHandlers } from "@/lib/handlers/composer";
import { createInstagramHandlers } from "@/lib/handlers/instagram";
import { shortcodeFromPk } from "@/lib/instagram/shortcode";
import { giveConsent, linkPage, photoPost, quietHandlerDeps } from "../../support/fixtures";
import { contentSender, pageSender } from "../../support/senders";

const IG_USER = "17841400000000001";
const IG_MEDIA = "17895695668004550";
const PK = photoPost().pk;
const CDN = "https://scontent.cdninstagram.com/v/t51.29350-15";
const instagram = { state: "linked" as const, id: IG_USER, username: "acme.bakery" };

/** Instagram's API as Graph answers it for the one post, with its file at `mediaUrl`. */
function instagramGraph(mediaUrl = `${CDN}/${PK}_n.jpg`) {
  const calls: GraphRequest[] = [];
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      if (request.path === `/${IG_MEDIA}`) {
        return {
          id: IG_MEDIA,
          caption: "Fresh sourdough today 🍞 #bakery",
          media_type: "IMAGE",
          media_url: mediaUrl,
          permalink: `https://www.instagram.com/p/${shortcodeFromPk(PK)}/`,
          shortcode: shortcodeFromPk(PK),
          timestamp: "2026-08-01T12:34:56+0000",
        };
      }
      throw new Error(`unexpected ${request.path}`);
    },
  };
  return { client, calls };
}

function handlers(graph: GraphClient) {
  const { deps, kicks } = quietHandlerDeps(graph, () => 1_780_000_000_000);
  return { ...createInstagramHandlers(deps), ...createComposerHandlers(deps), kicks };
}

const sharePast = (background: ReturnType<typeof handlers>, pageIds = ["1001", "1002"]) =>
  background["instagram.sharePast"](
    { instagramId: IG_USER, igMediaId: IG_MEDIA, pageIds, message: "Fresh sourdough today" },
    pageSender("options.html"),
  );

describe("sharing a past post from the list of recent Instagram posts", () => {
  it("makes one job per chosen Page, keyed by the post's web pk, with the post read from Instagram", async () => {
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    await linkPage({ id: "1002", name: "Acme Café", token: "EAAGcafetoken0123456789abcdef" });
    const graph = instagramGraph();
    const background = handlers(graph.client);
    const jobs = await sharePast(background);
    expect(jobs.map((job) => job.id).sort()).toEqual([`${PK}:1001`, `${PK}:1002`]);
    expect(jobs[0]).toMatchObject({ state: "queued", kind: "photo", message: "Fresh sourdough today" });
    expect((await jobsOfPost(PK))[0]?.post.media[0]?.url).toBe(`${CDN}/${PK}_n.jpg`);
    expect(graph.calls).toEqual([
      expect.objectContaining({ path: `/${IG_MEDIA}`, token: "EAAGpagetoken0123456789abcdef" }),
    ]);
    expect(background.kicks()).toBe(1);
  });

  it("creates nothing new for a post the composer already shared to that Page", async () => {
    await giveConsent();
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    const background = handlers(instagramGraph().client);
    await background["share.request"](
      { post: photoPost(), targets: ["1001"], message: "From the composer" },
      contentSender(),
    );
    const jobs = await sharePast(background, ["1001"]);
    expect(jobs).toEqual([expect.objectContaining({ id: `${PK}:1001`, message: "From the composer" })]);
    expect(await jobsOfPost(PK)).toHaveLength(1);
  });

  it("refuses a post whose file Instagram's API names off its CDN, creating nothing", async () => {
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    const background = handlers(instagramGraph("https://media.example.com/evil.jpg").client);
    await expect(sharePast(background, ["1001"])).rejects.toThrow(/not on its own servers/);
    expect(await jobsOfPost(PK)).toEqual([]);
  });

  it("refuses when no linked Page reads that Instagram account", async () => {
    await linkPage({ id: "1001", name: "Acme Bakery" });
    const graph = instagramGraph();
    await expect(sharePast(handlers(graph.client), ["1001"])).rejects.toThrow(/No linked Page can read/);
    expect(graph.calls).toEqual([]);
  });
});
