import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createFaults, onRequest } from "./faults";
import { parseBody, readBody, sendJson, sendText } from "./http";
import { serveOverHttp } from "./serve-over-http";

/*
 * graph.threads.net and the Authorization Window on threads.com, as the Threads API answers them,
 * bad days included: answers lost after the post was made, rate limits with their usage header,
 * 5xx, expired and revoked tokens, Threads' own error bodies, media it cannot fetch or take,
 * containers still processing or ending in ERROR, the 250-posts-a-day limit.
 *
 *   const threads = createThreadsStandin({ now: () => clock.now });
 *   const user = threads.addUser({ id: "17841400123456789", username: "acme.bakery", name: "Acme Bakery" });
 *   const token = threads.signIn(user.id);
 *   threads.inject({ path: /\/threads_publish$/, dropAfterCommit: true });
 *   …
 *   expect(threads.posts()).toHaveLength(1);
 *
 * Where Meta documents no answer, the one given here is modelled on its nearest documented kin
 * and says so.
 */

/** The one Threads API version the extension pins; other versions get an error. */
export const THREADS_VERSION = "v1.0";
export const THREADS_HOSTS = ["graph.threads.net", "threads.com"] as const;

export type ThreadsUser = { id: string; username: string; name: string; pictureUrl?: string };
export type ThreadsToken = {
  token: string;
  userId: string;
  kind: "short" | "long";
  issuedAt: number;
  expiresAt: number;
  revoked?: boolean;
};
export type ThreadsContainer = {
  id: string;
  userId: string;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL";
  url?: string;
  altText?: string;
  text?: string;
  isCarouselItem: boolean;
  children: string[];
  /** Epoch ms. */
  createdAt: number;
  /** Status reads still to answer IN_PROGRESS (a video being processed). */
  pendingLooks: number;
  /** Threads could not take the media in: the container's `error_message`. */
  error?: string;
  /** The post it became, once published. */
  postId?: string;
};
export type ThreadsPost = {
  id: string;
  userId: string;
  containerId: string;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  text: string;
  media: { type: "IMAGE" | "VIDEO"; url: string; altText?: string }[];
  shortcode: string;
  permalink: string;
  /** Epoch ms. */
  at: number;
};
export type ThreadsRequest = {
  method: string;
  host: string;
  path: string;
  /** Every parameter (query and body) except `access_token`. */
  params: Record<string, string>;
  token?: string;
  /** Where the token came: a URL would leave it in logs and history. */
  tokenIn?: "header" | "query" | "body";
  time: number;
};
export type ThreadsErrorSpec = {
  code: number;
  subcode?: number;
  message?: string;
  type?: string;
  userTitle?: string;
  userMsg?: string;
  isTransient?: boolean;
};
export type ThreadsFault = {
  method?: string;
  /** Tested against the path without query string, e.g. `/v1.0/me/threads_publish`. */
  path?: RegExp;
  /** How many matching requests this fault takes; default 1. */
  times?: number;
  status?: number;
  error?: ThreadsErrorSpec;
  /** A rate limit as Threads answers it: code 17 and the usage header saying when access is back. */
  rateLimit?: { minutes: number };
  /** Sent with the answer. */
  headers?: Record<string, string>;
  /** A raw body instead of Threads' JSON (a load balancer's HTML 502 page). */
  body?: string;
  /** Do the work, then answer 200 with this instead of the real answer. */
  garbled?: unknown;
  /** Do the work (the post IS made), then destroy the socket without answering. */
  dropAfterCommit?: boolean;
  /** With `status`, `error` or `body`: do the work first, then answer that anyway. */
  afterCommit?: boolean;
  /** Destroy the socket before doing anything. */
  networkDown?: boolean;
  /** A container this request makes ends in ERROR with this `error_message`. */
  containerError?: string;
};
/** What Instagram's CDN has at a URL (as Threads' fetch finds it); undefined: nothing there. */
export type ThreadsMediaLookup = (
  url: string,
) => { type: "image" | "video"; bytes: number; seconds?: number } | undefined;

/** How the Authorization Window answers a visit: a page to Allow or Cancel, or the user's answer at once. */
export type AuthorizeMode = "consent" | "allow" | "cancel";

