import { describe, expect, it } from "vitest";
import { BlueskyError } from "@/lib/bluesky/errors";
import { BlueskyLinkError, jwtClaims, refreshBlueskySession, signInToBluesky } from "@/lib/bluesky/session";
import { createXrpcClient } from "@/lib/bluesky/xrpc";
import { createBlueskyStandin, ENTRYWAY_HOST, PDS_HOST, PDS_ORIGIN } from "../../support/bluesky-standin";
import { blueskyOverHttp } from "./over-http";

const DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
const APP_PASSWORD = "abcd-efgh-ijkl-mnop";
const OWN_PASSWORD = "correct horse battery staple";
const ENTRYWAY = `https://${ENTRYWAY_HOST}`;
const NOW = Date.UTC(2026, 8, 1, 9, 0);

async function linkingWorld() {
  const clock = { now: NOW };
  const bluesky = createBlueskyStandin({ now: () => clock.now });
  const fetch = await blueskyOverHttp(bluesky);
  bluesky.addAccount({
    did: DID,
    handle: "acme.bsky.social",
    email: "hello@acme.example",
    password: OWN_PASSWORD,
    appPassword: APP_PASSWORD,
    displayName: "Acme Bakery",
    avatar: "https://cdn.bsky.app/img/avatar/plain/did:plc:ewvi7nxzyoun6zhxrhs64oiz/bafkreiabc@jpeg",
  });
  const signIn = (identifier: string, appPassword: string, service = ENTRYWAY) =>
    signInToBluesky(fetch, { service, identifier, appPassword }, () => clock.now);
  const refusal = (identifier: string, appPassword: string) =>
    signIn(identifier, appPassword).then(
      () => {
        throw new Error("expected the sign-in to be refused");
      },
      (error: unknown) => error,
    );
  return { clock, bluesky, fetch, signIn, refusal };
}

describe("linking a Bluesky account", () => {
  it("signs in with an app password, finds the account's PDS in its DID document, and reads its name", async () => {
    const world = await linkingWorld();
    const session = await world.signIn("acme.bsky.social", APP_PASSWORD);
    expect(session).toEqual({
      did: DID,
      handle: "acme.bsky.social",
      displayName: "Acme Bakery",
      avatar: "https://cdn.bsky.app/img/avatar/plain/did:plc:ewvi7nxzyoun6zhxrhs64oiz/bafkreiabc@jpeg",
      accessJwt: expect.any(String),
      refreshJwt: expect.any(String),
      pdsOrigin: PDS_ORIGIN,
      signInExpiresAt: NOW + 90 * 24 * 60 * 60_000,
    });
    expect(jwtClaims(session.accessJwt)).toMatchObject({ scope: "com.atproto.appPass", sub: DID });
    // The app password goes once, in the body, to the service signed in at; nothing to the PDS yet.
    expect(world.bluesky.requests().map((r) => `${r.host} ${r.nsid}`)).toEqual([
      `${ENTRYWAY_HOST} com.atproto.server.createSession`,
      `${ENTRYWAY_HOST} app.bsky.actor.getProfile`,
    ]);
    expect(world.bluesky.requests()[0]?.token).toBeUndefined();
  });

  it("signs in by email too", async () => {
    const world = await linkingWorld();
    await expect(world.signIn("Hello@Acme.example", APP_PASSWORD)).resolves.toMatchObject({ did: DID });
  });

  it("refuses the account's own password, and ends the session it made at once", async () => {
    const world = await linkingWorld();
    const error = await world.refusal("acme.bsky.social", OWN_PASSWORD);
    expect(error).toBeInstanceOf(BlueskyLinkError);
    expect(error).toMatchObject({
      reason: "account-password",
      message:
        "That is your Bluesky account's own password, so alsoshare did not keep the sign-in. Create an app password in Bluesky's Settings › Privacy and security › App passwords and enter it here instead.",
    });
    expect(world.bluesky.refreshTokens().map((token) => token.revoked)).toEqual([true]);
    expect(world.bluesky.requests().map((r) => r.nsid)).toEqual([
      "com.atproto.server.createSession",
      "com.atproto.server.deleteSession",
    ]);
  });

  it("says what to do when Bluesky asks for the emailed code, which only the account's own password brings", async () => {
    const world = await linkingWorld();
    world.bluesky.addAccount({
      did: "did:plc:twofactor00000000000000",
      handle: "careful.bsky.social",
      password: OWN_PASSWORD,
      emailAuthFactor: true,
    });
    expect(await world.refusal("careful.bsky.social", OWN_PASSWORD)).toMatchObject({ reason: "code-asked" });
  });

  it("says a wrong or revoked app password is not accepted", async () => {
    const world = await linkingWorld();
    const wrong = await world.refusal("acme.bsky.social", "wxyz-wxyz-wxyz-wxyz");
    expect(wrong).toMatchObject({
      reason: "wrong-password",
      message:
        "Bluesky did not accept that handle and app password. Check both (an app password looks like abcd-efgh-ijkl-mnop), or create a new one, then try again.",
    });
    world.bluesky.revoke(APP_PASSWORD);
    expect(await world.refusal("acme.bsky.social", APP_PASSWORD)).toMatchObject({ reason: "wrong-password" });
    expect(await world.refusal("nobody.bsky.social", APP_PASSWORD)).toMatchObject({
      reason: "wrong-password",
    });
  });

  it("says an account Bluesky took down can take no share", async () => {
    const world = await linkingWorld();
    world.bluesky.takeDown(DID);
    expect(await world.refusal("acme.bsky.social", OWN_PASSWORD)).toMatchObject({ reason: "taken-down" });
  });

  it("keeps the service signed in at as the account's home when the session carries no DID document", async () => {
    const world = await linkingWorld();
    world.bluesky.didDocWithSession = false;
    await expect(
      world.signIn("acme.bsky.social", APP_PASSWORD, `https://${PDS_HOST}`),
    ).resolves.toMatchObject({
      pdsOrigin: PDS_ORIGIN,
    });
    await expect(world.signIn("acme.bsky.social", APP_PASSWORD)).resolves.toMatchObject({
      pdsOrigin: ENTRYWAY,
    });
  });

  it("links with the handle as the name when Bluesky will not give the profile", async () => {
    const world = await linkingWorld();
    world.bluesky.inject({
      path: /getProfile$/,
      error: { status: 502, error: "UpstreamFailure", message: "Upstream Failure" },
    });
    const session = await world.signIn("acme.bsky.social", APP_PASSWORD);
    expect(session.displayName).toBeUndefined();
    expect(session.handle).toBe("acme.bsky.social");
  });

  it("refuses a server address that is not https, before any call", async () => {
    const world = await linkingWorld();
    for (const service of ["http://bsky.social", "https://bsky.social/xrpc", "bsky.social"]) {
      await expect(world.signIn("acme.bsky.social", APP_PASSWORD, service)).rejects.toBeInstanceOf(
        BlueskyError,
      );
    }
    expect(world.bluesky.requests()).toEqual([]);
  });

  it("passes a rate limit on signing in through as one, for the page to say so", async () => {
    const world = await linkingWorld();
    world.bluesky.inject({ path: /createSession$/, rateLimit: { resetInSeconds: 300 } });
    const error = await world.refusal("acme.bsky.social", APP_PASSWORD);
    expect(error).toMatchObject({ kind: "rate-limit", details: { retryAfterMs: 300_000 } });
  });

  it("says Bluesky's answer was not understood when it is not a session", async () => {
    const world = await linkingWorld();
    world.bluesky.inject({ path: /createSession$/, garbled: { did: DID } });
    expect(await world.refusal("acme.bsky.social", APP_PASSWORD)).toMatchObject({ reason: "answer" });
  });
});

