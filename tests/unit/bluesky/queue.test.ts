import { describe, expect, it } from "vitest";
import { createBlueskyDestination } from "@/lib/bluesky/destination";
import { jwtExpiresAt } from "@/lib/bluesky/session";
import { getAccount, putAccount } from "@/lib/db/accounts";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { AccountRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { createBlueskyStandin, PDS_ORIGIN } from "../../support/bluesky-standin";
import { queueOver } from "../../support/destination-world";
import { blueskyOverHttp } from "./over-http";
import { APP_PASSWORD, DID, HANDLE, image, mediaBytes, post } from "./world";

const CREATE = /\/com\.atproto\.repo\.createRecord$/;

/** The real queue and storage, with the Bluesky stand-in behind the real Bluesky destination. */
async function blueskyThroughTheQueue() {
  let clock = Date.UTC(2026, 8, 1, 9, 0);
  const bluesky = createBlueskyStandin({ now: () => clock });
  const fetch = await blueskyOverHttp(bluesky);
  bluesky.addAccount({ did: DID, handle: HANDLE, appPassword: APP_PASSWORD, displayName: "Acme Bakery" });
  const tokens = bluesky.signIn(DID);
  const account: AccountRecord = {
    id: accountIdFor("bluesky", DID),
    kind: "bluesky",
    name: "Acme Bakery",
    token: tokens.accessJwt,
    tokenExpiresAt: jwtExpiresAt(tokens.refreshJwt),
    status: "ok",
    linkedAt: clock,
    home: { origin: PDS_ORIGIN, userId: DID, handle: `@${HANDLE}`, refreshToken: tokens.refreshJwt },
  };
  await putAccount(account);
  const queue = queueOver(
    {
      bluesky: createBlueskyDestination({
        fetch,
        download: async (url) =>
          url.includes(".mp4") ? mediaBytes("mp4", 2_000_000) : mediaBytes("jpeg", 150_000),
        shrinkImage: async (_, maxBytes) => mediaBytes("jpeg", maxBytes - 1),
      }),
    },
    () => clock,
  );
  const share = async (shared: PublishedPost, message = shared.caption) => {
    const job = createJob(shared, account, message, clock);
    await addJobsOnce([job]);
    return job;
  };
  return {
    bluesky,
    queue,
    account,
    share,
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("Bluesky through the real queue", () => {
  it("shares a photo once, with the post's link", async () => {
    const world = await blueskyThroughTheQueue();
    const job = await world.share(post("photo", [image("loaf")]));

    await world.queue.kick();

    const [made] = world.bluesky.posts();
    expect(world.bluesky.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({
      state: "shared",
      result: { postId: made?.uri, url: `https://bsky.app/profile/${DID}/post/${made?.rkey}` },
    });
  });

  it("finds the post a lost answer made before sending again: never a second post", async () => {
    const world = await blueskyThroughTheQueue();
    world.bluesky.inject({ path: CREATE, dropAfterCommit: true });
    const job = await world.share(post("carousel", [image("a"), image("b")]));

    await world.queue.kick();
    expect(await getJob(job.id)).toMatchObject({ state: "queued", needsReconcile: true });
    world.advance(60_000);
    await world.queue.kick();

    expect(world.bluesky.posts()).toHaveLength(1);
    expect(await getJob(job.id)).toMatchObject({ state: "shared", needsReconcile: false });
    expect(world.bluesky.requests().filter((r) => r.nsid.endsWith("createRecord"))).toHaveLength(1);
  });

  it("stores the renewed sign-in on the account when the access token ran out", async () => {
    const world = await blueskyThroughTheQueue();
    world.bluesky.expireSessions();
    const job = await world.share(post("photo", [image("loaf")]));

    await world.queue.kick();

    const stored = await getAccount(world.account.id);
    expect(await getJob(job.id)).toMatchObject({ state: "shared" });
    expect(stored?.token).not.toBe(world.account.token);
    expect(stored?.home?.refreshToken).not.toBe(world.account.home?.refreshToken);
    expect(stored?.status).toBe("ok");
    // The next share goes with the stored sign-in, with no renewal.
    const next = await world.share({ ...post("photo", [image("rye")]), pk: "2718281828459045235" });
    await world.queue.kick();
    expect(await getJob(next.id)).toMatchObject({ state: "shared" });
    expect(world.bluesky.requests().filter((r) => r.nsid.endsWith("refreshSession"))).toHaveLength(1);
  });

  it("pauses the account and its shares once its app password is revoked and its session ran out", async () => {
    const world = await blueskyThroughTheQueue();
    world.bluesky.revoke(APP_PASSWORD);
    world.bluesky.expireSessions();
    const job = await world.share(post("photo", [image("loaf")]));

    await world.queue.kick();

    expect(await getAccount(world.account.id)).toMatchObject({ status: "needs-signin" });
    expect(await getJob(job.id)).toMatchObject({
      state: "needs-signin",
      lastError: {
        kind: "auth",
        message: "Acme Bakery needs you to sign in again before anything more is shared.",
      },
    });
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("waits out a rate limit as long as the PDS says", async () => {
    const world = await blueskyThroughTheQueue();
    world.bluesky.inject({ path: CREATE, rateLimit: { resetInSeconds: 600 } });
    const job = await world.share(post("photo", [image("loaf")]));

    await world.queue.kick();

    expect(await getJob(job.id)).toMatchObject({
      state: "queued",
      nextAttemptAt: world.now() + 600_000,
      lastError: { kind: "rate-limit" },
    });
  });

  it("fails a story at once, saying Bluesky has none", async () => {
    const world = await blueskyThroughTheQueue();
    const job = await world.share(post("story", [image("story")]));

    await world.queue.kick();

    expect(await getJob(job.id)).toMatchObject({
      state: "failed",
      lastError: {
        kind: "not-shareable",
        message:
          "Bluesky has no stories, so alsoshare shares posts and reels there, not stories. Nothing was sent to Bluesky.",
      },
    });
    expect(world.bluesky.requests()).toHaveLength(0);
  });

  it("refuses a post Bluesky calls invalid with Bluesky's own words", async () => {
    const world = await blueskyThroughTheQueue();
    world.bluesky.imageMaxBytes = 100_000;
    const job = await world.share(post("photo", [image("loaf")]));

    await world.queue.kick();

    expect(await getJob(job.id)).toMatchObject({
      state: "failed",
      lastError: {
        kind: "invalid",
        message:
          "Bluesky refused this post: Invalid app.bsky.feed.post record: blob too big (maximum 100000, got 150000) at $.record.embed.images[0].image",
      },
    });
  });
});
