import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import type { PublishedPost } from "@/lib/instagram/post";
import { UNANSWERED_WAIT_MS } from "@/lib/queue/backoff";
import { jobFor, linkPage, photoPost } from "../../support/fixtures";
import { quietQueue } from "../security/background";

const cdn = (name: string) => `https://scontent.cdninstagram.com/v/t51.2885-15/${name}.jpg`;

function album(pk: string, caption: string): PublishedPost {
  return {
    ...photoPost(pk, caption),
    kind: "carousel",
    media: [`${pk}-a`, `${pk}-b`].map((name) => ({ type: "image" as const, url: cdn(name) })),
  };
}

/**
 * A Page that keeps what is posted to it and lists it back newest first, a page of `limit` at a
 * time with `after` cursors, as Facebook does; `loseNext` makes the next publishing call's answer
 * go missing, after the post was made (`made: true`) or before (`made: false`).
 */
function facebookPage(clock: { now: number }, options: { listedAfterMs?: number } = {}) {
  const calls: GraphRequest[] = [];
  const posts: { id: string; message: string; created: number; photoIds: string[] }[] = [];
  let lose: { made: boolean } | undefined;
  let ids = 500;
  const publish = (message: string, photoIds: string[]) => {
    const id = `1001_${++ids}`;
    posts.push({ id, message, created: clock.now, photoIds });
    return id;
  };
  const lost = () => {
    lose = undefined;
    throw new GraphError("transient", "An unexpected error has occurred.", {
      code: 2,
      status: 500,
      outcomeUnknown: true,
    });
  };
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      const params = request.params ?? {};
      if (request.method === "GET") {
        const since = Number(params.since ?? 0) * 1000;
        const limit = Number(params.limit ?? 25);
        const start = Number(params.after ?? 0);
        // Facebook lists a new post some time after it made it.
        const visible = clock.now - (options.listedAfterMs ?? 0);
        const listed = posts.filter((post) => post.created >= since && post.created <= visible).reverse();
        const page = listed.slice(start, start + limit);
        return {
          data: page.map((post) => ({
            id: post.id,
            message: post.message,
            created_time: new Date(post.created).toISOString(),
            attachments: {
              data: [{ subattachments: { data: post.photoIds.map((id) => ({ target: { id } })) } }],
            },
          })),
          ...(start + limit < listed.length && {
            paging: { cursors: { after: String(start + limit) }, next: "more" },
          }),
        };
      }
      if (request.path === "/1001/photos" && params.published === false) return { id: String(++ids) };
      const finalCall = request.path === "/1001/photos" || request.path === "/1001/feed";
      if (finalCall && lose && !lose.made) lost();
      const photoIds =
        request.path === "/1001/feed"
          ? (JSON.parse(String(params.attached_media)) as { media_fbid: string }[]).map(
              (item) => item.media_fbid,
            )
          : [];
      const id = publish(String(params.message ?? ""), photoIds);
      if (finalCall && lose?.made) lost();
      return request.path === "/1001/photos" ? { id: String(++ids), post_id: id } : { id };
    },
  };
  return {
    client,
    posts,
    calls,
    loseNext: (made: boolean) => {
      lose = { made };
    },
    /** Posts made elsewhere (other tools, the Page's admins). */
    postedElsewhere: (count: number) => {
      for (let n = 0; n < count; n++) publish(`Elsewhere ${n}`, []);
    },
  };
}

function worker(graph: GraphClient, clock: { now: number }) {
  return quietQueue(graph, { owner: "worker-1", now: () => clock.now }).queue;
}

async function runUntilSettled(graph: GraphClient, clock: { now: number }, ids: string[]) {
  const queue = worker(graph, clock);
  for (let round = 0; round < 10; round++) {
    await queue.kick();
    const jobs = await Promise.all(ids.map(getJob));
    const waiting = jobs.filter((job) => job?.state === "queued");
    if (waiting.length === 0) return jobs;
    clock.now = Math.max(clock.now + 1, ...waiting.map((job) => job?.nextAttemptAt ?? 0));
  }
  return Promise.all(ids.map(getJob));
}

