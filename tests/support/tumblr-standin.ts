import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import { createFaults, onRequest } from "./faults";
import {
  isRecord,
  type ParsedBody,
  parseBody,
  readBody,
  sendJson,
  sendText,
  type UploadedFile,
} from "./http";
import { serveOverHttp } from "./serve-over-http";

/*
 * api.tumblr.com and the OAuth2 authorization page on www.tumblr.com, as Tumblr's API answers them,
 * bad days included: answers lost after the post was made, 429s with their rate-limit headers,
 * a load balancer's HTML 5xx, expired, used and revoked tokens, NPF Tumblr refuses (with its error
 * subcodes), the daily limits on posts, images and videos, listings that lag behind new posts.
 *
 *   const tumblr = createTumblrStandin({ now: () => clock.now });
 *   tumblr.addUser({ name: "acmebakery", blogs: [{ name: "acme-bakery", title: "Acme Bakery" }] });
 *   const { accessToken } = tumblr.signIn("acmebakery");
 *   tumblr.inject({ path: /^\/v2\/blog\/[^/]+\/posts$/, dropAfterCommit: true });
 *   …
 *   expect(tumblr.posts()).toHaveLength(1);
 *
 * Where Tumblr documents no answer, the one given here is modelled on its nearest documented kin
 * and says so. Posts are always answered in NPF (`type: "blocks"`), whether or not `npf=true` is asked.
 */

export const TUMBLR_HOSTS = ["api.tumblr.com", "www.tumblr.com"] as const;

/** A Tumblr app's OAuth consumer key and secret (50 letters and digits each, as Tumblr's look). */
export const STANDIN_TUMBLR_APP: { key: string; secret: string } = {
  key: "8NOHnSJ6UX4JOC2QrXjA9pPSvqqkbfugsVZ3EPUPLLKnoWFHS0",
  secret: "IwNjNT2yZHRn7siNBEDuXrgKRJPXXMYXOcjx8xSXEH0kMutlj4",
};

export type TumblrBlog = { name: string; uuid: string; title: string; primary: boolean; url: string };
export type TumblrUser = { name: string; blogs: TumblrBlog[] };
export type TumblrPost = {
  /** Decimal, above 2^53 as Tumblr's are: a JavaScript number cannot hold it. */
  id: string;
  blogUuid: string;
  blogName: string;
  state: "published" | "queued" | "draft" | "private";
  /** As Tumblr serves it back: uploaded media named by URL on its CDN, not by identifier. */
  content: unknown[];
  layout: unknown[];
  tags: string[];
  slug: string;
  publishOn?: string;
  /** Epoch ms. */
  at: number;
  media: { identifier: string; type: string; bytes: number; filename: string }[];
};
export type TumblrToken = {
  accessToken: string;
  /** "" when the scope had no `offline_access`: Tumblr gives no refresh token then. */
  refreshToken: string;
  userName: string;
  issuedAt: number;
  expiresAt: number;
  revoked?: boolean;
  refreshUsed?: boolean;
  scope?: string;
};
export type TumblrRequest = {
  method: string;
  host: string;
  path: string;
  /** Without `access_token`. */
  query: Record<string, string>;
  /** Body fields, without `access_token`; a multipart `json` part is here as sent. */
  fields: Record<string, string>;
  /** A JSON body, or the multipart `json` part, parsed. */
  json?: unknown;
  /** The uploaded file parts. */
  files: { name: string; filename: string; type: string; bytes: number }[];
  token?: string;
  /** Where the token came: only the header is accepted, a URL would leave it in logs and history. */
  tokenIn?: "header" | "query" | "body";
  contentType?: string;
  time: number;
};
export type TumblrFault = {
  method?: string;
  /** Tested against the path without query string, e.g. `/^\/v2\/blog\/[^/]+\/posts$/`. */
  path?: RegExp;
  /** How many matching requests this fault takes; default 1. */
  times?: number;
  status?: number;
  errors?: { title: string; code?: number; detail?: string }[];
  /** A raw body instead of Tumblr's JSON (a load balancer's HTML 502 or 504 page), sent as text/html. */
  body?: string;
  /** Sent with the answer. */
  headers?: Record<string, string>;
  /** A 429 "Limit Exceeded" with the X-Ratelimit-Per{hour,day}-{Limit,Remaining,Reset} headers. */
  rateLimit?: { per: "hour" | "day"; resetSeconds: number };
  /** Do the work, then answer 200 with this instead of the real answer. */
  garbled?: unknown;
  /** Do the work (the post IS made), then destroy the socket without answering. */
  dropAfterCommit?: boolean;
  /** With `status`, `errors`, `body` or `rateLimit`: do the work first, then answer that anyway. */
  afterCommit?: boolean;
  /** Destroy the socket before doing anything. */
  networkDown?: boolean;
};

/** How the authorization page answers a visit: a page to Allow or Cancel, or the user's answer at once. */
export type AuthorizeMode = "consent" | "allow" | "cancel";

