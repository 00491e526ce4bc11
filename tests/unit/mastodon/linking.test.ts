import { createHash } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { createMastodonDestination } from "@/lib/mastodon/destination";
import { readInstance } from "@/lib/mastodon/instance";
import {
  authorizeUrl,
  exchangeCode,
  instanceOrigin,
  linkSecrets,
  MastodonLinkError,
  mastodonAccountFields,
  readAuthorizeRedirect,
  registerApp,
  verifyAccount,
} from "@/lib/mastodon/linking";
import { createJob } from "@/lib/queue/lifecycle";
import {
  createMastodonStandin,
  type MastodonRelease,
  serveMastodonStandin,
} from "../../support/mastodon-standin";
import { image, post } from "./world";

const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
const ORIGIN = "https://mastodon.example";

async function server(release: MastodonRelease = "4.4") {
  const mastodon = createMastodonStandin({ now: () => Date.UTC(2026, 8, 1, 9, 0) });
  mastodon.settings.release = release;
  const served = await serveMastodonStandin(mastodon);
  onTestFinished(() => served.close());
  const user = mastodon.addAccount({ username: "acmebakery", displayName: " Acme Bakery " });
  return { mastodon, fetch: served.fetch, user };
}

/** The server's authorization page, as the browser's sign-in window shows it, and the user's choice on it. */
async function authorize(
  fetchImpl: typeof fetch,
  url: string,
  decision: "approve" | "deny",
): Promise<string> {
  const page = await fetchImpl(url);
  const html = await page.text();
  expect(html).toContain("Authorize");
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.set(decodeHtml(name ?? ""), decodeHtml(value ?? ""));
  }
  fields.set("decision", decision);
  const answer = await fetchImpl(`${ORIGIN}/oauth/authorize`, {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return answer.headers.get("location") ?? "";
}

const decodeHtml = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

async function linkError(run: () => unknown): Promise<MastodonLinkError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof MastodonLinkError) return error;
    throw error;
  }
  throw new Error("expected linking to fail");
}

