import { describe, expect, it, onTestFinished } from "vitest";
import { ShareError } from "@/lib/destinations/errors";
import { checkedOrigin, createMastodonClient, idSegment, retryAfterMs } from "@/lib/mastodon/client";
import { createMastodonStandin, serveMastodonStandin } from "../../support/mastodon-standin";

const ORIGIN = "https://mastodon.example";

async function served() {
  const mastodon = createMastodonStandin({ now: () => Date.UTC(2026, 8, 1, 9, 0) });
  const server = await serveMastodonStandin(mastodon);
  onTestFinished(() => server.close());
  const user = mastodon.addAccount({ username: "acmebakery" });
  const sent: { url: string; init?: RequestInit }[] = [];
  const recording: typeof fetch = (input, init) => {
    sent.push({ url: String(input), init });
    return server.fetch(input, init);
  };
  return { mastodon, fetch: recording, sent, token: mastodon.signIn(user.id) };
}

async function shareError(run: () => Promise<unknown>): Promise<ShareError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ShareError) return error;
    throw error;
  }
  throw new Error("expected a ShareError");
}

describe("the Mastodon client", () => {
  it("talks only to the account's own server, the token in the Authorization header, no cookies, no redirects", async () => {
    const { fetch, sent, mastodon, token } = await served();
    const client = createMastodonClient(fetch, ORIGIN);

    await client.call({ method: "GET", path: "/api/v1/accounts/verify_credentials", token, query: { a: 1 } });

    const [request] = sent;
    expect(request?.url).toBe(`${ORIGIN}/api/v1/accounts/verify_credentials?a=1`);
    expect(request?.url).not.toContain(token);
    expect(request?.init).toMatchObject({ credentials: "omit", redirect: "error", method: "GET" });
    expect(new Headers(request?.init?.headers).get("authorization")).toBe(`Bearer ${token}`);
    expect(mastodon.requests()[0]).toMatchObject({ token, cookie: undefined });
  });

  it("refuses a stored address that is not a plain https server's, before any request", async () => {
    const { fetch, sent } = await served();
    for (const origin of [
      "http://mastodon.example",
      "https://mastodon.example:8443",
      "https://mastodon.example/api",
      "https://user@mastodon.example",
      "https://10.0.0.1",
      "https://localhost",
      "mastodon.example",
    ]) {
      expect(() => createMastodonClient(fetch, origin)).toThrow(ShareError);
    }
    expect(checkedOrigin("https://mastodon.example/")).toBe(ORIGIN);
    expect(sent).toHaveLength(0);
  });

  it("refuses a path or an id that could leave Mastodon's API", async () => {
    const { fetch, sent } = await served();
    const client = createMastodonClient(fetch, ORIGIN);
    for (const path of ["//evil.example/api", "/api/../oauth", "/api/v1/statuses?x=1", "api/v1/statuses"]) {
      expect(await shareError(() => client.call({ method: "GET", path }))).toMatchObject({ kind: "invalid" });
    }
    expect(() => idSegment("../../oauth/token")).toThrow(ShareError);
    expect(idSegment("110123456789012345")).toBe("110123456789012345");
    expect(sent).toHaveLength(0);
  });

  it("sends a form's repeated fields each, and the Idempotency-Key as a header", async () => {
    const { fetch, mastodon, token } = await served();
    const client = createMastodonClient(fetch, ORIGIN);

    await client
      .call({
        method: "POST",
        path: "/api/v1/statuses",
        token,
        idempotencyKey: "key-1",
        form: { status: "Hello", "media_ids[]": ["1", "2"], visibility: "public" },
      })
      .catch(() => undefined);

    expect(mastodon.requests()[0]).toMatchObject({
      idempotencyKey: "key-1",
      lists: { "media_ids[]": ["1", "2"] },
      fields: { status: "Hello", visibility: "public" },
      contentType: "application/x-www-form-urlencoded;charset=UTF-8",
    });
  });

  it("gives up on a server that does not answer in time, saying so, a write as possibly done", async () => {
    const { fetch, mastodon, token } = await served();
    mastodon.inject({ method: "POST", path: /^\/api\/v1\/statuses$/, hang: true });
    const client = createMastodonClient(fetch, ORIGIN, { timeoutMs: 50 });

    const error = await shareError(() =>
      client.call({ method: "POST", path: "/api/v1/statuses", token, form: { status: "Hello" } }),
    );

    expect(error).toMatchObject({
      kind: "transient",
      message: "mastodon.example did not answer in time.",
      details: { outcomeUnknown: true, networkError: false },
    });
  });

  it("passes on the refusal of a fetch the user took host access from", async () => {
    const refusal = new ShareError("transient", "alsoshare can't reach mastodon.example", {
      hostAccessMissing: true,
    });
    const client = createMastodonClient(() => Promise.reject(refusal), ORIGIN);

    expect(await shareError(() => client.call({ method: "GET", path: "/api/v2/instance" }))).toBe(refusal);
  });

  it("reads the OAuth endpoints' error_description before their error code", async () => {
    const { fetch } = await served();
    const client = createMastodonClient(fetch, ORIGIN);

    const error = await shareError(() =>
      client.call({ method: "POST", path: "/oauth/token", form: { grant_type: "authorization_code" } }),
    );

    expect(error).toMatchObject({
      kind: "auth",
      details: {
        status: 401,
        userMessage:
          "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
      },
    });
  });

  it("reads X-RateLimit-Reset with Mastodon's microseconds, and a proxy's Retry-After first", () => {
    const now = Date.UTC(2026, 8, 1, 9, 2, 30);
    expect(retryAfterMs(new Headers({ "x-ratelimit-reset": "2026-09-01T09:05:00.000000Z" }), now)).toBe(
      150_000,
    );
    expect(retryAfterMs(new Headers({ "x-ratelimit-reset": "2026-09-01T09:00:00.000000Z" }), now)).toBe(0);
    expect(
      retryAfterMs(
        new Headers({ "retry-after": "30", "x-ratelimit-reset": "2026-09-01T09:05:00.000000Z" }),
        now,
      ),
    ).toBe(30_000);
    expect(retryAfterMs(new Headers({ "x-ratelimit-reset": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