export type TumblrStandin = {
  readonly hosts: readonly string[];
  app: { key: string; secret: string };
  /** asUser: which user signs in (default: the first added). */
  authorize: { mode: AuthorizeMode; asUser?: string };
  /** A new post shows in listings only this long after it was made (default 0). */
  listingDelayMs: number;
  /** Seconds an access token lives (Tumblr: 2520). */
  tokenSeconds: number;
  addUser(user: {
    name: string;
    blogs: { name: string; title?: string; primary?: boolean; uuid?: string }[];
  }): TumblrUser;
  /** Tokens as linking would give them (scope "basic write offline_access"). */
  signIn(userName: string, options?: { expiresAt?: number }): { accessToken: string; refreshToken: string };
  /** The user took the app's access away: every access and refresh token of theirs is dead. */
  revoke(userName: string): void;
  /** Posts the user published today by other means: they count in the 250-a-day limit. */
  postedElsewhere(userName: string, count: number): void;
  posts(): readonly TumblrPost[];
  requests(): readonly TumblrRequest[];
  tokens(): readonly TumblrToken[];
  inject(fault: TumblrFault): void;
  clearFaults(): void;
  /** Forgets users, tokens, posts, codes, requests and faults, and puts the settings back. */
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
/** A post's parameters, checked: what a create or an edit sets. */
type PostParams = Pick<TumblrPost, "content" | "media" | "layout" | "state" | "tags" | "slug" | "publishOn">;
type TumblrError = { title: string; code?: number; detail?: string };
type Code = {
  code: string;
  clientId: string;
  redirectUri?: string;
  scope: string;
  userName: string;
  used: boolean;
  at: number;
};

const TOKEN_SECONDS = 2520;
const CODE_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const SIGN_IN_SCOPE = "basic write offline_access";
/** Tumblr's per-user daily limits (Rate Limits), and the one on a blog's queue. */
const DAILY = { posts: 250, images: 250, videos: 20 } as const;
const QUEUE_LIMIT = 1000;
/** NPF's Post Content Limits. */
const TEXT_MAX = 4096;
const BLOCKS_MAX = 1000;
const TAGS_MAX = 30;
const TAG_MAX = 140;
const SLUG_MAX = 55;
const FORMATS = new Set(["bold", "italic", "strikethrough", "small", "link", "mention", "color"]);
const SUBTYPES = new Set(
  "heading1 heading2 quirky quote indented chat ordered-list-item unordered-list-item".split(" "),
);
/** What a new post's answer says, by state. */
const DISPLAY_TEXT = {
  published: "Posted to",
  queued: "Queued on",
  draft: "Drafted on",
  private: "Posted privately to",
};
const TUMBLR_MEDIA = /^[a-z0-9-]+\.media\.tumblr\.com$/;
/** Tumblr's answer to a missing, unknown, expired or revoked token, word for word. */
const UNAUTHORIZED = tumblrError(401, [{ title: "Unauthorized", code: 0, detail: "Unable to authorize" }]);

export function createTumblrStandin(deps: { now?: () => number } = {}): TumblrStandin {
  const now = deps.now ?? Date.now;
  let users: TumblrUser[] = [];
  let tokens: TumblrToken[] = [];
  let posts: TumblrPost[] = [];
  let requests: TumblrRequest[] = [];
  const faults = createFaults<TumblrFault>();
  let codes: Code[] = [];
  // What counts in the daily limits: kept apart from posts, so a deleted post still counts.
  let ledger: { userName: string; kind: keyof typeof DAILY; at: number }[] = [];
  // Tumblr's post ids are 64-bit; a counter above 2^53 keeps them unique, ordered and unsafe in JS.
  let nextId = 7_000_000_000_000_000_000n;
  const newId = (): string => {
    nextId += 1n;
    return nextId.toString();
  };
  const mint = (bytes: number) => randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x");
  // Marks where a raw number goes in an answer's JSON text; the nonce keeps post text from matching.
  const rawMark = `@@raw-${randomBytes(6).toString("hex")}:`;

  const standin: TumblrStandin = {
    hosts: TUMBLR_HOSTS,
    app: { ...STANDIN_TUMBLR_APP },
    authorize: { mode: "consent" },
    listingDelayMs: 0,
    tokenSeconds: TOKEN_SECONDS,
    addUser(user) {
      const blogs = user.blogs.map((blog, index) => ({
        name: blog.name,
        uuid: blog.uuid ?? `t:${randomBytes(16).toString("base64url")}`,
        title: blog.title ?? blog.name,
        primary: blog.primary ?? (index === 0 && !user.blogs.some((b) => b.primary)),
        url: `https://${blog.name}.tumblr.com/`,
      }));
      const added = { name: user.name, blogs };
      users = [...users.filter((u) => u.name !== user.name), added];
      return added;
    },
    signIn(userName, options = {}) {
      if (!users.some((u) => u.name === userName)) throw new Error(`No Tumblr user ${userName}`);
      return issue(userName, SIGN_IN_SCOPE, options.expiresAt);
    },
    revoke(userName) {
      tokens = tokens.map((t) => (t.userName === userName ? { ...t, revoked: true } : t));
    },
    postedElsewhere(userName, count) {
      spend(userName, "posts", count);
    },
    posts: () => {
      promoteQueue();
      return posts;
    },
    requests: () => requests,
    tokens: () => tokens,
    inject(fault) {
      faults.inject(fault);
    },
    clearFaults() {
      faults.clear();
    },
    reset() {
      users = [];
      tokens = [];
      posts = [];
      requests = [];
      faults.clear();
      codes = [];
      ledger = [];
      standin.app = { ...STANDIN_TUMBLR_APP };
      standin.authorize = { mode: "consent" };
      standin.listingDelayMs = 0;
      standin.tokenSeconds = TOKEN_SECONDS;
    },
    handle,
  };

  function spend(userName: string, kind: keyof typeof DAILY, count: number): void {
    const at = now();
    ledger = [...ledger, ...Array.from({ length: count }, () => ({ userName, kind, at }))];
  }

  function issue(userName: string, scope: string, expiresAt?: number) {
    const issuedAt = now();
    const token: TumblrToken = {
      accessToken: mint(30),
      refreshToken: scope.split(" ").includes("offline_access") ? mint(30) : "",
      userName,
      issuedAt,
      expiresAt: expiresAt ?? issuedAt + standin.tokenSeconds * 1000,
      scope,
    };
    tokens = [...tokens, token];
    return { accessToken: token.accessToken, refreshToken: token.refreshToken };
  }

  function takeFault(method: string, path: string): TumblrFault | undefined {
    return faults.take(onRequest(method, path));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const url = new URL(req.url ?? "/", `https://${host || "api.tumblr.com"}`);
    const method = (req.method ?? "GET").toUpperCase();
    const contentType = req.headers["content-type"];
    const body = await parseBody(await readBody(req), contentType);
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const inQuery = url.searchParams.get("access_token") ?? undefined;
    const inBody = body.fields.access_token;
    // Where a token came is recorded as the worst place it was seen, so a leak is never hidden.
    const token = inQuery ?? inBody ?? bearer;
    const tokenIn = inQuery ? "query" : inBody ? "body" : bearer ? "header" : undefined;
    const query = withoutToken(Object.fromEntries(url.searchParams));
    const fields = withoutToken(body.fields);
    const json = jsonParams(body);
    requests = [
      ...requests,
      {
        method,
        host,
        path: url.pathname,
        query,
        fields,
        ...(json !== undefined && { json: isRecord(json) ? withoutToken(json) : json }),
        files: Object.entries(body.files).map(([name, file]) => ({
          name,
          filename: file.filename,
          type: file.type,
          bytes: file.bytes.length,
        })),
        token,
        tokenIn,
        ...(contentType !== undefined && { contentType }),
        time: now(),
      },
    ];
    if (host === "www.tumblr.com") {
      authorizePage(method, url, body, res);
      return;
    }

    const fault = takeFault(method, url.pathname);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    const failing =
      fault?.errors !== undefined ||
      fault?.status !== undefined ||
      fault?.body !== undefined ||
      fault?.rateLimit !== undefined;
    if (failing && !fault?.afterCommit) {
      sendFault(res, fault);
      return;
    }
    promoteQueue();
    const answer = route(method, url.pathname, query, body, json, bearer);
    if (failing) {
      // The work was done; the answer says it failed, as a 504 after the post was made does.
      sendFault(res, fault);
      return;
    }
    if (fault?.dropAfterCommit) {
      req.socket.destroy();
      return;
    }
    if (fault?.garbled !== undefined) {
      send(res, { status: 200, body: fault.garbled });
      return;
    }
    send(res, answer, fault?.headers);
  }

  function sendFault(res: ServerResponse, fault: TumblrFault | undefined): void {
    if (fault?.body !== undefined) {
      sendText(res, fault.status ?? 502, fault.body, "text/html; charset=utf-8", fault.headers);
      return;
    }
    if (fault?.rateLimit) {
      const { per, resetSeconds } = fault.rateLimit;
      // Tumblr's per-consumer limits: 1,000 calls an hour, 5,000 a day.
      const name = per === "hour" ? "Perhour" : "Perday";
      const answer = tumblrError(429, [
        { title: "Limit Exceeded", code: 0, detail: `You have exceeded your rate limit per ${per}.` },
      ]);
      send(res, answer, {
        [`X-Ratelimit-${name}-Limit`]: per === "hour" ? "1000" : "5000",
        [`X-Ratelimit-${name}-Remaining`]: "0",
        [`X-Ratelimit-${name}-Reset`]: String(resetSeconds),
        ...fault.headers,
      });
      return;
    }
    const status = fault?.status ?? 500;
    const errors = fault?.errors ?? [{ title: reason(status), code: 0 }];
    send(res, tumblrError(status, errors), fault?.headers);
  }

  function route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: ParsedBody,
    json: unknown,
    bearer: string | undefined,
  ): Answer {
    const parts = path.split("/").filter(Boolean).map(decoded);
    if (parts[0] !== "v2") return notFound();
    const [area, id, ...rest] = parts.slice(1);
    const params = { ...body.fields, ...(isRecord(json) ? stringsOf(json) : {}) };
    if (area === "oauth2" && id === "token" && rest.length === 0 && method === "POST") return grant(params);

    // Only the Authorization header is accepted; a token in the URL or body is not.
    const signedIn = tokens.find((t) => t.accessToken === bearer);
    if (!signedIn || signedIn.revoked || now() >= signedIn.expiresAt) return UNAUTHORIZED;
    const user = users.find((u) => u.name === signedIn.userName);
    if (!user) return UNAUTHORIZED;

    if (area === "user" && rest.length === 0 && method === "GET") {
      if (id === "info") return ok({ user: userInfo(user) });
      if (id === "limits") return ok({ user: limitsOf(user) });
      return notFound();
    }
    if (area !== "blog" || id === undefined) return notFound();
    const blog = findBlog(id);
    const own = blog && user.blogs.some((b) => b.uuid === blog.uuid);
    const [edge, sub, ...more] = rest;
    if (more.length > 0 || !blog) return notFound(blog ? undefined : "Blog not found");
    const mine = (): Answer | undefined =>
      own ? undefined : forbidden("You do not have permission to act on this blog.");

    if (edge === "info" && sub === undefined && method === "GET") return ok({ blog: blogInfo(blog) });
    if (edge === "posts" && sub === undefined && method === "POST") {
      return mine() ?? createPost(user, blog, json, body.files);
    }
    if (edge === "posts" && method === "GET") {
      if (sub === undefined) return listPosts(blog, query, "published");
      if (sub === "queue" || sub === "draft") {
        return mine() ?? listPosts(blog, query, sub === "queue" ? "queued" : "draft");
      }
      if (/^\d+$/.test(sub)) return fetchPost(blog, sub, Boolean(own));
      return notFound();
    }
    if (edge === "posts" && sub !== undefined && /^\d+$/.test(sub) && method === "PUT") {
      return mine() ?? editPost(user, blog, sub, json, body.files);
    }
    if (edge === "post" && sub === "delete" && method === "POST") {
      return mine() ?? deletePost(blog, params.id ?? "");
    }
    return notFound();
  }

  /** `POST /v2/oauth2/token`: an authorization code or a refresh token for a new pair of tokens. */
  function grant(params: Record<string, string>): Answer {
    if (params.client_id !== standin.app.key || params.client_secret !== standin.app.secret) {
      return oauthError(401, "invalid_client", "Client authentication failed.");
    }
    if (params.grant_type === "authorization_code") {
      const code = codes.find((c) => c.code === params.code);
      if (!params.code) return oauthError(400, "invalid_request", "The request is missing the code.");
      if (!code || code.used || now() - code.at > CODE_MS || code.clientId !== params.client_id) {
        return oauthError(400, "invalid_grant", "The authorization code is invalid, used or expired.");
      }
      if (code.redirectUri !== undefined && code.redirectUri !== params.redirect_uri) {
        return oauthError(400, "invalid_grant", "The redirect URI does not match the authorization request.");
      }
      code.used = true;
      return tokenAnswer(issue(code.userName, code.scope), code.scope);
    }
    if (params.grant_type === "refresh_token") {
      if (!params.refresh_token) {
        return oauthError(400, "invalid_request", "The request is missing the refresh_token.");
      }
      // Tumblr documents no lifetime for a refresh token: here it lives until used or revoked.
      const old = tokens.find((t) => t.refreshToken !== "" && t.refreshToken === params.refresh_token);
      if (!old || old.refreshUsed || old.revoked) {
        return oauthError(400, "invalid_grant", "The refresh token is invalid.");
      }
      // Rotation: the used refresh token is dead; its access token lives on until it expires.
      old.refreshUsed = true;
      const scope = old.scope ?? SIGN_IN_SCOPE;
      return tokenAnswer(issue(old.userName, scope), scope);
    }
    return oauthError(400, "unsupported_grant_type", "The grant type is not supported.");
  }

  function tokenAnswer(pair: { accessToken: string; refreshToken: string }, scope: string): Answer {
    return {
      status: 200,
      body: {
        access_token: pair.accessToken,
        expires_in: standin.tokenSeconds,
        id_token: false,
        ...(pair.refreshToken !== "" && { refresh_token: pair.refreshToken }),
        scope,
        token_type: "bearer",
      },
    };
  }

  function findBlog(identifier: string): TumblrBlog | undefined {
    const wanted = identifier.toLowerCase().replace(/\.tumblr\.com$/, "");
    const all = users.flatMap((u) => u.blogs);
    return all.find((b) => b.uuid === identifier) ?? all.find((b) => b.name.toLowerCase() === wanted);
  }

  function userInfo(user: TumblrUser): unknown {
    return {
      name: user.name,
      likes: 0,
      following: 0,
      default_post_format: "html",
      blogs: user.blogs.map((b) => ({ ...blogInfo(b), primary: b.primary, admin: true, followers: 0 })),
    };
  }

  function blogInfo(blog: TumblrBlog) {
    return { name: blog.name, title: blog.title, url: blog.url, uuid: blog.uuid, type: "public" };
  }

  /** Tumblr's day is its servers' clock, which it does not name: the stand-in takes UTC. */
  function usedToday(userName: string, kind: keyof typeof DAILY): number {
    const start = Math.floor(now() / DAY_MS) * DAY_MS;
    return ledger.filter((e) => e.userName === userName && e.kind === kind && e.at >= start).length;
  }

  function limitsOf(user: TumblrUser): unknown {
    const resetAt = (Math.floor(now() / DAY_MS) + 1) * (DAY_MS / 1000);
    const limit = (kind: keyof typeof DAILY, description: string) => ({
      description,
      limit: DAILY[kind],
      remaining: Math.max(0, DAILY[kind] - usedToday(user.name, kind)),
      reset_at: resetAt,
    });
    return {
      posts: limit("posts", "the number of posts you can publish per day"),
      images: limit("images", "the number of images you can upload per day"),
      videos: limit("videos", "the number of videos you can upload per day"),
    };
  }

  /** `POST /v2/blog/{id}/posts`: an NPF post, its media uploaded beside its JSON or already on Tumblr. */
  /** What `POST …/posts` and `PUT …/posts/{id}` both take, checked as Tumblr checks it. */
  function postParams(input: unknown, files: Record<string, UploadedFile>): PostParams | { error: Answer } {
    if (!isRecord(input))
      return { error: badRequest("The post's JSON parameters are missing or are not JSON.") };
    const checked = checkContent(input.content, files);
    if ("error" in checked) return checked;
    const layout = input.layout ?? [];
    if (!Array.isArray(layout) || layout.some((l) => !isRecord(l) || typeof l.type !== "string")) {
      return { error: badRequest("'layout' must be an array of layout objects.") };
    }
    const stateIn = input.state ?? "published";
    if (stateIn !== "published" && stateIn !== "queue" && stateIn !== "draft" && stateIn !== "private") {
      return { error: badRequest("'state' must be one of published, queue, draft or private.") };
    }
    const state = stateIn === "queue" ? "queued" : stateIn;
    const publishOn = input.publish_on;
    if (publishOn !== undefined) {
      const at =
        typeof publishOn === "string" && ISO_8601.test(publishOn) ? Date.parse(publishOn) : Number.NaN;
      if (state !== "queued")
        return { error: badRequest("'publish_on' is only for a post with state queue.") };
      if (!(at > now()))
        return { error: badRequest("'publish_on' must be a future ISO 8601 date and time.") };
    }
    const tags = tagsOf(input.tags);
    if (typeof tags === "string") return { error: badRequest(tags) };
    if (input.slug !== undefined && typeof input.slug !== "string") {
      return { error: badRequest("'slug' must be a string.") };
    }
    return {
      content: checked.content,
      media: checked.media,
      layout,
      state,
      tags,
      slug: slugOf(typeof input.slug === "string" ? input.slug : firstText(checked.content)),
      ...(typeof publishOn === "string" && { publishOn }),
    };
  }

  /** The daily limits a post's new media and its publishing would pass, answered as Tumblr does. */
  function overLimit(
    user: TumblrUser,
    blog: TumblrBlog,
    params: PostParams,
    publishes: boolean,
  ): Answer | undefined {
    const images = params.media.filter((m) => m.type.startsWith("image/")).length;
    const videos = params.media.length - images;
    if (images > 0 && usedToday(user.name, "images") + images > DAILY.images) {
      return forbidden("You have reached your daily image upload limit.", 8004);
    }
    if (videos > 0 && usedToday(user.name, "videos") + videos > DAILY.videos) {
      return forbidden("You have reached your daily video upload limit.", 8011);
    }
    if (publishes && usedToday(user.name, "posts") >= DAILY.posts) {
      return forbidden(`You have reached your daily posting limit of ${DAILY.posts} posts.`, 8023);
    }
    if (
      params.state === "queued" &&
      posts.filter((p) => p.blogUuid === blog.uuid && p.state === "queued").length >= QUEUE_LIMIT
    ) {
      return forbidden(`This blog's queue is full (${QUEUE_LIMIT} posts).`, 8022);
    }
    return undefined;
  }

  function spendFor(user: TumblrUser, params: PostParams, publishes: boolean): void {
    const images = params.media.filter((m) => m.type.startsWith("image/")).length;
    spend(user.name, "posts", publishes ? 1 : 0);
    spend(user.name, "images", images);
    spend(user.name, "videos", params.media.length - images);
  }

  function createPost(
    user: TumblrUser,
    blog: TumblrBlog,
    input: unknown,
    files: Record<string, UploadedFile>,
  ): Answer {
    const params = postParams(input, files);
    if ("error" in params) return params.error;
    const publishes = params.state === "published";
    const refusal = overLimit(user, blog, params, publishes);
    if (refusal) return refusal;
    const post: TumblrPost = { id: newId(), blogUuid: blog.uuid, blogName: blog.name, ...params, at: now() };
    posts = [...posts, post];
    spendFor(user, params, publishes);
    const display = `${DISPLAY_TEXT[post.state]} ${blog.name}.`;
    return { status: 201, body: envelope(201, { id: post.id, state: post.state, display_text: display }) };
  }

  /**
   * `PUT /v2/blog/{id}/posts/{post-id}`: the whole post again, as its docs say. A draft edited to
   * "published" is published then (and counts in the day's posts); editing it again changes it,
   * and publishes nothing more.
   */
  function editPost(
    user: TumblrUser,
    blog: TumblrBlog,
    id: string,
    input: unknown,
    files: Record<string, UploadedFile>,
  ): Answer {
    const post = posts.find((p) => p.id === id && p.blogUuid === blog.uuid);
    if (!post) return notFound("Post not found");
    const params = postParams(input, files);
    if ("error" in params) return params.error;
    const publishes = params.state === "published" && post.state !== "published";
    const refusal = overLimit(user, blog, params, publishes);
    if (refusal) return refusal;
    Object.assign(post, { ...params, media: [...post.media, ...params.media] });
    if (publishes) post.at = now();
    spendFor(user, params, publishes);
    return ok({ id: post.id });
  }

  /** A queued post whose `publish_on` has come is published, as Tumblr's queue would have done. */
  function promoteQueue(): void {
    for (const post of posts) {
      if (post.state === "queued" && post.publishOn && Date.parse(post.publishOn) <= now()) {
        post.state = "published";
      }
    }
  }

  /** `GET /v2/blog/{id}/posts[/queue|/draft]`: one state's posts, as far as the listing has caught up. */
  function listPosts(blog: TumblrBlog, query: Record<string, string>, state: TumblrPost["state"]): Answer {
    if (query.before !== undefined && query.offset !== undefined) {
      return badRequest("'before' and 'offset' cannot be used together.", 0);
    }
    const before = query.before === undefined ? Infinity : Number(query.before) * 1000;
    const after = query.after === undefined ? -Infinity : Number(query.after) * 1000;
    // The queue lists in the order it publishes; the others newest first unless asked.
    const ascending = query.sort === "asc" || (state === "queued" && query.sort === undefined);
    const visible = posts
      .filter(
        (p) =>
          p.blogUuid === blog.uuid &&
          p.state === state &&
          shownAt(p) + standin.listingDelayMs <= now() &&
          shownAt(p) < before &&
          shownAt(p) > after,
      )
      .sort(
        (a, b) => (ascending ? 1 : -1) * (shownAt(a) - shownAt(b) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
      );
    const limit = Math.min(Math.max(Math.trunc(Number(query.limit ?? 20)) || 20, 1), 20);
    const offset = Math.max(Math.trunc(Number(query.offset ?? 0)) || 0, 0);
    const page = visible.slice(offset, offset + limit);
    return withRawIds(
      ok({
        blog: { ...blogInfo(blog), posts: visible.length },
        posts: page.map((p) => postEntry(p, true)),
        total_posts: visible.length,
      }),
    );
  }

  /** `GET /v2/blog/{id}/posts/{post-id}`: the blog's owner sees any of its posts, others the published ones. */
  function fetchPost(blog: TumblrBlog, id: string, own: boolean): Answer {
    const post = posts.find((p) => p.id === id && p.blogUuid === blog.uuid);
    if (!post || (!own && post.state !== "published")) return notFound("Post not found");
    const scheduled = post.state === "queued" && post.publishOn !== undefined;
    // This route writes `id` as a string, as its documentation says.
    return ok({
      ...postEntry(post, false),
      tumblelog_uuid: blog.uuid,
      ...(post.state === "queued" && { queued_state: scheduled ? "scheduled" : "queued" }),
      ...(scheduled && {
        scheduled_publish_time: Math.floor(Date.parse(post.publishOn ?? "") / 1000),
        publish_on: post.publishOn,
      }),
    });
  }

  function deletePost(blog: TumblrBlog, id: string): Answer {
    const post = posts.find((p) => p.id === id && p.blogUuid === blog.uuid);
    if (!post) return notFound("Post not found");
    posts = posts.filter((p) => p !== post);
    return ok({ id: post.id });
  }

  function shownAt(post: TumblrPost): number {
    return post.publishOn && post.state === "published" ? Date.parse(post.publishOn) : post.at;
  }

  function postEntry(post: TumblrPost, rawId: boolean): Record<string, unknown> {
    const at = shownAt(post);
    return {
      object_type: "post",
      type: "blocks",
      id: rawId ? `${rawMark}${post.id}` : post.id,
      id_string: post.id,
      blog_name: post.blogName,
      blog: { name: post.blogName, uuid: post.blogUuid },
      post_url: `https://www.tumblr.com/${post.blogName}/${post.id}${post.slug ? `/${post.slug}` : ""}`,
      slug: post.slug,
      state: post.state,
      timestamp: Math.floor(at / 1000),
      date: new Date(at)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, " GMT"),
      tags: post.tags,
      is_blocks_post_format: true,
      content: post.content,
      layout: post.layout,
      trail: [],
      summary: [...firstText(post.content)].slice(0, 200).join(""),
    };
  }

  /** Writes each marked id as a bare number literal, as Tumblr does: `JSON.parse` loses its last digits. */
  function withRawIds(answer: Answer): Answer {
    const text = JSON.stringify(answer.body).replace(
      new RegExp(`"${rawMark}(\\d+)"`, "g"),
      (_match, digits: string) => digits,
    );
    return { ...answer, body: new RawJson(text) };
  }

  /** www.tumblr.com's `/oauth2/authorize`: a page with Allow and Cancel, which send the browser back. */
  function authorizePage(method: string, url: URL, body: ParsedBody, res: ServerResponse): void {
    if (url.pathname !== "/oauth2/authorize" || (method !== "GET" && method !== "POST")) {
      sendHtml(res, 404, "Not found", "<h1>There's nothing here.</h1>");
      return;
    }
    // Allow and Cancel post the same parameters back, with the user's answer.
    const params: Record<string, string> =
      method === "POST" ? body.fields : Object.fromEntries(url.searchParams);
    const redirect = params.redirect_uri;
    if (params.client_id !== standin.app.key) {
      sendHtml(res, 400, "Tumblr", "<h1>Invalid client_id</h1><p>This application is not registered.</p>");
      return;
    }
    // Tumblr wants a redirect_uri when an app registered several; the stand-in acts as such an app.
    if (!redirect?.startsWith("https://")) {
      sendHtml(res, 400, "Tumblr", "<h1>Invalid redirect_uri</h1><p>A redirect URI must be supplied.</p>");
      return;
    }
    const back = (answer: Record<string, string>) => {
      const target = new URL(redirect);
      for (const [key, value] of Object.entries(answer)) target.searchParams.set(key, value);
      res.writeHead(302, { location: target.toString(), "content-length": 0 }).end();
    };
    const state = params.state ?? "";
    // Past the client and the redirect URI, errors go back to the app, as RFC 6749 §4.1.2.1 says.
    const scope = (params.scope ?? "").split(" ").filter(Boolean);
    const refusal =
      params.response_type !== "code"
        ? "unsupported_response_type"
        : !scope.includes("write") && "invalid_scope";
    if (refusal) {
      back({ error: refusal, state });
      return;
    }

    const answer = method === "POST" ? params.answer : standin.authorize.mode;
    if (answer !== "allow" && answer !== "cancel") {
      const hidden = Object.entries(params)
        .filter(([key]) => key !== "answer")
        .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
        .join("");
      sendHtml(
        res,
        200,
        "Tumblr",
        `<h1>Allow alsoshare to access your Tumblr account?</h1><p>${escapeHtml(scope.join(" "))}</p><form method="post" action="/oauth2/authorize">${hidden}<button id="allow" type="submit" name="answer" value="allow">Allow</button> <button id="cancel" type="submit" name="answer" value="cancel">Cancel</button></form>`,
      );
      return;
    }
    if (answer === "cancel") {
      back({ error: "access_denied", state });
      return;
    }
    const userName = standin.authorize.asUser ?? users[0]?.name;
    if (!userName) {
      sendHtml(res, 400, "Tumblr", "<h1>No one is signed in to Tumblr.</h1>");
      return;
    }
    const code = mint(30);
    codes = [
      ...codes,
      {
        code,
        clientId: params.client_id,
        ...(params.redirect_uri !== undefined && { redirectUri: params.redirect_uri }),
        scope: scope.join(" "),
        userName,
        used: false,
        at: now(),
      },
    ];
    back({ code, state });
  }

  return standin;
}

