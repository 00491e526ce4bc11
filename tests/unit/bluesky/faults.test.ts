import { describe, expect, it } from "vitest";
import { BlueskyError } from "@/lib/bluesky/errors";
import { jwtExpiresAt } from "@/lib/bluesky/session";
import { postKeyFor } from "@/lib/bluesky/tid";
import { PDS_HOST, XRPC_ERRORS } from "../../support/bluesky-standin";
import { APP_PASSWORD, blueskyWorld, DID, failure, image, post, video } from "./world";

const CREATE = /\/com\.atproto\.repo\.createRecord$/;
const UPLOAD = /\/com\.atproto\.repo\.uploadBlob$/;
const GET_RECORD = /\/com\.atproto\.repo\.getRecord$/;
const creates = (world: Awaited<ReturnType<typeof blueskyWorld>>) =>
  world.calls().filter((call) => call.endsWith("createRecord")).length;

describe("Bluesky on a bad day", () => {
  it("finds the post a lost answer made at the job's key, and never posts it again", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));

    const lost = failure(await world.step(job));
    expect(lost).toMatchObject({ kind: "transient", details: { outcomeUnknown: true, networkError: true } });
    expect(world.bluesky.posts()).toHaveLength(1);

    const found = await world.step(job);
    const [made] = world.bluesky.posts();
    expect(found).toEqual({
      by: "findEarlier",
      outcome: {
        type: "posted",
        result: { postId: made?.uri, url: `https://bsky.app/profile/${DID}/post/${postKeyFor(job)}` },
      },
    });
    expect(world.bluesky.posts()).toHaveLength(1);
    expect(creates(world)).toBe(1);
  });

  it("sends at once when the lost answer made nothing: no post is at the job's key", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, networkDown: true });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({
      details: { outcomeUnknown: true, networkError: true },
    });
    expect(world.bluesky.posts()).toHaveLength(0);
    expect(await world.destination.findEarlier(world.attemptOn(job))).toBe("nothing-out");
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("takes a gateway's 502 after the post was made as done, finding the post at its key at once", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({
      path: CREATE,
      status: 502,
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      afterCommit: true,
    });
    const job = world.job(post("carousel", [image("a"), image("b")]));

    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
    expect(world.calls().slice(-2)).toEqual([
      `POST ${PDS_HOST} com.atproto.repo.createRecord`,
      `GET ${PDS_HOST} com.atproto.repo.getRecord`,
    ]);
  });

  it("retries a 500 that made nothing, after looking at the job's key", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, error: XRPC_ERRORS.internal });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({
      kind: "transient",
      message: "Internal Server Error",
      details: { status: 500, outcomeUnknown: true, xrpcError: "InternalServerError" },
    });
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("counts a post already at the job's key as this share's, as a duplicate the PDS answers with a bare 500", async () => {
    const world = await blueskyWorld();
    const job = world.job(post("photo", [image("loaf")]));
    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });
    // The worker died before the outcome was stored: the job is sent again, not looked for first.
    const again = { ...job, result: undefined, state: "queued" as const };

    const step = await world.step(again);

    expect(step).toMatchObject({ by: "send", outcome: { type: "posted", result: job.result } });
    expect(world.bluesky.posts()).toHaveLength(1);
    expect(creates(world)).toBe(2);
  });

  it("takes a garbled answer to the post as one that may have done its work", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, garbled: { uri: 42 } });
    const job = world.job(post("photo", [image("loaf")]));

    expect(failure(await world.step(job))).toMatchObject({
      kind: "transient",
      message: "Bluesky's answer to the new post was not in the expected shape.",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("uploads again after a garbled answer to an upload: no post was made", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: UPLOAD, garbled: "<html>" });
    const job = world.job(post("reel", [video("reel")]));

    expect(failure(await world.step(job))).toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true },
    });
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("waits as long as the PDS's ratelimit-reset says, holding back this account only", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, rateLimit: { resetInSeconds: 900 } });
    const job = world.job(post("photo", [image("loaf")]));

    const error = failure(await world.step(job));
    expect(error).toBeInstanceOf(BlueskyError);
    expect(error).toMatchObject({
      kind: "rate-limit",
      message: "Rate Limit Exceeded",
      details: { status: 429, limits: "account", outcomeUnknown: false },
    });
    const { retryAfterMs } = (error as BlueskyError).details;
    expect(retryAfterMs).toBeGreaterThan(899_000);
    expect(retryAfterMs).toBeLessThanOrEqual(900_000);
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("renews an access token Bluesky says has expired, stores the new sign-in, and goes on", async () => {
    const world = await blueskyWorld();
    const spent = world.account.home?.refreshToken;
    world.bluesky.expireSessions();
    const job = world.job(post("photo", [image("loaf")]));

    expect(await world.step(job)).toMatchObject({ outcome: { type: "posted" } });

    expect(world.calls()).toEqual([
      `POST ${PDS_HOST} com.atproto.repo.uploadBlob`,
      `POST ${PDS_HOST} com.atproto.server.refreshSession`,
      `POST ${PDS_HOST} com.atproto.repo.uploadBlob`,
      `POST ${PDS_HOST} com.atproto.repo.createRecord`,
    ]);
    const [renewal] = world.renewals;
    expect(renewal?.refreshToken).not.toBe(spent);
    expect(renewal?.tokenExpiresAt).toBe(jwtExpiresAt(renewal?.refreshToken ?? ""));
    expect(world.account.token).toBe(renewal?.token);
    // Bluesky rotates refresh tokens: the one spent signs in no more.
    const reused = world.bluesky.refreshTokens().find((token) => token.jwt === spent);
    expect(reused?.spentAt).toBe(world.clock.now);
  });

  it("renews an access token whose own expiry has passed before making any call with it", async () => {
    const world = await blueskyWorld();
    world.clock.now += 3 * 60 * 60_000;
    await world.step(world.job(post("photo", [image("loaf")])));
    expect(world.calls()[0]).toBe(`POST ${PDS_HOST} com.atproto.server.refreshSession`);
    expect(world.renewals).toHaveLength(1);
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("asks for a new sign-in once the user revoked the app password and the session ran out", async () => {
    const world = await blueskyWorld();
    world.bluesky.revoke(APP_PASSWORD);
    world.bluesky.expireSessions();
    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));
    expect(error).toMatchObject({ kind: "auth", details: { xrpcError: "ExpiredToken" } });
    expect(error.message).toBe(
      "Bluesky no longer accepts alsoshare's sign-in (Token has been revoked); the app password may have been revoked. Link the account again with an app password.",
    );
    expect(world.renewals).toEqual([]);
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("renews once only: an access token still refused after renewing means the sign-in is dead", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: UPLOAD, error: XRPC_ERRORS.expiredToken, times: 2 });
    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));
    expect(error).toMatchObject({ kind: "auth", message: "Token has expired" });
    expect(world.calls().filter((call) => call.endsWith("refreshSession"))).toHaveLength(1);
  });

  it("does not renew a token Bluesky could not verify, or an account it took down", async () => {
    for (const refused of [XRPC_ERRORS.invalidToken, XRPC_ERRORS.takenDown, XRPC_ERRORS.authMissing]) {
      const world = await blueskyWorld();
      world.bluesky.inject({ path: UPLOAD, error: refused });
      const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));
      expect(error).toMatchObject({
        kind: "auth",
        message: refused.message,
        details: { xrpcError: refused.error },
      });
      expect(world.renewals).toEqual([]);
    }
  });

  it("shows Bluesky's own words when it refuses the post as invalid", async () => {
    const world = await blueskyWorld();
    world.bluesky.imageMaxBytes = 100_000;
    const error = failure(await world.step(world.job(post("photo", [image("loaf")]))));
    expect(error).toMatchObject({
      kind: "invalid",
      message:
        "Invalid app.bsky.feed.post record: blob too big (maximum 100000, got 200000) at $.record.embed.images[0].image",
      details: { status: 400, xrpcError: "InvalidRequest", outcomeUnknown: false },
    });
    expect(world.bluesky.posts()).toHaveLength(0);
  });

  it("retries an upload the PDS could not take (503), and posts once", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: UPLOAD, error: XRPC_ERRORS.notAvailable });
    const job = world.job(post("photo", [image("loaf")]));
    expect(failure(await world.step(job))).toMatchObject({ kind: "transient", details: { status: 503 } });
    expect(await world.step(job)).toMatchObject({ by: "send", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("lets a failure to look for the earlier post through, for the queue to try again", async () => {
    const world = await blueskyWorld();
    world.bluesky.inject({ path: CREATE, dropAfterCommit: true });
    const job = world.job(post("photo", [image("loaf")]));
    failure(await world.step(job));
    world.bluesky.inject({ path: GET_RECORD, error: XRPC_ERRORS.upstreamFailure });
    expect(failure(await world.step(job))).toMatchObject({ kind: "transient", details: { status: 502 } });
    expect(await world.step(job)).toMatchObject({ by: "findEarlier", outcome: { type: "posted" } });
    expect(world.bluesky.posts()).toHaveLength(1);
  });

  it("says plainly when Instagram's file could not be downloaded: nothing reached Bluesky", async () => {
    const world = await blueskyWorld();
    world.failDownloads(new TypeError("Failed to fetch"));
    const error = failure(await world.step(world.job(post("photo", [image("gone")]))));
    expect(error).toMatchObject({
      kind: "transient",
      message:
        "alsoshare could not download the photo from Instagram to send it to Bluesky (Failed to fetch).",
    });
    expect(error instanceof BlueskyError && error.details.outcomeUnknown).toBe(false);
    expect(world.calls()).toEqual([]);
  });

  it("keeps Instagram's refusal of a file as media that cannot be had, in words about Bluesky", async () => {
    const world = await blueskyWorld();
    world.failDownloads(new BlueskyError("media-unreachable", "Instagram answered HTTP 404."));
    const error = failure(await world.step(world.job(post("reel", [video("gone")]))));
    expect(error).toMatchObject({
      kind: "media-unreachable",
      message:
        "alsoshare could not download the video from Instagram to send it to Bluesky (Instagram answered HTTP 404).",
    });
  });
});
