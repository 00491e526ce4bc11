import { describe, expect, it, onTestFinished } from "vitest";
import {
  createTumblrStandin,
  STANDIN_TUMBLR_APP,
  serveTumblrStandin,
  type TumblrStandin,
} from "../../support/tumblr-standin";

/*
 * The Tumblr stand-in's own rules, through real HTTP: the extension's Tumblr tests lean on them, so
 * a rule that quietly stopped holding would make those tests pass for the wrong reason.
 */

const API = "https://api.tumblr.com";
const REDIRECT = "https://abcdefghijklmnop.chromiumapp.org/tumblr";
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function world() {
  const clock = { now: Date.UTC(2026, 8, 1, 9, 0) };
  const tumblr: TumblrStandin = createTumblrStandin({ now: () => clock.now });
  const served = await serveTumblrStandin(tumblr);
  onTestFinished(() => served.close());
  const user = tumblr.addUser({ name: "acmebakery", blogs: [{ name: "acme-bakery", title: "Acme Bakery" }] });
  // Long-lived, so tests that move the clock a day keep their token; the rotation test signs in anew.
  const { accessToken, refreshToken } = tumblr.signIn("acmebakery", {
    expiresAt: clock.now + 7 * 86_400_000,
  });
  const bearer = (token = accessToken) => ({ authorization: `Bearer ${token}` });
  const api = (path: string, init: RequestInit = {}) =>
    served.fetch(`${API}${path}`, { ...init, headers: { ...bearer(), ...init.headers } });
  const post = (params: unknown, files: Record<string, Blob> = {}) => {
    const form = new FormData();
    form.append("json", JSON.stringify(params));
    for (const [name, file] of Object.entries(files)) form.append(name, file, `${name}.jpg`);
    return api("/v2/blog/acme-bakery/posts", { method: "POST", body: form });
  };
  const token = (params: Record<string, string>) =>
    served.fetch(`${API}/v2/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: STANDIN_TUMBLR_APP.key,
        client_secret: STANDIN_TUMBLR_APP.secret,
        ...params,
      }),
    });
  const authorize = async () => {
    const query = new URLSearchParams({
      client_id: STANDIN_TUMBLR_APP.key,
      response_type: "code",
      scope: "basic write offline_access",
      state: "s1",
      redirect_uri: REDIRECT,
    });
    const answer = await served.fetch(`https://www.tumblr.com/oauth2/authorize?${query}`);
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location") ?? "");
    expect(back.searchParams.get("state")).toBe("s1");
    return back.searchParams.get("code") ?? "";
  };
  return { clock, tumblr, user, served, accessToken, refreshToken, bearer, api, post, token, authorize };
}

const text = (words: string) => ({ content: [{ type: "text", text: words }] });