/** Serves the stand-in on a local port for unit tests: `fetch` sends every Tumblr URL there, under its real host name. */
export function serveTumblrStandin(standin: TumblrStandin): ReturnType<typeof serveOverHttp> {
  return serveOverHttp("Tumblr", standin);
}

/** NPF content checked against the spec and the uploaded parts; uploads named by URL on Tumblr's CDN. */
function checkContent(
  content: unknown,
  files: Record<string, UploadedFile>,
): { content: unknown[]; media: TumblrPost["media"] } | { error: Answer } {
  if (!Array.isArray(content) || content.length === 0) {
    return { error: badRequest("'content' must be a non-empty array.") };
  }
  if (content.length > BLOCKS_MAX) return { error: badRequest(`A post takes at most ${BLOCKS_MAX} blocks.`) };
  const media: TumblrPost["media"] = [];
  const out: unknown[] = [];
  for (const [index, block] of content.entries()) {
    const where = `content[${index}]`;
    if (!isRecord(block)) return { error: badRequest(`${where} is not a content block.`) };
    let checked: string | Record<string, unknown>;
    switch (block.type) {
      case "text":
        checked = checkText(block);
        break;
      case "link":
        checked = typeof block.url === "string" && isHttpUrl(block.url) ? block : "a link block needs a url.";
        break;
      case "image": {
        if (!Array.isArray(block.media) || block.media.length === 0) {
          checked = "an image block needs a media array.";
          break;
        }
        const sized: unknown[] = [];
        for (const item of block.media) {
          const one = mediaObject(item, "image", files, media);
          if ("refused" in one) return { error: mediaError(where, one) };
          sized.push(one.ok);
        }
        checked = { ...block, media: sized };
        break;
      }
      case "video": {
        if (block.media === undefined) {
          // A third-party video (YouTube, Vimeo) is named by its URL.
          checked =
            typeof block.url === "string" && isHttpUrl(block.url)
              ? block
              : "a video block needs media or a url.";
          break;
        }
        const one = mediaObject(block.media, "video", files, media);
        if ("refused" in one) return { error: mediaError(where, one) };
        checked = { ...block, provider: block.provider ?? "tumblr", media: one.ok };
        break;
      }
      default:
        // Audio, polls and paywalls are NPF too, but not modelled: the extension sends none.
        checked = `blocks of type ${JSON.stringify(block.type)} are not supported.`;
    }
    if (typeof checked === "string") return { error: badRequest(`${where}: ${checked}`) };
    out.push(checked);
  }
  const count = (type: string) => out.filter((b) => isRecord(b) && b.type === type).length;
  if (count("image") > 30) return { error: badRequest("A post takes at most 30 image blocks.") };
  if (count("link") > 10) return { error: badRequest("A post takes at most 10 link blocks.") };
  if (count("video") > 10) return { error: badRequest("A post takes at most 10 video blocks.") };
  if (media.filter((m) => m.type.startsWith("video/")).length > 1) {
    return { error: badRequest("A post takes at most one uploaded video.") };
  }
  return { content: out, media };
}