describe("exactly once, by identity rather than by text", () => {
  it.each([
    ["the same caption", "Fresh sourdough today"],
    ["an empty caption", ""],
  ])(
    "two photo posts with %s whose second answer is lost before Facebook made it: both reach the Page once, each with its own link",
    async (_, caption) => {
      const page = await linkPage();
      const clock = { now: 10_000_000 };
      const facebook = facebookPage(clock);
      const first = photoPost("601", caption);
      const second = photoPost("602", caption);
      await addJobsOnce([jobFor(first, page, clock.now)]);
      await runUntilSettled(facebook.client, clock, ["601:1001"]);
      clock.now += 60_000;
      await addJobsOnce([jobFor(second, page, clock.now)]);
      facebook.loseNext(false);

      const [a, b] = await runUntilSettled(facebook.client, clock, ["601:1001", "602:1001"]);

      expect(facebook.posts).toHaveLength(2);
      expect(a?.state).toBe("shared");
      expect(b?.state).toBe("shared");
      expect(b?.result?.postId).not.toBe(a?.result?.postId);
      expect(facebook.posts.map((post) => post.id)).toEqual([a?.result?.postId, b?.result?.postId]);
    },
  );

  it("two photo posts with the same caption whose second answer is lost after Facebook made it: the second finds its own post", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock);
    await addJobsOnce([jobFor(photoPost("611", "Same words"), page, clock.now)]);
    await runUntilSettled(facebook.client, clock, ["611:1001"]);
    clock.now += 60_000;
    await addJobsOnce([jobFor(photoPost("612", "Same words"), page, clock.now)]);
    facebook.loseNext(true);

    const [a, b] = await runUntilSettled(facebook.client, clock, ["611:1001", "612:1001"]);

    expect(facebook.posts).toHaveLength(2);
    expect(new Set([a?.result?.postId, b?.result?.postId])).toEqual(
      new Set(facebook.posts.map((post) => post.id)),
    );
  });

  it("a carousel whose feed post was made but never answered is found by its own photos, not by an earlier post with the same caption", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock);
    await addJobsOnce([jobFor(album("621", "Weekend specials"), page, clock.now)]);
    await runUntilSettled(facebook.client, clock, ["621:1001"]);
    clock.now += 60_000;
    await addJobsOnce([jobFor(album("622", "Weekend specials"), page, clock.now)]);
    facebook.loseNext(true);

    const [a, b] = await runUntilSettled(facebook.client, clock, ["621:1001", "622:1001"]);

    expect(facebook.posts).toHaveLength(2);
    const second = facebook.posts[1];
    expect(b).toMatchObject({ state: "shared", result: { postId: second?.id } });
    expect(a?.result?.postId).toBe(facebook.posts[0]?.id);
    // Found by the photos its attempt stored before the feed post, never by the caption.
    expect(b?.made).toBeUndefined();
  });

  it("a carousel whose feed post never happened is sent again, even though a post with its caption is on the Page", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock);
    await addJobsOnce([jobFor(album("631", "Open late tonight"), page, clock.now)]);
    await runUntilSettled(facebook.client, clock, ["631:1001"]);
    // The same caption posted again by hand on Facebook, not by us.
    facebook.posts.push({
      id: "1001_999",
      message: "Open late tonight",
      created: clock.now + 1,
      photoIds: [],
    });
    clock.now += 60_000;
    await addJobsOnce([jobFor(album("632", "Open late tonight"), page, clock.now)]);
    facebook.loseNext(false);

    const [, b] = await runUntilSettled(facebook.client, clock, ["631:1001", "632:1001"]);

    expect(b?.state).toBe("shared");
    expect(b?.result?.postId).not.toBe("1001_999");
    expect(facebook.posts.filter((post) => post.photoIds.length > 0)).toHaveLength(2);
  });

  it("a Page that posted 60 times from other tools since the attempt still has the attempt's post found, not posted twice", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock);
    const post = photoPost("641", "Our own words");
    await addJobsOnce([jobFor(post, page, clock.now)]);
    facebook.loseNext(true);
    const queue = worker(facebook.client, clock);
    await queue.kick();
    clock.now += 1_000;
    facebook.postedElsewhere(60);
    clock.now += UNANSWERED_WAIT_MS;

    const [done] = await runUntilSettled(facebook.client, clock, ["641:1001"]);

    expect(facebook.posts.filter((item) => item.message === "Our own words")).toHaveLength(1);
    expect(done).toMatchObject({ state: "shared", result: { postId: facebook.posts[0]?.id } });
  });

  it("a post Facebook lists only minutes after its answer was lost is found, not posted again", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock, { listedAfterMs: 4 * 60_000 });
    await addJobsOnce([jobFor(photoPost("651", "Listed late"), page, clock.now)]);
    facebook.loseNext(true);

    const [done] = await runUntilSettled(facebook.client, clock, ["651:1001"]);

    expect(facebook.posts).toHaveLength(1);
    expect(done).toMatchObject({ state: "shared", result: { postId: facebook.posts[0]?.id } });
  });

  it("a 5xx that made nothing is sent again once, after the looks came up empty", async () => {
    const page = await linkPage();
    const clock = { now: 10_000_000 };
    const facebook = facebookPage(clock);
    await addJobsOnce([jobFor(photoPost("661", "Not made the first time"), page, clock.now)]);
    facebook.loseNext(false);
    const started = clock.now;

    const [done] = await runUntilSettled(facebook.client, clock, ["661:1001"]);

    expect(facebook.posts).toHaveLength(1);
    expect(done?.state).toBe("shared");
    expect(facebook.posts[0]?.created).toBeGreaterThanOrEqual(started + 10 * 60_000);
  });
});
