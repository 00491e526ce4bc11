import { describe, expect, it } from "vitest";
import { jobsOfPost } from "@/lib/db/jobs";
import { readNewPostsState } from "@/lib/db/new-posts";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import { createComposerHandlers } from "@/lib/handlers/composer";
import { createNewPostsWatcher } from "@/lib/handlers/new-posts";
import { shortcodeFromPk } from "@/lib/instagram/shortcode";
import { updateSettings } from "@/lib/settings/store";
import { giveConsent, linkPage, quietHandlerDeps } from "../../support/fixtures";
import { contentSender } from "../../support/senders";

const IG_USER = "17841400000000001";
const CDN = "https://scontent.cdninstagram.com/v/t51.29350-15";
const instagram = { state: "linked" as const, id: IG_USER, username: "acme.bakery" };

type Posted = { pk: string; at: string; type?: "IMAGE" | "VIDEO"; reel?: boolean };

/** Instagram's API listing the account's posts, newest first, as Graph answers `/{ig-user}/media`. */
function instagramApi() {
  const posts: Posted[] = [];
  const calls: GraphRequest[] = [];
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      if (request.path !== `/${IG_USER}/media`) throw new Error(`unexpected ${request.path}`);
      return {
        data: [...posts].reverse().map((post) => ({
          id: `1789${post.pk.slice(-12)}`,
          caption: `Post ${post.pk} #bakery`,
          media_type: post.type ?? "IMAGE",
          ...(post.reel && { media_product_type: "REELS" }),
          media_url: `${CDN}/${post.pk}_n.${post.type === "VIDEO" ? "mp4" : "jpg"}`,
          permalink: `https://www.instagram.com/p/${shortcodeFromPk(post.pk)}/`,
          shortcode: shortcodeFromPk(post.pk),
          timestamp: post.at,
        })),
      };
    },
  };
  return { client, calls, post: (post: Posted) => posts.push(post) };
}

function watch(graph: GraphClient) {
  const { deps, kicks } = quietHandlerDeps(graph, () => Date.parse("2026-12-02T10:00:00Z"));
  return { watcher: createNewPostsWatcher(deps), composer: createComposerHandlers(deps), kicks };
}

const photosAndReels = { newPosts: { photo: true, reel: true } };

describe("posts made anywhere, shared as they appear", () => {
  it("shares nothing posted before the first look, then each new post once, to the Page the account is linked to", async () => {
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    await updateSettings(photosAndReels);
    const api = instagramApi();
    api.post({ pk: "3100000000000000001", at: "2026-12-01T08:00:00+0000" });
    api.post({ pk: "3100000000000000002", at: "2026-12-01T09:00:00+0000" });
    const { watcher } = watch(api.client);

    await watcher.look();
    expect(await jobsOfPost("3100000000000000001")).toEqual([]);
    expect(await jobsOfPost("3100000000000000002")).toEqual([]);
    expect((await readNewPostsState()).lastCheckedAt).toBe(Date.parse("2026-12-02T10:00:00Z"));

    api.post({ pk: "3100000000000000003", at: "2026-12-02T09:30:00+0000" });
    await watcher.look();
    await watcher.look();
    const jobs = await jobsOfPost("3100000000000000003");
    expect(jobs.map((job) => [job.targetId, job.message])).toEqual([
      ["1001", "Post 3100000000000000003 #bakery"],
    ]);
    expect(await jobsOfPost("3100000000000000002")).toEqual([]);
  });

  it("leaves alone the kinds not ticked, a post the composer shared, and one published with the switch off", async () => {
    await giveConsent();
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    await linkPage({ id: "1002", name: "Acme Café", token: "EAAGcafetoken0123456789abcdef" });
    await updateSettings({ newPosts: { photo: true } });
    const api = instagramApi();
    const { watcher, composer } = watch(api.client);
    // An account with no post yet: what comes after this look is new.
    await watcher.look();

    api.post({ pk: "3200000000000000001", at: "2026-12-02T10:05:00+0000", type: "VIDEO", reel: true });
    api.post({ pk: "3200000000000000002", at: "2026-12-02T10:06:00+0000" });
    api.post({ pk: "3200000000000000003", at: "2026-12-02T10:07:00+0000" });
    api.post({ pk: "3200000000000000004", at: "2026-12-02T10:08:00+0000" });
    // The composer shared the second to the Bakery only; the third went out with the switch off.
    await composer["share.request"](
      {
        post: {
          pk: "3200000000000000002",
          code: shortcodeFromPk("3200000000000000002"),
          kind: "photo",
          caption: "From the composer",
          media: [{ type: "image", url: `${CDN}/3200000000000000002_n.jpg` }],
        },
        targets: ["1001"],
        message: "From the composer",
      },
      contentSender(),
    );
    await composer["share.declined"]({ pk: "3200000000000000003" }, contentSender());

    await watcher.look();
    expect(await jobsOfPost("3200000000000000001")).toEqual([]);
    expect((await jobsOfPost("3200000000000000002")).map((job) => job.targetId)).toEqual(["1001"]);
    expect(await jobsOfPost("3200000000000000003")).toEqual([]);
    expect((await jobsOfPost("3200000000000000004")).map((job) => job.targetId)).toEqual(["1001"]);
  });

  it("asks Instagram nothing while no kind is ticked", async () => {
    await linkPage({ id: "1001", name: "Acme Bakery", instagram });
    const api = instagramApi();
    await watch(api.client).watcher.look();
    expect(api.calls).toEqual([]);
  });
});