function checkText(block: Record<string, unknown>): string | Record<string, unknown> {
  if (typeof block.text !== "string") return "a text block needs a string text.";
  // NPF counts Unicode code points, not UTF-16 units: an emoji is one.
  const length = [...block.text].length;
  if (length > TEXT_MAX) return `a text block holds at most ${TEXT_MAX} characters.`;
  if (block.subtype !== undefined && !SUBTYPES.has(String(block.subtype))) return "unknown text subtype.";
  if (block.formatting === undefined) return block;
  if (!Array.isArray(block.formatting)) return "formatting must be an array.";
  for (const range of block.formatting) {
    if (!isRecord(range) || !FORMATS.has(String(range.type))) return "unknown formatting type.";
    const { start, end } = range;
    if (!Number.isInteger(start) || !Number.isInteger(end)) return "formatting needs integer start and end.";
    if ((start as number) < 0 || (start as number) >= (end as number) || (end as number) > length) {
      return `formatting range ${start}–${end} is outside the text (${length} characters).`;
    }
    if (range.type === "link" && typeof range.url !== "string") return "a link range needs a url.";
    if (range.type === "mention" && !(isRecord(range.blog) && typeof range.blog.uuid === "string")) {
      return "a mention range needs a blog with a uuid.";
    }
    if (range.type === "color" && !/^#[0-9a-f]{3,8}$/i.test(String(range.hex)))
      return "a color range needs a hex.";
  }
  return block;
}

/**
 * One media object: an uploaded part named by `identifier` (recorded in `media`, answered as a URL
 * on Tumblr's CDN), or a URL already there. Tumblr's docs do not promise it fetches other URLs.
 */
function mediaObject(
  item: unknown,
  kind: "image" | "video",
  files: Record<string, UploadedFile>,
  media: TumblrPost["media"],
): { ok: Record<string, unknown> } | { refused: string; code: number } {
  const refuse = (refused: string, code = 8001) => ({ refused, code });
  if (!isRecord(item)) return refuse("a media entry is not a media object.");
  // NPF: "this field should only be available when consuming an NPF Post, it is not allowed during
  // Post creation" (Media Objects); an edit is a creation again.
  if ("original_dimensions_missing" in item) {
    return refuse("original_dimensions_missing is not allowed when making a post.");
  }
  const known = Number(item.width) > 0 && Number(item.height) > 0;
  const size = known
    ? { width: Number(item.width), height: Number(item.height) }
    : { width: 540, height: 405, original_dimensions_missing: true };
  if (typeof item.identifier === "string") {
    const file = files[item.identifier];
    if (!file) return refuse(`no file part is named ${JSON.stringify(item.identifier)}.`);
    if (!file.type.startsWith(`${kind}/`) || file.bytes.length === 0) {
      const what = file.bytes.length === 0 ? "empty" : file.type || "untyped";
      return refuse(`the part ${JSON.stringify(item.identifier)} is ${what}, not an ${kind}.`, 8005);
    }
    media.push({
      identifier: item.identifier,
      type: file.type,
      bytes: file.bytes.length,
      filename: file.filename,
    });
    const extension = file.type.split("/")[1]?.replace("jpeg", "jpg") ?? "bin";
    const name = `tumblr_${randomBytes(9).toString("base64url")}_1280.${extension}`;
    const { identifier: _named, ...rest } = item;
    return {
      ok: {
        ...rest,
        type: file.type,
        url: `https://64.media.tumblr.com/${randomBytes(16).toString("hex")}/${name}`,
        ...size,
      },
    };
  }
  if (typeof item.url === "string") {
    try {
      const url = new URL(item.url);
      if (url.protocol === "https:" && TUMBLR_MEDIA.test(url.hostname)) return { ok: { ...item, ...size } };
    } catch {
      // Not a URL: refused below.
    }
    return refuse(`the media URL ${JSON.stringify(item.url)} is not on Tumblr's media servers.`);
  }
  return refuse("a media object needs an identifier or a url.");
}

function mediaError(where: string, refusal: { refused: string; code: number }): Answer {
  const title = refusal.code === 8005 ? "Invalid media" : "Bad Request";
  return tumblrError(400, [{ title, code: refusal.code, detail: `${where}: ${refusal.refused}` }]);
}

/** Tags as one comma-separated string, trimmed; an error's wording when they break Tumblr's rules. */
function tagsOf(tags: unknown): string[] | string {
  if (tags === undefined) return [];
  if (typeof tags !== "string") return "'tags' must be a comma-separated string.";
  const list = tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (list.length > TAGS_MAX) return `A post takes at most ${TAGS_MAX} tags.`;
  if (list.some((t) => [...t].length > TAG_MAX)) return `A tag is at most ${TAG_MAX} characters.`;
  return list;
}

/** Lowercase, runs of anything not a-z or 0-9 made one `-`, trimmed of `-`, at most 55 characters. */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}

