import { describe, expect, it, onTestFinished } from "vitest";
import { putAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { AccountRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import { createJob } from "@/lib/queue/lifecycle";
import { TUMBLR_API } from "@/lib/tumblr/client";
import { createTumblrDestination } from "@/lib/tumblr/destination";
import { mediaBytes, queueOver } from "../../support/destination-world";
import { photoPost } from "../../support/fixtures";
import { createTumblrStandin, STANDIN_TUMBLR_APP, serveTumblrStandin } from "../../support/tumblr-standin";

/** The real queue and storage, with Tumblr's stand-in behind the real Tumblr destination. */
async function tumblrThroughTheQueue(options: { resend?: RegExp } = {}) {
  let clock = Date.UTC(2026, 8, 1, 9, 0);
  const tumblr = createTumblrStandin({ now: () => clock });
  const served = await serveTumblrStandin(tumblr);
  onTestFinished(() => served.close());
  const [blog] = tumblr.addUser({ name: "acmebaker", blogs: [{ name: "acme-bakery", primary: true }] }).blogs;
  if (!blog) throw new Error("the stand-in lost the blog");
  const signIn = tumblr.signIn("acmebaker");
  const account: AccountRecord = {
    id: accountIdFor("tumblr", blog.uuid),
    kind: "tumblr",
    name: "Acme Bakery",
    token: signIn.accessToken,
    tokenExpiresAt: clock + 2520_000,
    status: "ok",
    linkedAt: clock,
    home: { origin: TUMBLR_API, userId: blog.uuid, handle: blog.name, refreshToken: signIn.refreshToken },
  };
  await putAccount(account);
  const fetch = options.resend ? resending(served.fetch, options.resend) : served.fetch;
  const queue = queueOver(
    {
      tumblr: createTumblrDestination({
        fetch,
        download: async () => mediaBytes("jpeg", 20_000),
        app: async () => ({ ...STANDIN_TUMBLR_APP }),
      }),
    },
    () => clock,
  );
  return {
    tumblr,
    queue,
    account,
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
    published: () => tumblr.posts().filter((post) => post.state === "published"),
  };
}

/**
 * What a browser does when a reused connection drops before the answer: it sends the request again
 * by itself. Here the first request lands, its answer is lost, and the second one is answered.
 */
function resending(fetchImpl: typeof fetch, path: RegExp): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (path.test(url.pathname)) await fetchImpl(input, init);
    return fetchImpl(input, init);
  };
}

describe("Tumblr through the real queue", () => {
  it("shares a photo once, with the post's link", async () => {
    const world = await tumblrThroughTheQueue();
    const job = createJob(photoPost("41"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();

    const [made] = world.published();
    expect(world.tumblr.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({
      state: "shared",
      result: { postId: made?.id, url: `https://www.tumblr.com/acme-bakery/${made?.id}/${made?.slug}` },
    });
  });

  it("a lost answer to the publish is found by the stored draft: never a second post", async () => {
    const world = await tumblrThroughTheQueue();
    world.tumblr.inject({ method: "PUT", path: /\/posts\/\d+$/, dropAfterCommit: true });
    const job = createJob(photoPost("42"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();
    expect(await getJob(job.id)).toMatchObject({ state: "queued", needsReconcile: true });
    world.advance(60_000);
    await world.queue.kick();

    expect(world.tumblr.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared" });
  });

  it("a publish the browser sent twice by itself is one post", async () => {
    const world = await tumblrThroughTheQueue({ resend: /\/posts\/\d+$/ });
    const job = createJob(photoPost("43"), world.account, "Fresh loaves today", world.now());
    await addJobsOnce([job]);

    await world.queue.kick();

    expect(world.published()).toHaveLength(1);
    expect(world.tumblr.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared" });
  });
});