describe("linking a Mastodon account", () => {
  it("takes a server's name, a handle or its https address, and nothing else", async () => {
    expect(instanceOrigin("mastodon.social")).toBe("https://mastodon.social");
    expect(instanceOrigin(" @me@Mastodon.Social ")).toBe("https://mastodon.social");
    expect(instanceOrigin("me@mastodon.social")).toBe("https://mastodon.social");
    expect(instanceOrigin("https://mastodon.social/")).toBe("https://mastodon.social");
    expect(instanceOrigin("https://mastodon.social")).toBe("https://mastodon.social");

    const http = await linkError(() => instanceOrigin("http://mastodon.social"));
    expect(http).toMatchObject({ reason: "address" });
    expect(http.message).toBe(
      "alsoshare connects to Mastodon servers over https only. Type the server's name, like mastodon.social.",
    );
    for (const typed of [
      "https://mastodon.social:8443",
      "https://mastodon.social/@me",
      "https://mastodon.social/?next=evil.example",
      "https://user:pass@mastodon.social",
      "https://127.0.0.1",
      "localhost",
      "mastodon",
      "",
      "@me@mastodon.social@evil.example",
    ]) {
      const refused = await linkError(() => instanceOrigin(typed));
      expect(refused.message).toBe(
        `“${typed}” is not a Mastodon server's address. Type the server's name, like mastodon.social, or your handle, like @you@mastodon.social.`,
      );
    }
  });

  it("links through the server's own authorization page, with PKCE, and stores what posting needs", async () => {
    const { mastodon, fetch, user } = await server();
    const origin = instanceOrigin("@acmebakery@mastodon.example");
    const app = await registerApp(fetch, origin, REDIRECT);
    const secrets = await linkSecrets();
    const url = authorizeUrl(origin, { ...app, redirectUri: REDIRECT, ...secrets });

    const redirected = await authorize(fetch, url, "approve");
    const code = readAuthorizeRedirect(redirected, { redirectUri: REDIRECT, state: secrets.state });
    const signIn = await exchangeCode(fetch, origin, {
      ...app,
      redirectUri: REDIRECT,
      code,
      codeVerifier: secrets.codeVerifier,
    });
    const profile = await verifyAccount(fetch, origin, signIn.token);
    const instance = await readInstance(fetch, origin);
    const fields = mastodonAccountFields({ origin, instance, profile, signIn });

    expect(mastodon.apps()).toEqual([
      expect.objectContaining({
        name: "alsoshare",
        redirectUris: [REDIRECT],
        scopes: ["write:statuses", "write:media", "read:statuses", "profile"],
      }),
    ]);
    const sent = new URL(url);
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      scope: "write:statuses write:media read:statuses profile",
      state: secrets.state,
      code_challenge: secrets.codeChallenge,
      code_challenge_method: "S256",
    });
    expect(fields).toEqual({
      id: `mastodon:${user.id}@mastodon.example`,
      kind: "mastodon",
      name: "Acme Bakery",
      pictureUrl: user.avatar,
      token: signIn.token,
      home: { origin: ORIGIN, userId: user.id, handle: "@acmebakery@mastodon.example" },
    });
    expect(mastodon.tokens().find((token) => token.token === signIn.token)?.scopes).toEqual(
      app.scopes.split(" "),
    );
    expect((await fetch(user.avatar)).headers.get("content-type")).toBe("image/png");
  });

  it("posts with the sign-in it linked", async () => {
    const { fetch, mastodon } = await server();
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const code = readAuthorizeRedirect(
      await authorize(fetch, authorizeUrl(ORIGIN, { ...app, redirectUri: REDIRECT, ...secrets }), "approve"),
      { redirectUri: REDIRECT, state: secrets.state },
    );
    const signIn = await exchangeCode(fetch, ORIGIN, {
      ...app,
      redirectUri: REDIRECT,
      code,
      codeVerifier: secrets.codeVerifier,
    });
    const fields = mastodonAccountFields({
      origin: ORIGIN,
      instance: await readInstance(fetch, ORIGIN),
      profile: await verifyAccount(fetch, ORIGIN, signIn.token),
      signIn,
    });
    const destination = createMastodonDestination({
      fetch,
      download: async () => new Blob([new Uint8Array(10)], { type: "image/jpeg" }),
    });
    const account = { ...fields, status: "ok" as const, linkedAt: 0 };
    const job = {
      ...createJob(post("photo", [image("loaf")]), account, "Hello", 0),
      made: { since: 0, photoIds: [] },
    };

    const outcome = await destination.send({
      job,
      account,
      now: Date.now,
      prepared: async () => undefined,
      postMade: async () => undefined,
      mayPostAgain: () => true,
      sharedJobs: async () => [],
      log: async () => undefined,
      renewedSignIn: async () => undefined,
      failure: async () => ({ type: "refused", kind: "x", message: "x" }),
    });

    expect(outcome).toMatchObject({ type: "posted" });
    expect(mastodon.statuses()[0]).toMatchObject({ text: "Hello", application: "alsoshare" });
  });

  it("links another account of the same server, signing in again, under its own id", async () => {
    const { fetch, mastodon, user } = await server();
    const second = mastodon.addAccount({ username: "acmecafe", displayName: "Acme Café" });
    mastodon.settings.signedInAs = second.id;
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const url = authorizeUrl(ORIGIN, { ...app, redirectUri: REDIRECT, ...secrets, forceLogin: true });
    const code = readAuthorizeRedirect(await authorize(fetch, url, "approve"), {
      redirectUri: REDIRECT,
      state: secrets.state,
    });
    const signIn = await exchangeCode(fetch, ORIGIN, {
      ...app,
      redirectUri: REDIRECT,
      code,
      codeVerifier: secrets.codeVerifier,
    });

    const fields = mastodonAccountFields({
      origin: ORIGIN,
      instance: await readInstance(fetch, ORIGIN),
      profile: await verifyAccount(fetch, ORIGIN, signIn.token),
      signIn,
    });

    expect(new URL(url).searchParams.get("force_login")).toBe("true");
    expect(fields).toMatchObject({ id: `mastodon:${second.id}@mastodon.example`, name: "Acme Café" });
    expect(fields.id).not.toBe(`mastodon:${user.id}@mastodon.example`);
  });

  it("asks for read:accounts instead of profile on a server older than 4.3, which has no OAuth metadata", async () => {
    const { fetch, mastodon } = await server("4.2");

    const app = await registerApp(fetch, ORIGIN, REDIRECT);

    expect(app.scopes).toBe("write:statuses write:media read:statuses read:accounts");
    expect(mastodon.apps()[0]?.scopes).toEqual([
      "write:statuses",
      "write:media",
      "read:statuses",
      "read:accounts",
    ]);
  });

  it("links a server older than 4.3, which does not check PKCE, the same way", async () => {
    const { fetch } = await server("4.2");
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const code = readAuthorizeRedirect(
      await authorize(fetch, authorizeUrl(ORIGIN, { ...app, redirectUri: REDIRECT, ...secrets }), "approve"),
      { redirectUri: REDIRECT, state: secrets.state },
    );

    const signIn = await exchangeCode(fetch, ORIGIN, {
      ...app,
      redirectUri: REDIRECT,
      code,
      codeVerifier: secrets.codeVerifier,
    });

    expect((await verifyAccount(fetch, ORIGIN, signIn.token)).acct).toBe("acmebakery");
  });

  it("gets no token for a code without the verifier its challenge was made from", async () => {
    const { fetch } = await server();
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const code = readAuthorizeRedirect(
      await authorize(fetch, authorizeUrl(ORIGIN, { ...app, redirectUri: REDIRECT, ...secrets }), "approve"),
      { redirectUri: REDIRECT, state: secrets.state },
    );
    const other = await linkSecrets();

    const refused = await linkError(() =>
      exchangeCode(fetch, ORIGIN, { ...app, redirectUri: REDIRECT, code, codeVerifier: other.codeVerifier }),
    );

    expect(refused.reason).toBe("refused");
    expect(refused.message).toMatch(
      /^mastodon\.example refused to link alsoshare \(The provided authorization grant is invalid/,
    );
    expect(refused.message).toMatch(/so nothing was linked\. Connect again\.$/);
  });

  it("makes its verifier and state from fresh random bytes, the challenge being its SHA-256", async () => {
    const bytes = (length: number) => new Uint8Array(length).fill(7);
    const secrets = await linkSecrets(bytes);
    expect(secrets.codeVerifier).toBe(Buffer.from(new Uint8Array(32).fill(7)).toString("base64url"));
    expect(secrets.state).toBe(Buffer.from(new Uint8Array(16).fill(7)).toString("base64url"));
    expect(secrets.codeChallenge).toBe(createHash("sha256").update(secrets.codeVerifier).digest("base64url"));
    expect((await linkSecrets()).codeVerifier).not.toBe((await linkSecrets()).codeVerifier);
  });

  it("says so when the user declines, and refuses an answer to another sign-in or from another place", async () => {
    const { fetch } = await server();
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const declined = await authorize(
      fetch,
      authorizeUrl(ORIGIN, { ...app, redirectUri: REDIRECT, ...secrets }),
      "deny",
    );

    const denied = await linkError(() =>
      readAuthorizeRedirect(declined, { redirectUri: REDIRECT, state: secrets.state }),
    );
    expect(denied).toMatchObject({
      reason: "denied",
      message:
        "You declined on your Mastodon server, so nothing was linked. Connect again and choose Authorize to let alsoshare post for you.",
    });
    expect(
      await linkError(() =>
        readAuthorizeRedirect(`${REDIRECT}?code=abcdefghij&state=other`, {
          redirectUri: REDIRECT,
          state: secrets.state,
        }),
      ),
    ).toMatchObject({ reason: "state" });
    expect(
      await linkError(() =>
        readAuthorizeRedirect(`https://evil.example/?code=abcdefghij&state=${secrets.state}`, {
          redirectUri: REDIRECT,
          state: secrets.state,
        }),
      ),
    ).toMatchObject({ reason: "malformed" });
  });

  it("refuses a sign-in the server gave without the scopes to post", async () => {
    const { fetch, mastodon } = await server();
    const app = await registerApp(fetch, ORIGIN, REDIRECT);
    const secrets = await linkSecrets();
    const narrow = authorizeUrl(ORIGIN, { ...app, scopes: "profile", redirectUri: REDIRECT, ...secrets });
    const code = readAuthorizeRedirect(await authorize(fetch, narrow, "approve"), {
      redirectUri: REDIRECT,
      state: secrets.state,
    });

    const refused = await linkError(() =>
      exchangeCode(fetch, ORIGIN, {
        ...app,
        redirectUri: REDIRECT,
        code,
        codeVerifier: secrets.codeVerifier,
      }),
    );

    expect(refused.message).toBe(
      "mastodon.example signed you in without letting alsoshare post, so nothing was linked. Connect again and allow it to post.",
    );
    expect(mastodon.tokens()).toHaveLength(1);
  });

  it("says a server that has no Mastodon API is not one, and one that fails can be tried again", async () => {
    const { fetch, mastodon } = await server();
    mastodon.inject({ path: /^\/api\/v1\/apps$/, status: 404 });
    expect(await linkError(() => registerApp(fetch, ORIGIN, REDIRECT))).toMatchObject({
      reason: "not-mastodon",
      message:
        "mastodon.example does not answer as a Mastodon server does, so nothing was linked. Check the server's address.",
    });

    mastodon.inject({ path: /^\/api\/v1\/apps$/, body: "<html>Welcome to nginx!</html>", status: 200 });
    expect(await linkError(() => registerApp(fetch, ORIGIN, REDIRECT))).toMatchObject({
      reason: "not-mastodon",
    });

    mastodon.inject({ path: /^\/api\/v1\/apps$/, status: 503 });
    expect(await linkError(() => registerApp(fetch, ORIGIN, REDIRECT))).toMatchObject({
      reason: "unreachable",
      message:
        "mastodon.example could not be reached to finish linking (mastodon.example failed (HTTP 503: There was a temporary problem serving your request, please try again).) Try again in a moment.",
    });
  });

  it("reads the server's own limits, and falls back to the older instance API before 4.0", async () => {
    const { fetch, mastodon } = await server();
    mastodon.setTextLimit(11_000);
    mastodon.settings.maxMedia = 8;

    expect(await readInstance(fetch, ORIGIN)).toEqual({
      domain: "mastodon.example",
      textLimit: 11_000,
      linkLength: 23,
      maxMedia: 8,
      imageSizeLimit: 16 * 1024 * 1024,
      videoSizeLimit: 99 * 1024 * 1024,
      descriptionLimit: 1500,
    });

    mastodon.settings.release = "3.5";
    mastodon.setTextLimit(700);
    const legacy = await readInstance(fetch, ORIGIN);
    expect(legacy).toMatchObject({ domain: "mastodon.example", textLimit: 700 });
    expect(
      mastodon
        .requests()
        .slice(-2)
        .map((request) => request.path),
    ).toEqual(["/api/v2/instance", "/api/v1/instance"]);
  });

  it("stores the text limit only when the server's differs from Mastodon's 500, and its handle's domain", () => {
    const base = {
      origin: "https://social.example.com",
      profile: { id: "109", acct: "me", displayName: "Me" },
      signIn: { token: "token-abcdefgh" },
    };
    const instance = {
      domain: "example.com",
      textLimit: 500,
      linkLength: 23,
      maxMedia: 4,
      descriptionLimit: 1500,
    };

    expect(mastodonAccountFields({ ...base, instance }).home).toEqual({
      origin: "https://social.example.com",
      userId: "109",
      handle: "@me@example.com",
    });
    expect(
      mastodonAccountFields({ ...base, instance: { ...instance, textLimit: 5000 } }).home?.textLimit,
    ).toBe(5000);
    expect(mastodonAccountFields({ ...base, instance }).id).toBe("mastodon:109@social.example.com");
  });
});