export type ThreadsStandin = {
  readonly hosts: readonly string[];
  app: { id: string; secret: string };
  authorize: { mode: AuthorizeMode; asUser?: string };
  /** Status reads a video container (or a carousel holding one) answers IN_PROGRESS before FINISHED. */
  videoLooks: number;
  /** A new post shows in `/me/threads` only this long after it was published. */
  listingDelayMs: number;
  /**
   * What a published container's id answers: its status (PUBLISHED), as Meta's troubleshooting
   * guide says; or, as some report, the post it became, which has no `status` field.
   */
  containerAfterPublishing: "status" | "post";
  addUser(user: ThreadsUser): ThreadsUser;
  /** A token for the user, as linking would give it: long-lived (60 days) unless asked. */
  signIn(
    userId: string,
    options?: { kind?: "short" | "long"; issuedAt?: number; expiresAt?: number },
  ): string;
  /** The user took the app's access away (Settings → Website permissions): every token is dead. */
  revoke(userId: string): void;
  /** Posts the profile published through the API, by any app, before the test: they count in the daily limit. */
  publishedElsewhere(userId: string, count: number): void;
  posts(): readonly ThreadsPost[];
  containers(): readonly ThreadsContainer[];
  requests(): readonly ThreadsRequest[];
  tokens(): readonly ThreadsToken[];
  inject(fault: ThreadsFault): void;
  clearFaults(): void;
  /** Forgets users, tokens, posts, containers, requests and faults. */
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export const STANDIN_THREADS_APP = { id: "990602627938098", secret: "a1b2c3d4e5f60718293a4b5c6d7e8f90" };
const SHORT_TOKEN_MS = 60 * 60_000;
/** What Threads says a long-lived token's `expires_in` is (Long-Lived Access Tokens). */
const LONG_TOKEN_SECONDS = 5_183_944;
const DAY_MS = 24 * 60 * 60_000;
const POSTS_PER_DAY = 250;
const TEXT_LIMIT = 500;
const ALT_TEXT_LIMIT = 1000;
const IMAGE_MAX_BYTES = 8 * 1024 ** 2;
const VIDEO_MAX_BYTES = 1024 ** 3;
const VIDEO_MAX_SECONDS = 300;
const CDN_HOST = /(^|\.)(cdninstagram\.com|fbcdn\.net)$/;

/** Threads' wording and HTTP status per code, so tests see what production sees. */
const ERROR_DEFAULTS: Record<
  number,
  { status: number; message: string; type?: string; transient?: boolean }
> = {
  1: { status: 500, message: "An unknown error occurred", transient: true },
  2: {
    status: 503,
    message: "An unexpected error has occurred. Please retry your request later.",
    transient: true,
  },
  4: { status: 403, message: "(#4) Application request limit reached", transient: true },
  // Threads documents its 250-a-day limit, not its answer: modelled on Instagram's content
  // publishing answer at its own daily limit (code 9, subcode 2207042).
  9: { status: 400, message: "(#9) Application request limit reached" },
  10: { status: 403, message: "(#10) Application does not have permission for this action" },
  17: { status: 403, message: "(#17) User request limit reached", transient: true },
  24: { status: 400, message: "The requested resource does not exist" },
  100: { status: 400, message: "(#100) Invalid parameter", type: "THApiException" },
  104: { status: 400, message: "An access token is required to request this resource." },
  190: { status: 400, message: "Invalid OAuth access token - Cannot parse access token" },
  // Instagram's "Media download has failed" (9004 / 2207052), which Threads' fetch of an image shares.
  9004: { status: 400, message: "The media could not be fetched from this URI" },
};

export function createThreadsStandin(deps: {
  now?: () => number;
  /** Defaults to: any https URL on Instagram's CDN exists, a small file whose kind its extension says. */
  lookupMedia?: ThreadsMediaLookup;
}): ThreadsStandin {
  const now = deps.now ?? Date.now;
  const lookupMedia = deps.lookupMedia ?? defaultLookup;
  let users: ThreadsUser[] = [];
  let tokens: ThreadsToken[] = [];
  let containers: ThreadsContainer[] = [];
  let posts: ThreadsPost[] = [];
  let requests: ThreadsRequest[] = [];
  const faults = createFaults<ThreadsFault>();
  let codes: { code: string; userId: string; redirectUri: string; used: boolean; at: number }[] = [];
  let elsewhere: { userId: string; at: number }[] = [];
  // Threads ids are long decimal numbers; a counter keeps them unique and ordered.
  let nextId = 17_889_615_691_921_000n;
  const newId = (): string => {
    nextId += 1n;
    return nextId.toString();
  };
  const mint = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url").replace(/[-_]/g, "x")}`;

  const standin: ThreadsStandin = {
    hosts: THREADS_HOSTS,
    app: { ...STANDIN_THREADS_APP },
    authorize: { mode: "consent" },
    videoLooks: 2,
    listingDelayMs: 0,
    containerAfterPublishing: "status",
    addUser(user) {
      users = [...users.filter((u) => u.id !== user.id), user];
      return user;
    },
    signIn(userId, options = {}) {
      const kind = options.kind ?? "long";
      const issuedAt = options.issuedAt ?? now();
      const token: ThreadsToken = {
        token: mint(kind === "long" ? "THQV" : "THAA"),
        userId,
        kind,
        issuedAt,
        expiresAt:
          options.expiresAt ?? issuedAt + (kind === "long" ? LONG_TOKEN_SECONDS * 1000 : SHORT_TOKEN_MS),
      };
      tokens = [...tokens, token];
      return token.token;
    },
    revoke(userId) {
      tokens = tokens.map((t) => (t.userId === userId ? { ...t, revoked: true } : t));
    },
    publishedElsewhere(userId, count) {
      elsewhere = [...elsewhere, ...Array.from({ length: count }, () => ({ userId, at: now() }))];
    },
    posts: () => posts,
    containers: () => containers,
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
      containers = [];
      posts = [];
      requests = [];
      faults.clear();
      codes = [];
      elsewhere = [];
      standin.app = { ...STANDIN_THREADS_APP };
      standin.authorize = { mode: "consent" };
      standin.videoLooks = 2;
      standin.listingDelayMs = 0;
      standin.containerAfterPublishing = "status";
    },
    handle,
  };

  function takeFault(method: string, path: string): ThreadsFault | undefined {
    return faults.take(onRequest(method, path));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const url = new URL(req.url ?? "/", `https://${host || "graph.threads.net"}`);
    if (host === "threads.com" || host === "www.threads.com") {
      authorizeWindow(url, res);
      return;
    }
    const method = (req.method ?? "GET").toUpperCase();
    const body = await parseBody(await readBody(req), req.headers["content-type"]);
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const inQuery = url.searchParams.get("access_token") ?? undefined;
    const inBody = body.fields.access_token;
    const token = inQuery ?? inBody ?? bearer;
    const tokenIn = inQuery ? "query" : inBody ? "body" : bearer ? "header" : undefined;
    const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...body.fields };
    delete params.access_token;
    requests = [...requests, { method, host, path: url.pathname, params, token, tokenIn, time: now() }];

    const fault = takeFault(method, url.pathname);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    const failing =
      fault?.error !== undefined ||
      fault?.status !== undefined ||
      fault?.body !== undefined ||
      fault?.rateLimit !== undefined;
    const caller = tokens.find((t) => t.token === token)?.userId;
    if (failing && !fault?.afterCommit) {
      sendFault(res, fault, caller);
      return;
    }
    const answer = route(method, url.pathname, params, token, fault);
    if (failing) {
      // The work was done; the answer says it failed, as Threads' 5xx sometimes do.
      sendFault(res, fault, caller);
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

  function sendFault(res: ServerResponse, fault: ThreadsFault | undefined, userId: string | undefined): void {
    if (fault?.body !== undefined) {
      sendText(res, fault.status ?? 502, fault.body, "text/html; charset=utf-8", fault.headers);
      return;
    }
    if (fault?.rateLimit) {
      const usage = { call_count: 100, total_cputime: 34, total_time: 41 };
      const answer = threadsError({ code: 17 });
      send(res, answer, {
        "x-app-usage": JSON.stringify(usage),
        "x-business-use-case-usage": JSON.stringify({
          [userId ?? standin.app.id]: [
            { type: "threads", ...usage, estimated_time_to_regain_access: fault.rateLimit.minutes },
          ],
        }),
        ...fault.headers,
      });
      return;
    }
    const spec = fault?.error ?? { code: (fault?.status ?? 500) >= 500 ? 2 : 1 };
    send(res, threadsError(spec, fault?.status), fault?.headers);
  }

  function route(
    method: string,
    path: string,
    params: Record<string, string>,
    token: string | undefined,
    fault: ThreadsFault | undefined,
  ): Answer {
    const parts = path.split("/").filter(Boolean);
    const versioned = /^v\d+\.\d+$/.test(parts[0] ?? "");
    if (versioned && parts[0] !== THREADS_VERSION) {
      return threadsError({
        code: 100,
        message: `Unknown path components: /${parts[0]} (this stand-in serves only ${THREADS_VERSION})`,
      });
    }
    const [node, edge, ...rest] = versioned ? parts.slice(1) : parts;
    if (node === "oauth" && edge === "access_token" && method === "POST") return exchangeCode(params);
    if (node === "access_token" && edge === undefined && method === "GET")
      return exchangeToken(token, params);
    if (node === "refresh_access_token" && edge === undefined && method === "GET") {
      return refreshToken(token, params);
    }
    if (!versioned) return unsupported(method, path);
    if (!token) return threadsError({ code: 104 });
    const signedIn = tokens.find((t) => t.token === token);
    if (!signedIn) return threadsError({ code: 190 });
    const dead = deadToken(signedIn);
    if (dead) return dead;
    const user = users.find((u) => u.id === signedIn.userId);
    if (!user || node === undefined || rest.length > 0) return unsupported(method, path);

    if (node === "me" || node === user.id) {
      if (edge === undefined && method === "GET") return ok(profileOf(user, params.fields));
      if (edge === "threads" && method === "POST") return makeContainer(user, params, fault);
      if (edge === "threads" && method === "GET") return listThreads(user, params);
      if (edge === "threads_publish" && method === "POST") return publish(user, params);
      if (edge === "threads_publishing_limit" && method === "GET") return publishingLimit(user);
      return unsupported(method, path);
    }
    if (edge !== undefined || method !== "GET") return unsupported(method, path);
    const container = containers.find((c) => c.id === node);
    if (container) {
      if (container.userId !== user.id) return threadsError({ code: 10 });
      const became = posts.find((p) => p.id === container.postId);
      if (became && standin.containerAfterPublishing === "post") {
        if (params.fields?.includes("status")) {
          return threadsError({ code: 100, message: "Tried accessing nonexisting field (status)" });
        }
        return ok(postEntry(became, params.fields));
      }
      return ok(containerEntry(container));
    }
    const post = posts.find((p) => p.id === node);
    if (post) {
      if (post.userId !== user.id) return threadsError({ code: 10 });
      return ok(postEntry(post, params.fields));
    }
    return mediaNotFound(node);
  }

  /** `POST /oauth/access_token`: a code from the Authorization Window for a short-lived token. */
  function exchangeCode(params: Record<string, string>): Answer {
    if (params.grant_type !== "authorization_code" || !params.client_id || !params.client_secret) {
      return threadsError({ code: 100, message: "Missing client_id, client_secret or grant_type" });
    }
    if (params.client_id !== standin.app.id || params.client_secret !== standin.app.secret) {
      return threadsError({ code: 101, message: "Error validating application. Invalid application ID." });
    }
    const issued = codes.find((c) => c.code === params.code);
    if (!issued || issued.used || now() - issued.at > 60 * 60_000) {
      return threadsError({
        code: 100,
        subcode: 36009,
        message: "This authorization code has been used or has expired.",
      });
    }
    if (issued.redirectUri !== params.redirect_uri) {
      return threadsError({ code: 100, subcode: 36008, message: "Error validating verification code." });
    }
    issued.used = true;
    const shortToken = standin.signIn(issued.userId, { kind: "short" });
    // Threads writes `user_id` as a JSON number, too large for a JavaScript number to hold exactly.
    return { status: 200, body: rawJson(`{"access_token":"${shortToken}","user_id":${issued.userId}}`) };
  }

  /** `GET /access_token?grant_type=th_exchange_token`: a short-lived token for a long-lived one. */
  function exchangeToken(token: string | undefined, params: Record<string, string>): Answer {
    if (params.grant_type !== "th_exchange_token")
      return threadsError({ code: 100, message: "Invalid grant_type" });
    if (params.client_secret !== standin.app.secret) {
      return threadsError({ code: 1, message: "Error validating client secret." }, 400);
    }
    const short = tokens.find((t) => t.token === token && t.kind === "short");
    if (!short) return threadsError({ code: 190 });
    const dead = deadToken(short);
    if (dead) return dead;
    const long = standin.signIn(short.userId, { kind: "long" });
    return ok({ access_token: long, token_type: "bearer", expires_in: LONG_TOKEN_SECONDS });
  }

  /** `GET /refresh_access_token`: a long-lived token at least a day old and not expired, for another 60 days. */
  function refreshToken(token: string | undefined, params: Record<string, string>): Answer {
    if (params.grant_type !== "th_refresh_token")
      return threadsError({ code: 100, message: "Invalid grant_type" });
    const long = tokens.find((t) => t.token === token && t.kind === "long");
    if (!long) return threadsError({ code: 190 });
    const dead = deadToken(long);
    if (dead) return dead;
    // Threads documents the rule, not its answer: modelled as an invalid parameter.
    if (now() - long.issuedAt < DAY_MS) {
      return threadsError({
        code: 100,
        message: "(#100) The access token can be refreshed once it is at least 24 hours old.",
      });
    }
    const renewed = standin.signIn(long.userId, { kind: "long" });
    return ok({ access_token: renewed, token_type: "bearer", expires_in: LONG_TOKEN_SECONDS });
  }

  function deadToken(token: ThreadsToken): Answer | undefined {
    if (token.revoked) {
      return threadsError({
        code: 190,
        subcode: 460,
        message:
          "Error validating access token: The session has been invalidated because the user changed their password or Meta has changed the session for security reasons.",
      });
    }
    if (now() >= token.expiresAt) {
      return threadsError({
        code: 190,
        subcode: 463,
        message: `Error validating access token: Session has expired on ${new Date(token.expiresAt).toUTCString()}. The current time is ${new Date(now()).toUTCString()}.`,
      });
    }
    return undefined;
  }

  /** `POST /me/threads`: one media container, its media fetched from Instagram's CDN as Threads would. */
  function makeContainer(
    user: ThreadsUser,
    params: Record<string, string>,
    fault: ThreadsFault | undefined,
  ): Answer {
    const mediaType = params.media_type;
    const isCarouselItem = params.is_carousel_item === "true";
    const text = params.text;
    if (text !== undefined && threadsLength(text) > TEXT_LIMIT) {
      return threadsError({
        code: 100,
        message: `(#100) Param text must be at most ${TEXT_LIMIT} characters long.`,
      });
    }
    if (params.alt_text !== undefined && [...params.alt_text].length > ALT_TEXT_LIMIT) {
      return threadsError({
        code: 100,
        message: `(#100) Param alt_text must be at most ${ALT_TEXT_LIMIT} characters long.`,
      });
    }
    const base = {
      id: newId(),
      userId: user.id,
      altText: params.alt_text,
      text,
      isCarouselItem,
      children: [] as string[],
      createdAt: now(),
      pendingLooks: 0,
      ...(fault?.containerError && { error: fault.containerError }),
    };
    let container: ThreadsContainer;
    if (mediaType === "IMAGE") {
      const url = params.image_url ?? "";
      const media = fetchable(url) ? lookupMedia(url) : undefined;
      if (!media) {
        return threadsError({
          code: 9004,
          subcode: 2207052,
          userTitle: "Media download has failed",
          userMsg: "The media could not be fetched from this URI.",
        });
      }
      if (media.bytes > IMAGE_MAX_BYTES) {
        return threadsError({
          code: 100,
          userTitle: "Image too large",
          userMsg: "The image is too large. Images must be 8 MB or smaller.",
        });
      }
      container = { ...base, mediaType: "IMAGE", url };
    } else if (mediaType === "VIDEO") {
      const url = params.video_url ?? "";
      const media = fetchable(url) ? lookupMedia(url) : undefined;
      // A video is fetched and processed after the container is made: its faults show in its status.
      const error = !media
        ? "FAILED_DOWNLOADING_VIDEO"
        : (media.seconds ?? 0) > VIDEO_MAX_SECONDS
          ? "INVALID_DURATION"
          : media.bytes > VIDEO_MAX_BYTES
            ? "FAILED_PROCESSING_VIDEO"
            : undefined;
      container = {
        ...base,
        mediaType: "VIDEO",
        url,
        pendingLooks: standin.videoLooks,
        ...(error && !base.error && { error }),
      };
    } else if (mediaType === "CAROUSEL") {
      const children = (params.children ?? "").split(",").filter(Boolean);
      if (children.length < 2 || children.length > 20) {
        return threadsError({ code: 100, message: "(#100) A carousel takes 2 to 20 children." });
      }
      const known = children.map((id) => containers.find((c) => c.id === id));
      if (known.some((c) => !c || c.userId !== user.id || !c.isCarouselItem || c.postId)) {
        return threadsError({
          code: 100,
          message: "(#100) The children are not this profile's carousel items.",
        });
      }
      container = { ...base, mediaType: "CAROUSEL", children };
    } else {
      return threadsError({
        code: 100,
        message: "(#100) media_type must be one of TEXT, IMAGE, VIDEO, CAROUSEL",
      });
    }
    containers = [...containers, container];
    return ok({ id: container.id });
  }

  /** A container's status as `GET /{container-id}?fields=status,error_message` reads it; reading moves processing on. */
  function statusOf(container: ThreadsContainer, advance = true): { status: string; error_message?: string } {
    if (container.postId) return { status: "PUBLISHED" };
    if (now() - container.createdAt > DAY_MS) return { status: "EXPIRED" };
    const items = [container, ...container.children.flatMap((id) => containers.filter((c) => c.id === id))];
    const failed = items.find((c) => c.error);
    const pending = items.filter((c) => c.pendingLooks > 0);
    if (advance) for (const item of pending) item.pendingLooks -= 1;
    if (pending.length > 0) return { status: "IN_PROGRESS" };
    if (failed?.error) return { status: "ERROR", error_message: failed.error };
    return { status: "FINISHED" };
  }

  function containerEntry(container: ThreadsContainer): unknown {
    return { id: container.id, ...statusOf(container) };
  }

  /** `POST /me/threads_publish`: a finished container becomes a post, once. */
  function publish(user: ThreadsUser, params: Record<string, string>): Answer {
    const container = containers.find((c) => c.id === params.creation_id);
    if (!container || container.userId !== user.id) return mediaNotFound(params.creation_id ?? "");
    if (container.postId) {
      // Threads documents no answer for this: modelled as an invalid parameter.
      return threadsError({ code: 100, message: "(#100) The media container has already been published." });
    }
    if (container.isCarouselItem) {
      return threadsError({ code: 100, message: "(#100) A carousel item is published with its carousel." });
    }
    const { status } = statusOf(container, false);
    // Threads answers "Media Not Found" for a container it has not finished taking in.
    if (status === "IN_PROGRESS") return mediaNotFound(container.id);
    if (status !== "FINISHED") {
      return threadsError({
        code: 100,
        message: `(#100) The media container cannot be published (${status}).`,
      });
    }
    if (publishedInLastDay(user.id) >= POSTS_PER_DAY) {
      return threadsError({
        code: 9,
        subcode: 2207042,
        userTitle: "Publishing limit reached",
        userMsg: `This profile has published ${POSTS_PER_DAY} posts through the API in the last 24 hours.`,
      });
    }
    const items =
      container.mediaType === "CAROUSEL"
        ? container.children.flatMap((id) => containers.filter((c) => c.id === id))
        : [container];
    const shortcode = randomBytes(8).toString("base64url").replace(/[-_]/g, "A").slice(0, 11);
    const post: ThreadsPost = {
      id: newId(),
      userId: user.id,
      containerId: container.id,
      mediaType: container.mediaType === "CAROUSEL" ? "CAROUSEL_ALBUM" : container.mediaType,
      text: container.text ?? "",
      media: items.map((item) => ({
        type: item.mediaType === "VIDEO" ? "VIDEO" : "IMAGE",
        url: item.url ?? "",
        ...(item.altText !== undefined && { altText: item.altText }),
      })),
      shortcode,
      permalink: `https://www.threads.com/@${user.username}/post/${shortcode}`,
      at: now(),
    };
    container.postId = post.id;
    posts = [...posts, post];
    return ok({ id: post.id });
  }

  function publishedInLastDay(userId: string): number {
    const since = now() - DAY_MS;
    return (
      posts.filter((p) => p.userId === userId && p.at > since).length +
      elsewhere.filter((p) => p.userId === userId && p.at > since).length
    );
  }

  function publishingLimit(user: ThreadsUser): Answer {
    return ok({
      data: [
        {
          quota_usage: publishedInLastDay(user.id),
          config: { quota_total: POSTS_PER_DAY, quota_duration: 86_400 },
        },
      ],
    });
  }

  /** `GET /me/threads`: the profile's posts, newest first, paged by `limit` and the `after` cursor. */
  function listThreads(user: ThreadsUser, params: Record<string, string>): Answer {
    const since = params.since === undefined ? -Infinity : Number(params.since) * 1000;
    const until = params.until === undefined ? Infinity : Number(params.until) * 1000;
    const visible = posts
      .filter(
        (p) =>
          p.userId === user.id && p.at + standin.listingDelayMs <= now() && p.at >= since && p.at <= until,
      )
      .sort((a, b) => b.at - a.at);
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const start = params.after === undefined ? 0 : Number(Buffer.from(params.after, "base64url").toString());
    const slice = visible.slice(start, start + limit);
    const cursor = (index: number) => Buffer.from(String(index)).toString("base64url");
    const more = start + slice.length < visible.length;
    return ok({
      data: slice.map((post) => postEntry(post, params.fields)),
      paging: {
        cursors: { before: cursor(start), after: cursor(start + slice.length) },
        ...(more && {
          next: `https://graph.threads.net/${THREADS_VERSION}/me/threads?limit=${limit}&after=${cursor(start + slice.length)}`,
        }),
      },
    });
  }

  function postEntry(post: ThreadsPost, fields: string | undefined): unknown {
    const wanted = new Set((fields ?? "id").split(",").map((f) => f.trim()));
    const user = users.find((u) => u.id === post.userId);
    return {
      id: post.id,
      ...(wanted.has("permalink") && { permalink: post.permalink }),
      ...(wanted.has("timestamp") && { timestamp: threadsTime(post.at) }),
      ...(wanted.has("media_type") && { media_type: post.mediaType }),
      ...(wanted.has("text") && post.text !== "" && { text: post.text }),
      ...(wanted.has("shortcode") && { shortcode: post.shortcode }),
      ...(wanted.has("username") && user && { username: user.username }),
    };
  }

  function profileOf(user: ThreadsUser, fields: string | undefined): unknown {
    const wanted = new Set((fields ?? "id").split(",").map((f) => f.trim()));
    return {
      id: user.id,
      ...(wanted.has("username") && { username: user.username }),
      ...(wanted.has("name") && { name: user.name }),
      ...(wanted.has("threads_profile_picture_url") &&
        user.pictureUrl !== undefined && { threads_profile_picture_url: user.pictureUrl }),
    };
  }

  /** threads.com's Authorization Window: a page with Allow and Cancel, which send the browser back. */
  function authorizeWindow(url: URL, res: ServerResponse): void {
    const params = Object.fromEntries(url.searchParams);
    const redirect = params.redirect_uri;
    if (url.pathname !== "/oauth/authorize" && url.pathname !== "/oauth/authorize/answer") {
      sendHtml(res, 404, "Threads", "<h1>Sorry, this page isn't available.</h1>");
      return;
    }
    if (
      params.client_id !== standin.app.id ||
      params.response_type !== "code" ||
      !redirect?.startsWith("https://")
    ) {
      sendHtml(
        res,
        400,
        "Error",
        "<h1>Something went wrong</h1><p>Invalid client_id, redirect_uri or response_type.</p>",
      );
      return;
    }
    const answer = url.pathname === "/oauth/authorize/answer" ? params.answer : standin.authorize.mode;
    if (answer !== "allow" && answer !== "cancel") {
      const link = (choice: string) =>
        `/oauth/authorize/answer?${new URLSearchParams({ ...params, answer: choice })}`;
      sendHtml(
        res,
        200,
        "Threads",
        `<h1>Allow alsoshare to access your Threads profile?</h1><p>${escapeHtml(params.scope ?? "")}</p><a id="allow" role="button" href="${escapeHtml(link("allow"))}">Allow</a> <a id="cancel" role="button" href="${escapeHtml(link("cancel"))}">Cancel</a>`,
      );
      return;
    }
    const state = params.state ?? "";
    if (answer === "cancel") {
      const refusal = new URLSearchParams({
        error: "access_denied",
        error_reason: "user_denied",
        error_description: "Permissions error",
        state,
      });
      res.writeHead(302, { location: `${redirect}?${refusal}#_`, "content-length": 0 }).end();
      return;
    }
    const userId = standin.authorize.asUser ?? users[0]?.id;
    if (!userId) {
      sendHtml(res, 400, "Threads", "<h1>No one is signed in to Threads.</h1>");
      return;
    }
    const code = mint("AQ");
    codes = [...codes, { code, userId, redirectUri: redirect, used: false, at: now() }];
    res
      .writeHead(302, {
        location: `${redirect}?${new URLSearchParams({ code, state })}#_`,
        "content-length": 0,
      })
      .end();
  }

  return standin;
}

/** Serves the stand-in on a local port for unit tests: `fetch` sends every Threads URL there, under its real host name. */
export function serveThreadsStandin(standin: ThreadsStandin) {
  return serveOverHttp("Threads", standin);
}

/** Builds Threads' error answer; unset fields are left out, as Threads leaves them out. */
export function threadsError(spec: ThreadsErrorSpec, status?: number): Answer {
  const defaults = ERROR_DEFAULTS[spec.code] ?? { status: 400, message: `(#${spec.code}) Error` };
  const error = {
    message: spec.message ?? defaults.message,
    type: spec.type ?? defaults.type ?? "OAuthException",
    code: spec.code,
    ...(spec.subcode !== undefined && { error_subcode: spec.subcode }),
    ...((spec.isTransient ?? defaults.transient) !== undefined && {
      is_transient: spec.isTransient ?? defaults.transient,
    }),
    ...(spec.userTitle !== undefined && { error_user_title: spec.userTitle }),
    ...(spec.userMsg !== undefined && { error_user_msg: spec.userMsg }),
    fbtrace_id: randomBytes(8).toString("base64url").slice(0, 11),
  };
  const headers: Record<string, string> =
    spec.code === 190
      ? { "www-authenticate": `OAuth "Threads Platform" "invalid_token" "${error.message}"` }
      : {};
  return { status: status ?? defaults.status, body: { error }, headers };
}

function mediaNotFound(id: string): Answer {
  return threadsError({
    code: 24,
    subcode: 4279009,
    isTransient: false,
    userTitle: "Media Not Found",
    userMsg: `The media with id ${id} cannot be found.`,
  });
}

function unsupported(method: string, path: string): Answer {
  return threadsError({
    code: 100,
    subcode: 33,
    type: "THApiException",
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${path.split("/").filter(Boolean).at(-1) ?? ""}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

/** A body sent as written: JSON whose numbers JavaScript could not write. */
class RawJson {
  constructor(readonly text: string) {}
}
function rawJson(text: string): RawJson {
  return new RawJson(text);
}

function send(res: ServerResponse, answer: Answer, extra: Record<string, string> = {}): void {
  const headers = {
    "x-fb-trace-id": randomBytes(8).toString("base64url").slice(0, 11),
    ...answer.headers,
    ...extra,
  };
  if (answer.body instanceof RawJson) {
    sendText(res, answer.status, answer.body.text, "application/json; charset=UTF-8", headers);
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

function fetchable(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && CDN_HOST.test(parsed.hostname);
  } catch {
    return false;
  }
}

function defaultLookup(url: string): ReturnType<ThreadsMediaLookup> {
  return { type: /\.mp4(\?|$)/.test(url) ? "video" : "image", bytes: 180_000 };
}

/** Threads writes times as `2026-08-01T12:34:56+0000`. */
function threadsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/** Threads' count: an emoji as its UTF-8 bytes, every other character as one. */
function threadsLength(text: string): number {
  let length = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    length += /\p{Extended_Pictographic}/u.test(segment) ? Buffer.byteLength(segment) : [...segment].length;
  }
  return length;
}