describe("the Tumblr stand-in", () => {
  it("takes an authorization code once, and only with the redirect URI it was given for", async () => {
    const w = await world();
    w.tumblr.authorize.mode = "allow";
    const code = await w.authorize();
    const wrongRedirect = await w.token({
      grant_type: "authorization_code",
      code,
      redirect_uri: `${REDIRECT}x`,
    });
    expect(wrongRedirect.status).toBe(400);
    expect(await wrongRedirect.json()).toMatchObject({ error: "invalid_grant" });

    const first = await w.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      expires_in: 2520,
      id_token: false,
      scope: "basic write offline_access",
      token_type: "bearer",
      refresh_token: expect.any(String),
    });
    const again = await w.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });

    const wrongSecret = await w.token({ grant_type: "authorization_code", code, client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });
  });

  it("refuses a code ten minutes old, and sends a cancelled sign-in back as access_denied", async () => {
    const w = await world();
    w.tumblr.authorize.mode = "allow";
    const code = await w.authorize();
    w.clock.now += 10 * 60_000 + 1;
    const late = await w.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });

    w.tumblr.authorize.mode = "cancel";
    const query = new URLSearchParams({
      client_id: STANDIN_TUMBLR_APP.key,
      response_type: "code",
      scope: "write",
      state: "s2",
      redirect_uri: REDIRECT,
    });
    const cancelled = await w.served.fetch(`https://www.tumblr.com/oauth2/authorize?${query}`);
    const back = new URL(cancelled.headers.get("location") ?? "");
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: "access_denied", state: "s2" });
  });

  it("rotates refresh tokens: a used one is dead, the old access token lives until it expires", async () => {
    const w = await world();
    const linked = w.tumblr.signIn("acmebakery");
    w.clock.now += 2000 * 1000;
    const renewed = await w.token({ grant_type: "refresh_token", refresh_token: linked.refreshToken });
    expect(renewed.status).toBe(200);
    const pair = (await renewed.json()) as { access_token: string; refresh_token: string };
    expect(pair.refresh_token).not.toBe(w.refreshToken);

    const reused = await w.token({ grant_type: "refresh_token", refresh_token: linked.refreshToken });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });

    const old = { headers: w.bearer(linked.accessToken) };
    expect((await w.api("/v2/user/info", old)).status).toBe(200);
    w.clock.now += 520 * 1000;
    expect((await w.api("/v2/user/info", old)).status).toBe(401);
    expect((await w.api("/v2/user/info", { headers: w.bearer(pair.access_token) })).status).toBe(200);
  });

  it("answers 401 in Tumblr's words for an expired, revoked or misplaced token, and kills refresh on revoke", async () => {
    const w = await world();
    const expired = w.tumblr.signIn("acmebakery", { expiresAt: w.clock.now - 1 });
    const late = await w.api("/v2/user/info", { headers: w.bearer(expired.accessToken) });
    expect(late.status).toBe(401);
    expect(await late.json()).toEqual({
      meta: { status: 401, msg: "Unauthorized" },
      response: [],
      errors: [{ title: "Unauthorized", code: 0, detail: "Unable to authorize" }],
    });

    const inQuery = await w.served.fetch(`${API}/v2/user/info?access_token=${w.accessToken}`);
    expect(inQuery.status).toBe(401);
    expect(w.tumblr.requests().at(-1)).toMatchObject({ tokenIn: "query", query: {} });

    w.tumblr.revoke("acmebakery");
    expect((await w.api("/v2/user/info")).status).toBe(401);
    const refresh = await w.token({ grant_type: "refresh_token", refresh_token: w.refreshToken });
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("makes a post from a multipart body, its image named by the identifier of a file part", async () => {
    const w = await world();
    const answer = await w.post(
      {
        content: [
          { type: "image", media: [{ type: "image/jpeg", identifier: "photo1" }], alt_text: "Bread" },
          {
            type: "text",
            text: "Fresh Sourdough! 🍞 Today",
            formatting: [{ start: 6, end: 17, type: "bold" }],
          },
        ],
        tags: " bread , bakery,,",
      },
      { photo1: new Blob([JPEG], { type: "image/jpeg" }) },
    );
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { response: { id: string } };
    expect(body).toMatchObject({
      meta: { status: 201, msg: "Created" },
      response: { state: "published", display_text: "Posted to acme-bakery." },
    });
    const [made] = w.tumblr.posts();
    expect(made).toMatchObject({
      id: body.response.id,
      tags: ["bread", "bakery"],
      slug: "fresh-sourdough-today",
      media: [{ identifier: "photo1", type: "image/jpeg", bytes: JPEG.length }],
    });
    expect(BigInt(made?.id ?? "0")).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it("refuses NPF it would not take, with Tumblr's subcodes", async () => {
    const w = await world();
    const image = (identifier: string) => ({ content: [{ type: "image", media: [{ identifier }] }] });
    const refused = async (answer: Promise<Response>) => {
      const response = await answer;
      return {
        status: response.status,
        codes: ((await response.json()) as { errors: { code: number }[] }).errors.map((e) => e.code),
      };
    };
    expect(await refused(w.post(image("photo1")))).toEqual({ status: 400, codes: [8001] });
    expect(
      await refused(w.post(image("photo1"), { photo1: new Blob(["GIF?"], { type: "text/plain" }) })),
    ).toEqual({ status: 400, codes: [8005] });
    expect(
      await refused(w.post({ content: [{ type: "image", media: [{ url: "https://example.com/a.jpg" }] }] })),
    ).toEqual({ status: 400, codes: [8001] });
    // Four code points, though "🍞" is two UTF-16 units: a range to 5 is past the end.
    expect(
      await refused(
        w.post({
          content: [{ type: "text", text: "a 🍞b", formatting: [{ start: 0, end: 5, type: "bold" }] }],
        }),
      ),
    ).toEqual({ status: 400, codes: [8001] });
    expect(await refused(w.post({ content: [] }))).toEqual({ status: 400, codes: [8001] });
    expect(await refused(w.post({ content: [{ type: "poll" }] }))).toEqual({ status: 400, codes: [8001] });
    expect(
      await refused(w.post({ ...text("x"), state: "published", publish_on: "2030-01-01T00:00:00Z" })),
    ).toEqual({
      status: 400,
      codes: [8001],
    });
    expect(w.tumblr.posts()).toHaveLength(0);
  });

  it("answers a blog that is someone else's 403 and one that does not exist 404", async () => {
    const w = await world();
    w.tumblr.addUser({ name: "other", blogs: [{ name: "other-blog" }] });
    const form = (blog: string) =>
      w.api(`/v2/blog/${blog}/posts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(text("hi")),
      });
    expect((await form("other-blog.tumblr.com")).status).toBe(403);
    expect((await form("no-such-blog")).status).toBe(404);
    const uuid = w.user.blogs[0]?.uuid ?? "";
    expect(uuid).toMatch(/^t:[A-Za-z0-9_-]{22}$/);
    expect((await form(encodeURIComponent(uuid))).status).toBe(201);
  });

  it("holds the user to 250 published posts a UTC day, posts made elsewhere included", async () => {
    const w = await world();
    w.tumblr.postedElsewhere("acmebakery", 249);
    expect((await w.post(text("the 250th"))).status).toBe(201);
    const over = await w.post(text("the 251st"));
    expect(over.status).toBe(403);
    expect(await over.json()).toMatchObject({
      errors: [{ code: 8023, detail: expect.stringMatching(/daily posting limit/) }],
    });
    // A draft is not a published post.
    expect((await w.post({ ...text("later"), state: "draft" })).status).toBe(201);

    const limits = (await (await w.api("/v2/user/limits")).json()) as {
      response: { user: { posts: unknown } };
    };
    expect(limits.response.user.posts).toMatchObject({
      limit: 250,
      remaining: 0,
      reset_at: Date.UTC(2026, 8, 2) / 1000,
    });
    w.clock.now = Date.UTC(2026, 8, 2, 0, 0, 1);
    expect((await w.post(text("a new day"))).status).toBe(201);
  });

  it("lists a new post only once listingDelayMs has passed, newest first, its id a raw 64-bit number", async () => {
    const w = await world();
    w.tumblr.listingDelayMs = 5000;
    await w.post(text("first"));
    w.clock.now += 1000;
    await w.post(text("second"));
    const list = async () => {
      const answer = await w.api("/v2/blog/acme-bakery/posts?npf=true");
      return answer.text();
    };
    expect(JSON.parse(await list())).toMatchObject({ response: { posts: [], total_posts: 0 } });
    w.clock.now += 4000;
    const [first, second] = w.tumblr.posts();
    const raw = await list();
    expect(JSON.parse(raw).response.posts.map((p: { id_string: string }) => p.id_string)).toEqual([
      first?.id,
    ]);
    w.clock.now += 1000;
    const both = await list();
    expect(both).toContain(`"id":${second?.id},"id_string":"${second?.id}"`);
    const parsed = JSON.parse(both) as {
      response: { posts: { id: number; id_string: string; post_url: string }[] };
    };
    expect(parsed.response.posts.map((p) => p.id_string)).toEqual([second?.id, first?.id]);
    // JSON.parse cannot hold the id: that is why id_string exists.
    expect(String(parsed.response.posts[0]?.id)).not.toBe(second?.id);
    expect(parsed.response.posts[0]?.post_url).toBe(
      `https://www.tumblr.com/acme-bakery/${second?.id}/second`,
    );
  });

  it("keeps queued posts out of the blog's posts until their publish_on comes", async () => {
    const w = await world();
    const publishOn = new Date(w.clock.now + 3_600_000).toISOString();
    const made = await w.post({ ...text("soon"), state: "queue", publish_on: publishOn });
    expect(await made.json()).toMatchObject({ response: { state: "queued" } });
    const count = async (path: string) =>
      ((await (await w.api(path)).json()) as { response: { total_posts: number } }).response.total_posts;
    expect(await count("/v2/blog/acme-bakery/posts")).toBe(0);
    expect(await count("/v2/blog/acme-bakery/posts/queue")).toBe(1);
    w.clock.now += 3_600_000;
    expect(await count("/v2/blog/acme-bakery/posts")).toBe(1);
    expect(await count("/v2/blog/acme-bakery/posts/queue")).toBe(0);
  });

  it("makes the post when dropAfterCommit drops the answer, and not when networkDown drops the request", async () => {
    const w = await world();
    w.tumblr.inject({ path: /^\/v2\/blog\/[^/]+\/posts$/, networkDown: true });
    await expect(w.post(text("lost"))).rejects.toThrow(TypeError);
    expect(w.tumblr.posts()).toHaveLength(0);

    w.tumblr.inject({ path: /^\/v2\/blog\/[^/]+\/posts$/, dropAfterCommit: true });
    await expect(w.post(text("made"))).rejects.toThrow(TypeError);
    expect(w.tumblr.posts()).toHaveLength(1);

    const [made] = w.tumblr.posts();
    const fetched = await w.api(`/v2/blog/acme-bakery/posts/${made?.id}`);
    expect(await fetched.json()).toMatchObject({ response: { id: made?.id, state: "published" } });
  });

  it("answers a 504 page after the work with afterCommit, and a 429 with its rate-limit headers", async () => {
    const w = await world();
    w.tumblr.inject({
      method: "POST",
      status: 504,
      body: "<html>504 Gateway Time-out</html>",
      afterCommit: true,
    });
    const timedOut = await w.post(text("made anyway"));
    expect(timedOut.status).toBe(504);
    expect(timedOut.headers.get("content-type")).toMatch(/^text\/html/);
    expect(w.tumblr.posts()).toHaveLength(1);

    w.tumblr.inject({ rateLimit: { per: "hour", resetSeconds: 1200 } });
    const limited = await w.post(text("not made"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-perhour-reset")).toBe("1200");
    expect(limited.headers.get("x-ratelimit-perhour-remaining")).toBe("0");
    expect(await limited.json()).toMatchObject({
      meta: { status: 429, msg: "Limit Exceeded" },
      errors: [{ title: "Limit Exceeded" }],
    });
    expect(w.tumblr.posts()).toHaveLength(1);
  });
});
