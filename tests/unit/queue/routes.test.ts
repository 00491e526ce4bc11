import { describe, expect, it } from "vitest";
import { recentEvents } from "@/lib/db/events";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { facebookDestinations } from "@/lib/facebook/destinations";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphRequest } from "@/lib/facebook/graph";
import type { MediaItem, PublishedPost } from "@/lib/instagram/post";
import { LOOK_AGAIN_MS } from "@/lib/queue/backoff";
import { createQueue } from "@/lib/queue/queue";
import { jobFor, linkPage, photoPost } from "../../support/fixtures";

const cdn = (name: string) => `https://scontent.cdninstagram.com/v/t51.2885-15/${name}`;
const image = (name: string): MediaItem => ({ type: "image", url: cdn(`${name}.jpg`) });
const video = (name: string): MediaItem => ({ type: "video", url: cdn(`${name}.mp4`) });

function post(kind: PublishedPost["kind"], media: MediaItem[], pk = "4000000000000000001"): PublishedPost {
  return { ...photoPost(pk, `A ${kind} from the bakery`), kind, media };
}

/**
 * A fake Graph API that answers like Facebook per route, counts what it published, and can be
 * told to fail a call (by path) once.
 */
function fakeFacebook() {
  const calls: GraphRequest[] = [];
  const published: { path: string; message: string }[] = [];
  const failures: { path: RegExp; error: Error; onHit?: () => void }[] = [];
  let lists: { posts: unknown[]; videos: unknown[] } = { posts: [], videos: [] };
  let id = 0;
  const next = () => String(++id);
  return {
    calls,
    published,
    failOnce(path: RegExp, error: Error, onHit?: () => void) {
      failures.push({ path, error, onHit });
    },
    listing(posts: unknown[], videos: unknown[] = []) {
      lists = { posts, videos };
    },
    client: {
      async call(request: GraphRequest) {
        calls.push(request);
        const failure = failures.find((entry) => entry.path.test(request.path));
        if (failure) {
          failures.splice(failures.indexOf(failure), 1);
          failure.onHit?.();
          throw failure.error;
        }
        const params = request.params ?? {};
        const edge = request.path.split("/")[2];
        if (request.method === "GET") return { data: edge === "videos" ? lists.videos : lists.posts };
        if (edge === "photos" && params.published === false) return { id: next() };
        const message = String(params.message ?? params.description ?? "");
        if (edge === "videos") {
          published.push({ path: request.path, message });
          return { id: next() };
        }
        const postId = `1001_${next()}`;
        published.push({ path: request.path, message });
        if (edge === "photo_stories") return { success: true, post_id: postId };
        if (edge === "photos") return { id: next(), post_id: postId };
        return { id: postId };
      },
    },
  };
}