/** The first text block's text, which a slug and a summary are made of. */
function firstText(content: unknown[]): string {
  const block = content.find((b) => isRecord(b) && b.type === "text");
  return isRecord(block) && typeof block.text === "string" ? block.text : "";
}

/** The NPF parameters: a JSON body, or a multipart `json` part (a field, or a file when sent as a Blob). */
function jsonParams(body: ParsedBody): unknown {
  if (body.json !== undefined) return body.json;
  const text = body.fields.json ?? body.files.json?.bytes.toString("utf8");
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A path segment decoded; one that does not decode stays as sent (and matches no blog). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s/]+/.test(text);
}

function withoutToken<T extends Record<string, unknown>>(record: T): T {
  const { access_token: _token, ...rest } = record;
  return rest as T;
}

function stringsOf(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function reason(status: number): string {
  // Tumblr's own phrase for its 429.
  return status === 429 ? "Limit Exceeded" : (STATUS_CODES[status] ?? "Error");
}

function envelope(status: number, response: unknown): unknown {
  return { meta: { status, msg: reason(status) }, response };
}

function ok(response: unknown): Answer {
  return { status: 200, body: envelope(200, response) };
}

/** Tumblr's error answer: the envelope, an empty `response` and the `errors` array. */
export function tumblrError(status: number, errors: TumblrError[]): Answer {
  return { status, body: { meta: { status, msg: reason(status) }, response: [], errors } };
}

function badRequest(detail: string, code = 8001): Answer {
  return tumblrError(400, [{ title: "Bad Request", code, detail }]);
}

function forbidden(detail: string, code = 0): Answer {
  return tumblrError(403, [{ title: "Forbidden", code, detail }]);
}

function notFound(detail = "Not Found"): Answer {
  return tumblrError(404, [{ title: "Not Found", code: 0, detail }]);
}

/** An OAuth error as RFC 6749 §5.2 writes it: the token endpoint does not use Tumblr's envelope. */
function oauthError(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}

/** A body sent as written: JSON whose numbers JavaScript could not write. */
class RawJson {
  constructor(readonly text: string) {}
}

function send(res: ServerResponse, answer: Answer, extra: Record<string, string> = {}): void {
  const headers = { ...answer.headers, ...extra };
  if (answer.body instanceof RawJson) {
    sendText(res, answer.status, answer.body.text, "application/json; charset=utf-8", headers);
    return;
  }
  sendJson(res, answer.status, answer.body, headers);
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  sendText(
    res,
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
    "text/html; charset=utf-8",
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