describe("renewing a Bluesky sign-in", () => {
  it("answers a new access and refresh JWT, and the spent refresh JWT renews nothing more", async () => {
    const world = await linkingWorld();
    const { refreshJwt } = world.bluesky.signIn(DID);
    const client = createXrpcClient(world.fetch, () => world.clock.now);
    const renewed = await refreshBlueskySession(client, PDS_ORIGIN, refreshJwt);
    expect(renewed.refreshJwt).not.toBe(refreshJwt);
    await expect(refreshBlueskySession(client, PDS_ORIGIN, refreshJwt)).rejects.toMatchObject({
      kind: "auth",
      details: { xrpcError: "ExpiredToken" },
    });
    await expect(refreshBlueskySession(client, PDS_ORIGIN, renewed.refreshJwt)).resolves.toMatchObject({
      accessJwt: expect.any(String),
    });
  });

  it("takes a spent refresh JWT again within the PDS's grace period, in case its answer was lost", async () => {
    const world = await linkingWorld();
    world.bluesky.refreshGraceMs = 2 * 60 * 60_000;
    const { refreshJwt } = world.bluesky.signIn(DID);
    const client = createXrpcClient(world.fetch, () => world.clock.now);
    await refreshBlueskySession(client, PDS_ORIGIN, refreshJwt);
    await expect(refreshBlueskySession(client, PDS_ORIGIN, refreshJwt)).resolves.toBeDefined();
  });

  it("takes a lost answer to renewing as passing, not as a post that may be out", async () => {
    const world = await linkingWorld();
    const { refreshJwt } = world.bluesky.signIn(DID);
    world.bluesky.inject({ path: /refreshSession$/, networkDown: true });
    const client = createXrpcClient(world.fetch, () => world.clock.now);
    await expect(refreshBlueskySession(client, PDS_ORIGIN, refreshJwt)).rejects.toMatchObject({
      kind: "transient",
      details: { networkError: true, outcomeUnknown: false },
    });
  });
});