function setup(options: { online?: () => boolean } = {}) {
  const facebook = fakeFacebook();
  const downloads: string[] = [];
  const tabs: string[] = [];
  const changes: JobRecord[] = [];
  let clock = 5_000_000;
  const queue = createQueue({
    destinations: facebookDestinations({
      graph: facebook.client,
      download: async (url) => {
        downloads.push(url);
        return new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" });
      },
      openTab: async (url) => {
        tabs.push(url);
      },
      appId: async () => undefined,
    }),
    isOnline: options.online ?? (() => true),
    now: () => clock,
    random: () => 0.5,
    owner: "worker-1",
    onJobChanged: (job) => changes.push(job),
    onAccountsChanged: () => undefined,
    scheduleWake: () => undefined,
  });
  return {
    facebook,
    queue,
    downloads,
    tabs,
    changes,
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

describe("what reaches Facebook for each kind of Instagram post", () => {
  it("posts a carousel of photos as one post with every photo attached", async () => {
    const page = await linkPage();
    const carousel = post("carousel", [image("a"), image("b"), image("c")]);
    const { facebook, queue } = setup();
    await addJobsOnce([jobFor(carousel, page)]);

    await queue.kick();

    const uploads = facebook.calls.filter((call) => call.path === "/1001/photos");
    expect(uploads.map((call) => call.params)).toEqual(
      ["a", "b", "c"].map((name) => ({ url: cdn(`${name}.jpg`), published: false })),
    );
    const feed = facebook.calls.find((call) => call.path === "/1001/feed");
    expect(JSON.parse(String(feed?.params?.attached_media))).toEqual([
      { media_fbid: "1" },
      { media_fbid: "2" },
      { media_fbid: "3" },
    ]);
    expect(facebook.published).toEqual([{ path: "/1001/feed", message: carousel.caption }]);
    expect(await getJob(`${carousel.pk}:1001`)).toMatchObject({
      state: "shared",
      result: { postId: "1001_4", url: "https://www.facebook.com/1001_4" },
    });
  });

  it("shares the photos of a carousel that mixes in a video, and says the video was left out", async () => {
    const page = await linkPage();
    const mixed = post("carousel", [image("a"), video("v"), image("b")]);
    const { facebook, queue } = setup();
    await addJobsOnce([jobFor(mixed, page)]);

    await queue.kick();

    expect(facebook.calls.some((call) => call.path === "/1001/videos")).toBe(false);
    expect(facebook.published).toHaveLength(1);
    expect((await getJob(`${mixed.pk}:1001`))?.state).toBe("shared");
    expect((await recentEvents(5))[0]?.message).toMatch(/without its video/);
  });

  // Reels go through Facebook's Reels route (reels.test.ts); a plain video goes to the Page's videos.
  it.each(["video"] as const)(
    "posts a %s to the Page's videos with the caption as description",
    async (kind) => {
      const page = await linkPage();
      const clip = post(kind, [video("clip")]);
      const { facebook, queue } = setup();
      await addJobsOnce([jobFor(clip, page)]);

      await queue.kick();

      expect(facebook.calls).toHaveLength(1);
      expect(facebook.calls[0]).toMatchObject({
        method: "POST",
        path: "/1001/videos",
        params: { file_url: cdn("clip.mp4"), description: clip.caption },
      });
      expect(await getJob(`${clip.pk}:1001`)).toMatchObject({
        state: "shared",
        result: { url: "https://www.facebook.com/1001/videos/1/" },
      });
    },
  );

  it("uploads the photo's bytes itself when Facebook cannot fetch Instagram's URL", async () => {
    const page = await linkPage();
    const photo = photoPost();
    const { facebook, queue, downloads } = setup();
    facebook.failOnce(
      /\/photos$/,
      new GraphError("media-unreachable", "(#324) Missing or invalid image file"),
    );
    await addJobsOnce([jobFor(photo, page)]);

    await queue.kick();

    expect(downloads).toEqual([photo.media[0]?.url]);
    const [byUrl, bySource] = facebook.calls;
    expect(byUrl?.params?.url).toBe(photo.media[0]?.url);
    expect(bySource?.params?.source).toBeInstanceOf(Blob);
    expect(bySource?.params?.url).toBeUndefined();
    expect(facebook.published).toHaveLength(1);
    expect((await getJob(`${photo.pk}:1001`))?.state).toBe("shared");
  });

  it("posts a photo story: an unpublished photo, then the story showing it", async () => {
    const page = await linkPage();
    const story = post("story", [image("s")]);
    const { facebook, queue } = setup();
    await addJobsOnce([jobFor(story, page)]);

    await queue.kick();

    expect(facebook.calls.map((call) => [call.path, call.params])).toEqual([
      ["/1001/photos", { url: cdn("s.jpg"), published: false }],
      ["/1001/photo_stories", { photo_id: "1" }],
    ]);
    expect((await getJob(`${story.pk}:1001`))?.state).toBe("shared");
  });

  it("fails a video story with a plain reason, without calling Facebook", async () => {
    const page = await linkPage();
    const story = post("story", [video("s")]);
    const { facebook, queue } = setup();
    await addJobsOnce([jobFor(story, page)]);

    await queue.kick();

    expect(facebook.calls).toHaveLength(0);
    expect(await getJob(`${story.pk}:1001`)).toMatchObject({
      state: "failed",
      // Our own refusal, in our words: Facebook was never asked.
      lastError: {
        kind: "not-shareable",
        message:
          "alsoshare cannot share video stories to a Facebook Page yet. Share the video as a reel instead.",
      },
    });
  });

  it("finds a video a dead worker posted among the Page's videos, and does not post it again", async () => {
    const page = await linkPage();
    const clip = post("reel", [video("clip")]);
    const { facebook, queue } = setup();
    facebook.listing(
      [],
      [{ id: "777", description: clip.caption, created_time: "2026-11-21T10:00:00+0000" }],
    );
    await addJobsOnce([{ ...jobFor(clip, page), needsReconcile: true, attempts: 1 }]);

    await queue.kick();

    expect(facebook.published).toHaveLength(0);
    expect(facebook.calls.map((call) => call.path)).toEqual(["/1001/published_posts", "/1001/videos"]);
    expect((await getJob(`${clip.pk}:1001`))?.result).toEqual({
      postId: "777",
      url: "https://www.facebook.com/1001/videos/777/",
    });
  });

  it("finds a carousel a dead worker posted among the Page's posts, by its message", async () => {
    const page = await linkPage();
    const carousel = post("carousel", [image("a"), image("b")]);
    const { facebook, queue } = setup();
    facebook.listing([{ id: "1001_55", message: carousel.caption }]);
    await addJobsOnce([{ ...jobFor(carousel, page), needsReconcile: true, attempts: 1 }]);

    await queue.kick();

    expect(facebook.published).toHaveLength(0);
    expect((await getJob(`${carousel.pk}:1001`))?.result?.postId).toBe("1001_55");
  });

  it("never posts a story twice: one whose fate is unknown waits for the user to look", async () => {
    const page = await linkPage();
    const story = post("story", [image("s")]);
    const { facebook, queue } = setup();
    await addJobsOnce([{ ...jobFor(story, page), needsReconcile: true, attempts: 1 }]);

    await queue.kick();

    expect(facebook.published).toHaveLength(0);
    expect(await getJob(`${story.pk}:1001`)).toMatchObject({
      state: "failed",
      needsReconcile: false,
      lastError: { message: expect.stringMatching(/Check the Page's stories/) },
    });
  });
});

describe("sharing to a personal profile", () => {
  it("opens Facebook's share dialog with the post's link, and calls no Graph API", async () => {
    const profile = await linkPage({ id: "profile", kind: "profile", name: "Ana", token: undefined });
    const photo = photoPost();
    const { facebook, queue, tabs } = setup();
    await addJobsOnce([jobFor(photo, profile)]);

    await queue.kick();

    const dialog = `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent("https://www.instagram.com/p/C9xYz_AbCdE/")}`;
    expect(tabs).toEqual([dialog]);
    expect(facebook.calls).toHaveLength(0);
    const job = await getJob(`${photo.pk}:profile`);
    expect(job).toMatchObject({ state: "shared", result: { url: dialog } });
    expect(job?.lastError).toBeUndefined();
  });
});

describe("errors the user must act on", () => {
  it("fails on a permission error with Facebook's words and what to do", async () => {
    const page = await linkPage();
    const photo = photoPost();
    const { facebook, queue } = setup();
    facebook.failOnce(/photos/, new GraphError("permission", "(#200) Permissions error", { code: 200 }));
    await addJobsOnce([jobFor(photo, page)]);

    await queue.kick();
    await queue.kick();

    expect(facebook.calls).toHaveLength(1);
    const job = await getJob(`${photo.pk}:1001`);
    expect(job?.state).toBe("failed");
    expect(job?.lastError?.message).toBe(
      "Facebook did not let Acme Bakery publish this: (#200) Permissions error Check that the app may post for this Page (pages_manage_posts), link it again, then press Retry.",
    );
  });

  it("waits an hour when Facebook has temporarily blocked posting", async () => {
    const page = await linkPage();
    const photo = photoPost();
    const { facebook, queue, now } = setup();
    facebook.failOnce(/photos/, new GraphError("blocked", "deemed abusive", { code: 368 }));
    await addJobsOnce([jobFor(photo, page)]);

    await queue.kick();

    const job = await getJob(`${photo.pk}:1001`);
    expect(job).toMatchObject({ state: "queued", nextAttemptAt: now() + 60 * 60_000 });
    expect(job?.lastError?.message).toMatch(/temporarily blocked.*about 60 minutes/);
  });
});

describe("offline", () => {
  it("waits for the network without spending attempts, and shares once it is back", async () => {
    const page = await linkPage();
    const photo = photoPost();
    let online = true;
    const { facebook, queue, advance, now } = setup({ online: () => online });
    // The network drops while the post is being sent.
    facebook.failOnce(
      /feed/,
      new GraphError("transient", "Could not reach Facebook (network error).", {
        outcomeUnknown: true,
        networkError: true,
      }),
      () => {
        online = false;
      },
    );
    await addJobsOnce([jobFor(photo, page)]);
    await queue.kick();
    const waiting = await getJob(`${photo.pk}:1001`);
    expect(waiting).toMatchObject({ state: "queued", attempts: 0, lastError: { kind: "offline" } });

    // Still offline when the job is due again: nothing is claimed at all (the photo's upload and
    // the post that failed are all Facebook saw).
    advance(120_000);
    await queue.kick();
    expect(facebook.calls.map((call) => call.path)).toEqual(["/1001/photos", "/1001/feed"]);

    // Back online: the photo may have left before the network dropped, so it is looked for first,
    // as often as Facebook's late listings call for, and only then sent.
    online = true;
    await queue.networkBack();
    for (let look = 0; look < LOOK_AGAIN_MS.length; look++) {
      expect(facebook.published).toHaveLength(0);
      advance(Math.max(0, ((await getJob(`${photo.pk}:1001`))?.nextAttemptAt ?? 0) - now()));
      await queue.kick();
    }
    expect(facebook.published).toHaveLength(1);
    expect((await getJob(`${photo.pk}:1001`))?.state).toBe("shared");
  });
});
