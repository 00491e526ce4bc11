import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { shortcodeFromPk } from "../../lib/instagram/shortcode";
import { createFaults, onRequest } from "./faults";
import { type ParsedBody, parseBody, readBody, sendJson, sleep } from "./http";

/** The one Graph API version the extension pins (DESIGN §1); other versions get an error. */
export const GRAPH_VERSION = "v26.0";

export type GraphPage = {
  id: string;
  name: string;
  token: string;
  tasks: string[];
  /** Permissions its token carries; absent: every one the extension asks for. */
  scopes?: string[];
};
/** An Instagram Business or Creator account, linked to a Page, as Instagram's Graph API shows it. */
export type GraphInstagramAccount = { id: string; username: string; pageId: string };
export type GraphInstagramMediaType = "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
/** One post of such an account; its shortcode is the web pk's, as Instagram's are. */
export type GraphInstagramMedia = {
  /** The Graph API's own id (another id space than the web pk). */
  id: string;
  pk: string;
  shortcode: string;
  igUserId: string;
  type: GraphInstagramMediaType;
  productType: "FEED" | "REELS";
  caption: string;
  /** Unix seconds. */
  timestamp: number;
  mediaUrl?: string;
  thumbnailUrl?: string;
  children: { type: "IMAGE" | "VIDEO"; url: string }[];
};
export type GraphUser = {
  id: string;
  name: string;
  token: string;
  pageIds: string[];
  scopes: string[];
  /** Permissions the user turned down in the Login dialog (`/me/permissions` says "declined"). */
  declined: string[];
};
/** The Meta app the user brought; `/oauth/access_token` and app tokens are checked against it. */
export type GraphApp = { id: string; secret: string };

export const STANDIN_APP: GraphApp = { id: "987654321012345", secret: "0123456789abcdef0123456789abcdef" };
/** What Facebook Login grants when the user accepts everything the extension asks for. */
export const PAGE_SCOPES = [
  "pages_show_list",
  "pages_manage_posts",
  "pages_read_engagement",
  "publish_video",
];
/** The short-lived user token's life, as the Login dialog's `expires_in` says (seconds). */
const SHORT_TOKEN_SECONDS = 5400;
const LONG_TOKEN_SECONDS = 5_183_944;
export type GraphPostKind = "photo" | "album" | "status" | "video" | "reel";
export type GraphPost = {
  id: string;
  pageId: string;
  message: string;
  url?: string;
  /** Unix seconds, as Graph counts time. */
  createdTime: number;
  kind: GraphPostKind;
  /** Photo or video ids attached to this post. */
  mediaIds: string[];
  /** Unix seconds: a scheduled post, unpublished (and listed only as scheduled) until then. */
  scheduledFor?: number;
};
export type GraphPhoto = {
  id: string;
  pageId: string;
  published: boolean;
  message: string;
  url?: string;
  /** How the bytes came: fetched from `url`, or uploaded as multipart `source`. */
  via: "url" | "source";
  bytes: number;
  /** The alt text sent as `alt_text_custom`, which Facebook shows screen-reader users. */
  altText?: string;
};
/** A comment on a post, as the Page (our first comments) or anyone else made it. */
export type GraphComment = {
  id: string;
  /** The post it is on. */
  postId: string;
  fromId: string;
  message: string;
  /** Unix seconds. */
  createdTime: number;
};
export type GraphStory = { id: string; pageId: string; photoId: string };
/** A reel's upload session, as `/video_reels` and the upload host move it along. */
export type GraphReel = {
  id: string;
  pageId: string;
  /** The hosted file's URL Facebook fetched, or the bytes' length when they were uploaded. */
  file?: { via: "url" | "source"; url?: string; bytes: number };
  /** When `upload_phase=finish` published it (epoch ms). */
  finishedAt?: number;
  description?: string;
  /** The reel's post on the Page, once Facebook has published it. */
  postId?: string;
  /** Unix seconds: finished with `video_state=SCHEDULED`, published by Facebook then. */
  scheduledFor?: number;
};
export type GraphRequest = {
  method: string;
  path: string;
  /** Every parameter (query and body) except `access_token`. */
  params: Record<string, string>;
  files: Record<string, { filename: string; type: string; size: number }>;
  token?: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
};
export type GraphErrorSpec = {
  code: number;
  subcode?: number;
  message?: string;
  type?: string;
  userTitle?: string;
  userMsg?: string;
};
export type GraphFault = {
  method?: string;
  /** Tested against the path without query string, e.g. `/v26.0/1234/photos`. */
  path?: RegExp;
  /** How many matching requests this fault takes; default 1. */
  times?: number;
  status?: number;
  error?: GraphErrorSpec;
  /** A raw body instead of Meta's JSON (e.g. a load balancer's HTML 502 page). */
  body?: string;
  /** Sent with the answer, e.g. X-App-Usage, Retry-After, X-Business-Use-Case-Usage. */
  headers?: Record<string, string>;
  /** Answer slowly; the action still happens, after the delay. */
  delayMs?: number;
  /** Never answer (the socket stays open until the client gives up or the stand-ins stop). */
  hang?: boolean;
  /** Perform the action (the post IS created), then destroy the socket without answering. */
  dropAfterCommit?: boolean;
  /**
   * Perform the action, send the status line and headers, then cut the connection mid-body. Unlike
   * `dropAfterCommit`, a browser cannot resend it on its own: Chromium silently retries a request
   * whose reused connection closes before any byte of the answer, POST included (seen here).
   */
  cutAfterHeaders?: boolean;
  /** Destroy the socket before doing anything. */
  networkDown?: boolean;
  /** With `status`/`error`: do the work first (the post IS made), then answer the error anyway. */
  afterCommit?: boolean;
};
export type MediaLookup = (url: string) => { type: string; bytes: Buffer } | undefined;

export type GraphStandin = {
  readonly pages: readonly GraphPage[];
  readonly users: readonly GraphUser[];
  readonly posts: readonly GraphPost[];
  readonly photos: readonly GraphPhoto[];
  readonly stories: readonly GraphStory[];
  readonly comments: readonly GraphComment[];
  readonly reels: readonly GraphReel[];
  readonly instagramAccounts: readonly GraphInstagramAccount[];
  readonly instagramMedia: readonly GraphInstagramMedia[];
  readonly requests: readonly GraphRequest[];
  /** URLs Graph fetched media from (what Facebook's own servers would download). */
  readonly mediaFetches: readonly { url: string; found: boolean; bytes: number }[];
  /**
   * Added to every answer, for benchmarks: a fixed delay, or one per request (real Graph answers
   * take 300–800 ms, varying with what is asked).
   */
  latencyMs: number | ((request: GraphRequest) => number);
  /** A new post shows in the Page's lists only this long after it was made, as Facebook's often do. */
  listingDelayMs: number;
  /** How long Facebook takes to process and publish a reel after its finish call. */
  reelProcessingMs: number;
  /** The most posts one `/{ig-user-id}/media` answer holds, whatever `limit` asks: Graph may give fewer. */
  instagramPageSize: number;
  app: GraphApp;
  addPage(page: { id: string; name: string; token: string; tasks?: string[]; scopes?: string[] }): GraphPage;
  addInstagramAccount(account: GraphInstagramAccount): GraphInstagramAccount;
  /** A post made on Instagram (say on the phone), newest last; its files are on the CDN. */
  addInstagramMedia(
    igUserId: string,
    media: { pk: string; type: GraphInstagramMediaType; caption?: string; reel?: boolean; children?: number },
  ): GraphInstagramMedia;
  /** The file of an API-only post on the CDN, for Graph's own fetches and the browser's. */
  lookupInstagramMedia: MediaLookup;
  addUser(user: {
    id: string;
    name: string;
    token: string;
    pageIds?: string[];
    /** Granted permissions; default all of PAGE_SCOPES. */
    scopes?: string[];
    /** Declined at sign-in; default none. */
    declined?: string[];
  }): GraphUser;
  inject(fault: GraphFault): void;
  clearFaults(): void;
  /** Forgets pages, users, posts, requests and faults; latency back to 0. */
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** `rupload.facebook.com`: a reel's file, by `file_url` header or as bytes. */
  handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** Reels a Page may publish through the API in any 24 hours (Reels Publishing API, "Rate Limit"). */
const REELS_PER_DAY = 30;
const DEFAULT_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"];
const PAGE_PERMISSION_MESSAGE =
  "(#200) If posting to a group, requires app being installed in the group, and either publish_to_groups permission with user token, or both pages_read_engagement and pages_manage_posts permission with page token; If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission";

/** Meta's own wording and HTTP status per code, so tests see what production sees. */
const ERROR_DEFAULTS: Record<number, { status: number; message: string }> = {
  1: { status: 500, message: "An unknown error occurred" },
  // Facebook documents the Page reels limit, not its answer: modelled on the answer Meta's content
  // publishing API gives at its own daily limit (code 9).
  9: {
    status: 400,
    message:
      "(#9) This Page has reached the limit of 30 reels published through the API in a 24-hour period.",
  },
  2: { status: 503, message: "An unexpected error has occurred. Please retry your request later." },
  4: { status: 403, message: "(#4) Application request limit reached" },
  10: { status: 403, message: "(#10) Application does not have permission for this action" },
  17: { status: 403, message: "(#17) User request limit reached" },
  32: { status: 403, message: "(#32) Page request limit reached" },
  100: { status: 400, message: "(#100) Invalid parameter" },
  104: { status: 400, message: "An access token is required to request this resource." },
  190: { status: 400, message: "Invalid OAuth access token - Cannot parse access token" },
  200: { status: 403, message: PAGE_PERMISSION_MESSAGE },
  324: { status: 400, message: "(#324) Missing or invalid image file" },
  341: { status: 400, message: "(#341) Application limit reached" },
  351: { status: 400, message: "(#351) There was a problem with your video file" },
  368: {
    status: 400,
    message: "The action attempted has been deemed abusive or is otherwise disallowed",
  },
  506: { status: 400, message: "(#506) Duplicate status message" },
  613: { status: 403, message: "(#613) Calls to this api have exceeded the rate limit." },
  80001: {
    status: 403,
    message:
      "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
  },
};

export function createGraphStandin(deps: { lookupMedia: MediaLookup; now?: () => number }): GraphStandin {
  const now = deps.now ?? Date.now;
  let pages: GraphPage[] = [];
  let users: GraphUser[] = [];
  let posts: GraphPost[] = [];
  let photos: GraphPhoto[] = [];
  let stories: GraphStory[] = [];
  let comments: GraphComment[] = [];
  let reels: GraphReel[] = [];
  let instagramAccounts: GraphInstagramAccount[] = [];
  let instagramMedia: GraphInstagramMedia[] = [];
  let requests: GraphRequest[] = [];
  let mediaFetches: { url: string; found: boolean; bytes: number }[] = [];
  const faults = createFaults<GraphFault>();
  // Graph ids are long decimal numbers; a counter keeps them unique and ordered.
  let nextId = 122_094_000_000_000_000n;

  const newId = (): string => {
    nextId += 1n;
    return nextId.toString();
  };

  const standin: GraphStandin = {
    get pages() {
      return pages;
    },
    get users() {
      return users;
    },
    get posts() {
      return posts;
    },
    get photos() {
      return photos;
    },
    get stories() {
      return stories;
    },
    get comments() {
      return comments;
    },
    get reels() {
      return reels;
    },
    get instagramAccounts() {
      return instagramAccounts;
    },
    get instagramMedia() {
      return instagramMedia;
    },
    get requests() {
      return requests;
    },
    get mediaFetches() {
      return mediaFetches;
    },
    latencyMs: 0,
    listingDelayMs: 0,
    reelProcessingMs: 0,
    instagramPageSize: 25,
    app: { ...STANDIN_APP },
    addPage(page) {
      const added = { ...page, tasks: page.tasks ?? DEFAULT_TASKS };
      pages = [...pages.filter((p) => p.id !== page.id), added];
      return added;
    },
    addUser(user) {
      const added = {
        ...user,
        pageIds: user.pageIds ?? [],
        scopes: user.scopes ?? PAGE_SCOPES,
        declined: user.declined ?? [],
      };
      users = [...users.filter((u) => u.id !== user.id), added];
      return added;
    },
    addInstagramAccount(account) {
      instagramAccounts = [...instagramAccounts.filter((a) => a.id !== account.id), account];
      return account;
    },
    addInstagramMedia(igUserId, media) {
      const file = (pk: string, type: "IMAGE" | "VIDEO") =>
        type === "IMAGE"
          ? `https://${IG_CDN}${IG_API_PHOTOS}${pk}_n.jpg`
          : `https://${IG_CDN}${IG_API_VIDEOS}${pk}_n.mp4`;
      const children = Array.from(
        { length: media.type === "CAROUSEL_ALBUM" ? (media.children ?? 2) : 0 },
        (_, i) => ({
          type: "IMAGE" as const,
          url: file(`${media.pk}${i}`, "IMAGE"),
        }),
      );
      const added: GraphInstagramMedia = {
        id: `179${String(instagramMedia.length + 1).padStart(14, "0")}`,
        pk: media.pk,
        shortcode: shortcodeFromPk(media.pk),
        igUserId,
        type: media.type,
        productType: media.reel ? "REELS" : "FEED",
        caption: media.caption ?? "",
        timestamp: Math.floor(now() / 1000),
        mediaUrl: media.type === "CAROUSEL_ALBUM" ? children[0]?.url : file(media.pk, media.type),
        ...(media.type === "VIDEO" && { thumbnailUrl: file(media.pk, "IMAGE") }),
        children,
      };
      instagramMedia = [...instagramMedia, added];
      return added;
    },
    lookupInstagramMedia(url) {
      const known = instagramMedia.some(
        (media) =>
          media.mediaUrl === url || media.thumbnailUrl === url || media.children.some((c) => c.url === url),
      );
      if (!known) return undefined;
      return url.endsWith(".mp4")
        ? { type: "video/mp4", bytes: TINY_MP4 }
        : { type: "image/jpeg", bytes: TINY_JPEG };
    },
    inject(fault) {
      faults.inject(fault);
    },
    clearFaults() {
      faults.clear();
    },
    reset() {
      pages = [];
      users = [];
      posts = [];
      photos = [];
      stories = [];
      comments = [];
      reels = [];
      instagramAccounts = [];
      instagramMedia = [];
      requests = [];
      mediaFetches = [];
      faults.clear();
      standin.latencyMs = 0;
      standin.listingDelayMs = 0;
      standin.reelProcessingMs = 0;
      standin.instagramPageSize = 25;
      standin.app = { ...STANDIN_APP };
    },
    handle,
    handleUpload,
  };

  function takeFault(method: string, path: string): GraphFault | undefined {
    return faults.take(onRequest(method, path));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "https://graph.facebook.com");
    if (method === "OPTIONS") {
      res.writeHead(204, corsHeaders()).end();
      return;
    }
    const body = await parseBody(await readBody(req), req.headers["content-type"]);
    const token = findToken(url, body, req.headers.authorization);
    const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...body.fields };
    delete params.access_token;
    requests.push({
      method,
      path: url.pathname,
      params,
      files: Object.fromEntries(
        Object.entries(body.files).map(([k, f]) => [
          k,
          { filename: f.filename, type: f.type, size: f.bytes.length },
        ]),
      ),
      token,
      time: now(),
    });

    const fault = takeFault(method, url.pathname);
    const latencyMs =
      typeof standin.latencyMs === "function"
        ? standin.latencyMs(requests.at(-1) as GraphRequest)
        : standin.latencyMs;
    if (latencyMs > 0) await sleep(latencyMs);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;
    if (fault?.delayMs) await sleep(fault.delayMs);
    const extraHeaders = fault?.headers ?? {};
    if (fault?.body !== undefined) {
      res.writeHead(fault.status ?? 502, { "content-type": "text/html", ...corsHeaders(), ...extraHeaders });
      res.end(fault.body);
      return;
    }
    const failing = fault?.error !== undefined || fault?.status !== undefined;
    if (failing && !fault?.afterCommit) {
      const spec = fault?.error ?? { code: (fault?.status ?? 500) >= 500 ? 2 : 1 };
      send(res, graphError(spec, fault?.status), extraHeaders);
      return;
    }
    const answer = route(method, url.pathname, params, body, token);
    if (failing) {
      // The work was done; the answer says it failed, as Facebook's 5xx sometimes do.
      send(res, graphError(fault?.error ?? { code: 2 }, fault?.status), extraHeaders);
      return;
    }
    if (fault?.dropAfterCommit) {
      req.socket.destroy();
      return;
    }
    if (fault?.cutAfterHeaders) {
      res.writeHead(answer.status, {
        "content-type": "application/json; charset=UTF-8",
        "content-length": 4096,
      });
      res.write("{");
      setTimeout(() => req.socket.destroy(), 50);
      return;
    }
    send(res, answer, extraHeaders);
  }

  function route(
    method: string,
    path: string,
    params: Record<string, string>,
    body: ParsedBody,
    token: string | undefined,
  ): Answer {
    const parts = path.split("/").filter(Boolean);
    if (parts[0] !== GRAPH_VERSION) {
      return graphError({
        code: 100,
        message: `Unknown path components: /${parts[0] ?? ""} (this stand-in serves only ${GRAPH_VERSION})`,
      });
    }
    const [node, edge, ...rest] = parts.slice(1);
    if (node === "oauth" && edge === "access_token") return exchangeToken(params);
    if (!token) return graphError({ code: 104 });
    if (node === "debug_token" && edge === undefined && method === "GET") return debugToken(token, params);
    const page = pages.find((p) => p.token === token);
    const user = findUser(token);
    if (!page && !user) return graphError({ code: 190 });
    if (node === undefined || rest.length > 0) return unsupported(method, path);

    if (node === "me") {
      if (edge === undefined && method === "GET") return ok(describe(page ?? user, params.fields));
      if (edge === "accounts" && method === "GET") {
        if (!user)
          return graphError({
            code: 100,
            message: "(#100) Tried accessing nonexisting field (accounts) on node type (Page)",
          });
        return listAccounts(user, params);
      }
      if (edge === "permissions" && method === "GET") {
        if (!user)
          return graphError({
            code: 100,
            message: "(#100) Tried accessing nonexisting field (permissions) on node type (Page)",
          });
        return listPermissions(user);
      }
      return unsupported(method, path);
    }

    const target = pages.find((p) => p.id === node);
    const instagram = instagramAccounts.find((a) => a.id === node);
    if (instagram && method === "GET" && edge === "media") return listInstagramMedia(instagram, page, params);
    const media = instagramMedia.find((m) => m.id === node);
    if (media && method === "GET" && edge === undefined) {
      const owner = instagramAccounts.find((a) => a.id === media.igUserId);
      const refused = owner && instagramRefusal(owner, page);
      return refused ?? ok(instagramMediaEntry(media));
    }
    if (!target) {
      if (edge === undefined && method === "DELETE") return deleteObject(node, page);
      const reel = reels.find((r) => r.id === node);
      if (reel && edge === undefined && method === "GET") {
        if (reel.pageId !== page?.id) return graphError({ code: 200, message: "(#200) Permissions error" });
        const status = reelStatus(reel);
        return ok(
          params.fields?.includes("published")
            ? { id: reel.id, published: reel.postId !== undefined }
            : status,
        );
      }
      const video = posts.find((p) => p.kind === "video" && p.mediaIds[0] === node);
      if (video && edge === undefined && method === "GET") {
        if (video.pageId !== page?.id) return graphError({ code: 200, message: "(#200) Permissions error" });
        return ok({ id: node, published: isOut(video) });
      }
      const commented = commentablePost(node);
      if (commented && edge === "comments") {
        if (commented.pageId !== page?.id)
          return graphError({ code: 200, message: "(#200) Permissions error" });
        return method === "POST"
          ? postComment(commented, page, params)
          : listComments(commented, page, params);
      }
      const post = posts.find((p) => p.id === node);
      if (post && edge === undefined && method === "GET") {
        if (post.pageId !== page?.id) return graphError({ code: 200, message: "(#200) Permissions error" });
        const entry = postEntry(post, params.fields) as object;
        return ok(params.fields?.includes("is_published") ? { ...entry, is_published: isOut(post) } : entry);
      }
      return unsupported(method, path);
    }
    if (page?.id !== target.id) return graphError({ code: 200 });

    if (edge === undefined && method === "GET") {
      if (!params.fields?.includes("instagram_business_account")) return ok(describe(target, params.fields));
      if (!grants(target, "instagram_basic")) return graphError({ code: 10 });
      const linked = instagramAccounts.find((a) => a.pageId === target.id);
      return ok({
        id: target.id,
        ...(linked && {
          instagram_business_account: {
            id: linked.id,
            username: linked.username,
            profile_picture_url: `https://${IG_CDN}/v/t51.2885-19/${linked.id}_n.jpg`,
          },
        }),
      });
    }
    if (edge === "photos" && method === "POST") return postPhoto(target, params, body);
    if (edge === "feed" && method === "POST") return postFeed(target, params);
    if (edge === "videos" && method === "POST") return postVideo(target, params, body);
    if (edge === "videos" && method === "GET") return listVideos(target, params);
    if (edge === "photo_stories" && method === "POST") return postPhotoStory(target, params);
    if (edge === "video_reels" && method === "POST") return postReelPhase(target, params);
    if (edge === "scheduled_posts" && method === "GET") return listPosts(target, params, "scheduled");
    if ((edge === "published_posts" || edge === "posts" || edge === "feed") && method === "GET") {
      return listPosts(target, params);
    }
    return unsupported(method, path);
  }

  /** Instagram's media are read with the token of the Page the account is linked to, with instagram_basic. */
  function instagramRefusal(account: GraphInstagramAccount, page: GraphPage | undefined): Answer | undefined {
    if (!page || page.id !== account.pageId)
      return graphError({ code: 200, message: "(#200) Permissions error" });
    if (!grants(page, "instagram_basic")) return graphError({ code: 10 });
    return undefined;
  }

  /** `/{ig-user-id}/media`: newest first, `limit` at a time, with `after` cursors as Graph pages lists. */
  function listInstagramMedia(
    account: GraphInstagramAccount,
    page: GraphPage | undefined,
    params: Record<string, string>,
  ): Answer {
    const refused = instagramRefusal(account, page);
    if (refused) return refused;
    const all = instagramMedia.filter((m) => m.igUserId === account.id).reverse();
    const limit = Math.min(Number(params.limit ?? 25), standin.instagramPageSize);
    const start = params.after ? all.findIndex((m) => cursorOf(m) === params.after) + 1 : 0;
    const slice = all.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start + limit < all.length;
    return ok({
      data: slice.map(instagramMediaEntry),
      ...(last && {
        paging: {
          cursors: { before: cursorOf(slice[0] ?? last), after: cursorOf(last) },
          ...(more && {
            next: `https://graph.facebook.com/${GRAPH_VERSION}/${account.id}/media?limit=${limit}&after=${cursorOf(last)}`,
          }),
        },
      }),
    });
  }

  function postPhoto(page: GraphPage, params: Record<string, string>, body: ParsedBody): Answer {
    const media = fetchMediaParam(params.url, body.files.source);
    if (!media) {
      return params.url === undefined && !body.files.source
        ? graphError({ code: 324, message: "(#324) Requires upload file" })
        : graphError({ code: 324 });
    }
    const published = params.published !== "false" && params.published !== "0";
    const photo: GraphPhoto = {
      id: newId(),
      pageId: page.id,
      published,
      message: params.message ?? params.caption ?? "",
      url: params.url,
      via: media.via,
      bytes: media.bytes,
      ...(params.alt_text_custom !== undefined && { altText: params.alt_text_custom }),
    };
    photos = [...photos, photo];
    if (!published) return ok({ id: photo.id });
    const post = createPost(page, "photo", photo.message, [photo.id], params.url);
    return ok({ id: photo.id, post_id: post.id });
  }

  function postFeed(page: GraphPage, params: Record<string, string>): Answer {
    let attached: unknown = [];
    try {
      attached = JSON.parse(params.attached_media ?? "[]");
    } catch {
      return graphError({ code: 100, message: "(#100) param attached_media must be an array." });
    }
    const ids = Array.isArray(attached)
      ? attached.map((entry: unknown) =>
          typeof entry === "object" && entry !== null && "media_fbid" in entry
            ? String(entry.media_fbid)
            : "",
        )
      : [];
    const unusable = ids.find(
      (id) => !photos.some((p) => p.id === id && p.pageId === page.id && !p.published),
    );
    if (!Array.isArray(attached) || unusable !== undefined) {
      return graphError({
        code: 100,
        message: "(#100) Param attached_media[0] must be a valid unpublished photo",
      });
    }
    const message = params.message ?? "";
    if (ids.length === 0 && message === "" && params.link === undefined) {
      return graphError({ code: 100, message: "(#100) Missing message or attachment" });
    }
    const scheduledFor = scheduleOf(params);
    if (typeof scheduledFor === "object") return scheduledFor;
    // One attached photo makes a photo post (Facebook shows it as one); several, an album.
    const kind = ids.length > 1 ? "album" : ids.length === 1 ? "photo" : "status";
    const url = ids.length === 1 ? photos.find((p) => p.id === ids[0])?.url : params.link;
    const post = createPost(page, kind, message, ids, url, scheduledFor);
    return ok({ id: post.id });
  }

  function postVideo(page: GraphPage, params: Record<string, string>, body: ParsedBody): Answer {
    const media = fetchMediaParam(params.file_url, body.files.source);
    if (!media) return graphError({ code: 351 });
    const scheduledFor = scheduleOf(params);
    if (typeof scheduledFor === "object") return scheduledFor;
    const videoId = newId();
    createPost(page, "video", params.description ?? "", [videoId], params.file_url, scheduledFor);
    return ok({ id: videoId });
  }

  function fetchMediaParam(
    url: string | undefined,
    source: { bytes: Buffer } | undefined,
  ): { via: "url" | "source"; bytes: number } | undefined {
    if (source) return source.bytes.length > 0 ? { via: "source", bytes: source.bytes.length } : undefined;
    if (url === undefined) return undefined;
    // Facebook's servers fetch the URL themselves; only the CDN stand-in can answer here.
    const found = deps.lookupMedia(url) ?? standin.lookupInstagramMedia(url);
    mediaFetches = [...mediaFetches, { url, found: found !== undefined, bytes: found?.bytes.length ?? 0 }];
    return found ? { via: "url", bytes: found.bytes.length } : undefined;
  }

  function createPost(
    page: GraphPage,
    kind: GraphPostKind,
    message: string,
    mediaIds: string[],
    url: string | undefined,
    scheduledFor?: number,
  ): GraphPost {
    const post: GraphPost = {
      id: `${page.id}_${newId()}`,
      pageId: page.id,
      message,
      createdTime: Math.floor(now() / 1000),
      kind,
      mediaIds,
      ...(url !== undefined && { url }),
      ...(scheduledFor !== undefined && { scheduledFor }),
    };
    posts = [...posts, post];
    return post;
  }

  /** The post a comment on `id` goes on: a post by its id, a video or a reel by the video's. */
  function commentablePost(id: string): GraphPost | undefined {
    const reel = reels.find((r) => r.id === id);
    if (reel) return posts.find((p) => p.id === reel.postId);
    return posts.find(
      (p) => p.id === id || ((p.kind === "video" || p.kind === "reel") && p.mediaIds[0] === id),
    );
  }

  function postComment(post: GraphPost, page: GraphPage, params: Record<string, string>): Answer {
    if (!isOut(post)) return graphError({ code: 100, message: "(#100) This post is not published yet." });
    const message = params.message ?? "";
    if (message.trim() === "")
      return graphError({ code: 100, message: "(#100) Missing message or attachment" });
    const comment: GraphComment = {
      id: `${post.id.split("_").pop()}_${newId()}`,
      postId: post.id,
      fromId: page.id,
      message,
      createdTime: Math.floor(now() / 1000),
    };
    comments = [...comments, comment];
    return ok({ id: comment.id });
  }

  /**
   * `GET /{post}/comments`, oldest first as Facebook's `filter=stream` lists them. Like posts, a new
   * comment is listed late; without the MODERATE task the Page's token sees no comment ids.
   */
  function listComments(post: GraphPost, page: GraphPage, params: Record<string, string>): Answer {
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const start = params.after === undefined ? 0 : Number(Buffer.from(params.after, "base64url").toString());
    const all = comments.filter(
      (c) => c.postId === post.id && c.createdTime * 1000 + standin.listingDelayMs <= now(),
    );
    const slice = all.slice(start, start + limit);
    const after = Buffer.from(String(start + slice.length)).toString("base64url");
    const moderates = page.tasks.includes("MODERATE");
    return ok({
      data: slice.map((c) => ({
        ...(moderates && { id: c.id }),
        message: c.message,
        from: { id: c.fromId, name: pages.find((p) => p.id === c.fromId)?.name ?? "Someone" },
        created_time: new Date(c.createdTime * 1000).toISOString().replace(".000Z", "+0000"),
      })),
      ...(start + slice.length < all.length && {
        paging: {
          cursors: { after },
          next: `https://graph.facebook.com/${GRAPH_VERSION}/${post.id}/comments?after=${after}`,
        },
      }),
    });
  }

  /** Whether a post shows in the Page's lists yet: Facebook lists new posts some time after making them. */
  function listed(post: GraphPost): boolean {
    return isOut(post) && listedLate(post);
  }

  function listedLate(post: GraphPost): boolean {
    return post.createdTime * 1000 + standin.listingDelayMs <= now();
  }

  /** A scheduled post is out once its time has come; Facebook publishes it then. */
  function isOut(post: GraphPost): boolean {
    return post.scheduledFor === undefined || post.scheduledFor * 1000 <= now();
  }

  /**
   * `published=false` with `scheduled_publish_time`: the time, if Facebook would take it (10 minutes
   * to 30 days ahead); undefined to publish now; an error answer otherwise.
   */
  function scheduleOf(params: Record<string, string>): number | undefined | Answer {
    if (params.scheduled_publish_time === undefined) return undefined;
    const at = Number(params.scheduled_publish_time);
    if (params.published !== "false") {
      return graphError({
        code: 100,
        message: "(#100) Cannot specify a scheduled publish time on a published post",
      });
    }
    const ahead = at * 1000 - now();
    if (!Number.isInteger(at) || ahead < 10 * 60_000 || ahead > 30 * 24 * 60 * 60_000) {
      return graphError({ code: 100, message: "(#100) The specified scheduled publish time is invalid." });
    }
    return at;
  }

  /** `DELETE /{id}`: a post, a video or a reel leaves the Page (published or not: Facebook asks no more). */
  function deleteObject(id: string, page: GraphPage | undefined): Answer {
    const reel = reels.find((r) => r.id === id);
    const post = reel ? posts.find((p) => p.id === reel.postId) : commentablePost(id);
    const owner = reel?.pageId ?? post?.pageId;
    if (!owner) return graphError({ code: 100, message: `(#100) Object with ID '${id}' does not exist` });
    if (owner !== page?.id) return graphError({ code: 200, message: "(#200) Permissions error" });
    posts = posts.filter((p) => p !== post);
    reels = reels.filter((r) => r !== reel);
    return ok({ success: true });
  }

  /** Newest first, `limit` at a time, with `after` cursors and `paging.next` as Graph pages lists. */
  function listPosts(
    page: GraphPage,
    params: Record<string, string>,
    which: "published" | "scheduled" = "published",
  ): Answer {
    const since = Number(params.since ?? 0);
    const until = params.until === undefined ? Number.POSITIVE_INFINITY : Number(params.until);
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const start = params.after === undefined ? 0 : Number(Buffer.from(params.after, "base64url").toString());
    // Newest first; reversing before a stable sort keeps same-second posts newest first too.
    const all = [...posts]
      .reverse()
      .filter(
        (p) =>
          p.pageId === page.id &&
          p.createdTime >= since &&
          p.createdTime <= until &&
          (which === "scheduled" ? !isOut(p) && listedLate(p) : listed(p)),
      )
      .sort((a, b) => b.createdTime - a.createdTime);
    const slice = all.slice(start, start + limit);
    const after = Buffer.from(String(start + slice.length)).toString("base64url");
    return ok({
      data: slice.map((p) => postEntry(p, params.fields)),
      ...(start + slice.length < all.length && {
        paging: {
          cursors: { after },
          next: `https://graph.facebook.com/${GRAPH_VERSION}/${page.id}/${which}_posts?after=${after}`,
        },
      }),
    });
  }

  /** The Page's videos, as `GET /{page}/videos` lists them: the post's message is the description. */
  function listVideos(page: GraphPage, params: Record<string, string>): Answer {
    const since = Number(params.since ?? 0);
    const data = [...posts]
      .reverse()
      .filter((p) => p.pageId === page.id && p.kind === "video" && p.createdTime >= since && listed(p))
      .map((p) => ({
        id: p.mediaIds[0],
        ...(p.message !== "" && { description: p.message }),
        created_time: graphTime(p.createdTime),
      }));
    return ok({ data });
  }

  /** A photo story shows one unpublished photo of the Page; stories are not listed with posts. */
  function postPhotoStory(page: GraphPage, params: Record<string, string>): Answer {
    const photo = photos.find((p) => p.id === params.photo_id && p.pageId === page.id && !p.published);
    if (!photo) return graphError({ code: 100, message: "(#100) photo_id must be an unpublished photo" });
    stories = [...stories, { id: `${page.id}_${newId()}`, pageId: page.id, photoId: photo.id }];
    return ok({ success: true, post_id: stories.at(-1)?.id });
  }

  /** `POST /{page}/video_reels`: `upload_phase=start` opens a session, `finish` publishes it. */
  function postReelPhase(page: GraphPage, params: Record<string, string>): Answer {
    if (params.upload_phase === "start") {
      const reel: GraphReel = { id: newId(), pageId: page.id };
      reels = [...reels, reel];
      return ok({
        video_id: reel.id,
        upload_url: `https://rupload.facebook.com/video-upload/${GRAPH_VERSION}/${reel.id}`,
      });
    }
    if (params.upload_phase === "finish") {
      const reel = reels.find((r) => r.id === params.video_id && r.pageId === page.id);
      if (!reel) return graphError({ code: 100, message: "(#100) Invalid video_id" });
      if (!reel.file)
        return graphError({
          code: 6000,
          message: "There was a problem uploading your video file. Please try again.",
        });
      const scheduled =
        params.video_state === "SCHEDULED" ? scheduleOf({ ...params, published: "false" }) : undefined;
      if (typeof scheduled === "object") return scheduled;
      if (params.video_state !== "PUBLISHED" && scheduled === undefined)
        return graphError({ code: 100, message: "(#100) video_state must be PUBLISHED or SCHEDULED" });
      if (reel.finishedAt === undefined && publishedInLastDay(page) >= REELS_PER_DAY) {
        return graphError({ code: 9, type: "OAuthException" });
      }
      // A second finish on the same session changes nothing: it is one reel.
      reel.finishedAt ??= now();
      reel.description = params.description ?? "";
      if (scheduled !== undefined) reel.scheduledFor = scheduled;
      return ok({ success: true });
    }
    return graphError({ code: 100, message: "(#100) upload_phase must be one of start, transfer, finish" });
  }

  /** Reels the Page published through the API in the 24 hours before now: Facebook's moving window. */
  function publishedInLastDay(page: GraphPage): number {
    const since = now() - 24 * 60 * 60_000;
    return reels.filter((r) => r.pageId === page.id && r.finishedAt !== undefined && r.finishedAt > since)
      .length;
  }

  /** `GET /{video-id}?fields=status`: processing takes `reelProcessingMs` after finish, then it is published. */
  function reelStatus(reel: GraphReel): unknown {
    const processed = reel.finishedAt !== undefined && now() >= reel.finishedAt + standin.reelProcessingMs;
    const waiting = reel.scheduledFor !== undefined && reel.scheduledFor * 1000 > now();
    const published = processed && !waiting;
    if (published && !reel.postId) {
      const page = pages.find((p) => p.id === reel.pageId);
      if (page) reel.postId = createPost(page, "reel", reel.description ?? "", [reel.id], reel.file?.url).id;
    }
    const phase = (done: boolean, started: boolean) => ({
      status: done ? "complete" : started ? "in_progress" : "not_started",
    });
    return {
      id: reel.id,
      status: {
        video_status: published ? "ready" : reel.file ? "processing" : "upload",
        uploading_phase: phase(reel.file !== undefined, false),
        processing_phase: phase(published, reel.file !== undefined),
        publishing_phase: {
          ...phase(published, reel.finishedAt !== undefined && !waiting),
          ...(published && { publish_status: "published" }),
          ...(waiting && { publish_status: "scheduled", publish_time: reel.scheduledFor }),
        },
      },
    };
  }

  /** `rupload.facebook.com/video-upload/{version}/{video-id}`: Facebook fetches `file_url`, or takes the bytes. */
  async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://rupload.facebook.com");
    if (req.method === "OPTIONS") {
      res
        .writeHead(204, {
          ...corsHeaders(),
          "access-control-allow-headers": "authorization, file_url, offset, file_size",
        })
        .end();
      return;
    }
    const bytes = await readBody(req);
    const token = req.headers.authorization?.match(/^OAuth\s+(.+)$/i)?.[1];
    const fileUrl = typeof req.headers.file_url === "string" ? req.headers.file_url : undefined;
    requests.push({
      method: req.method ?? "POST",
      path: `rupload:${url.pathname}`,
      params: {
        ...(fileUrl !== undefined && { file_url: fileUrl }),
        ...(req.headers.file_size !== undefined && { file_size: String(req.headers.file_size) }),
      },
      files: bytes.length > 0 ? { source: { filename: "video", type: "video/mp4", size: bytes.length } } : {},
      token,
      time: now(),
    });
    const fault = takeFault(req.method ?? "POST", `rupload:${url.pathname}`);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    const [, version, videoId] = url.pathname.match(/^\/video-upload\/([^/]+)\/(\d+)$/) ?? [];
    const reel = reels.find((r) => r.id === videoId);
    const page = pages.find((p) => p.token === token);
    const answer = ((): Answer => {
      if (version !== GRAPH_VERSION || !reel)
        return graphError({ code: 100, message: "(#100) Invalid upload path" });
      if (!page || page.id !== reel.pageId) return graphError({ code: 190 });
      if (fileUrl !== undefined) {
        const media = fetchMediaParam(fileUrl, undefined);
        if (!media) return graphError({ code: 324, message: "(#324) The file_url could not be fetched" });
        reel.file = { via: "url", url: fileUrl, bytes: media.bytes };
      } else if (bytes.length > 0) {
        reel.file = { via: "source", bytes: bytes.length };
      } else {
        return graphError({ code: 100, message: "(#100) file_url or the file's bytes are required" });
      }
      return ok({ success: true });
    })();
    if (fault?.error || fault?.status) {
      send(res, graphError(fault.error ?? { code: 2 }, fault.status), fault.headers ?? {});
      return;
    }
    send(res, answer, {});
  }

  function exchangeToken(params: Record<string, string>): Answer {
    const user = users.find((u) => u.token === params.fb_exchange_token);
    if (params.grant_type !== "fb_exchange_token" || !params.client_id || !params.client_secret) {
      return graphError({ code: 100, message: "Missing client_id, client_secret or grant_type" });
    }
    if (params.client_id !== standin.app.id) {
      return graphError({ code: 101, message: "Error validating application. Invalid application ID." });
    }
    if (params.client_secret !== standin.app.secret) {
      return graphError({ code: 1, message: "Error validating client secret." }, 400);
    }
    if (!user) return graphError({ code: 190 });
    return ok({ access_token: longTokenOf(user), token_type: "bearer", expires_in: LONG_TOKEN_SECONDS });
  }

  /** A user's short-lived token, or the long-lived one `/oauth/access_token` gave for it. */
  function findUser(token: string): GraphUser | undefined {
    return users.find((u) => u.token === token || longTokenOf(u) === token);
  }

  /** `/me/accounts`, paged by `limit` and the `after` cursor as Graph pages it. */
  function listAccounts(user: GraphUser, params: Record<string, string>): Answer {
    const all = pages.filter((p) => user.pageIds.includes(p.id));
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const start = params.after === undefined ? 0 : Number(Buffer.from(params.after, "base64url").toString());
    const slice = all.slice(start, start + limit);
    const cursor = (index: number) => Buffer.from(String(index)).toString("base64url");
    const after = cursor(start + slice.length);
    const more = start + slice.length < all.length;
    return ok({
      data: slice.map(accountEntry),
      paging: {
        cursors: { before: cursor(start), after },
        ...(more && {
          next: `https://graph.facebook.com/${GRAPH_VERSION}/me/accounts?limit=${limit}&after=${after}`,
        }),
      },
    });
  }

  /**
   * `/me/permissions`: every permission the user was asked for, granted or declined, as Graph
   * lists them (`public_profile` is always granted with Facebook Login).
   */
  function listPermissions(user: GraphUser): Answer {
    const granted = ["public_profile", ...user.scopes.filter((scope) => scope !== "public_profile")];
    return ok({
      data: [
        ...granted.map((permission) => ({ permission, status: "granted" })),
        ...user.declined.map((permission) => ({ permission, status: "declined" })),
      ],
    });
  }

  /**
   * `/debug_token`: who issued `input_token`, to whom, with which permissions. Asked with an app
   * token (`app-id|app-secret`), a user token of the app's developer, or the token itself.
   */
  function debugToken(accessToken: string, params: Record<string, string>): Answer {
    const appToken = `${standin.app.id}|${standin.app.secret}`;
    const input = params.input_token ?? "";
    const inspectsItself = accessToken === input && pages.some((p) => p.token === input);
    if (accessToken !== appToken && !findUser(accessToken) && !inspectsItself)
      return graphError({ code: 190 });
    const user = findUser(input);
    const page = pages.find((p) => p.token === input);
    const nowSeconds = Math.floor(now() / 1000);
    if (!user && !page) {
      return ok({
        data: {
          error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" },
          is_valid: false,
          scopes: [],
        },
      });
    }
    const long = user !== undefined && input === longTokenOf(user);
    return ok({
      data: {
        app_id: standin.app.id,
        type: user ? "USER" : "PAGE",
        application: "alsoshare (stand-in app)",
        data_access_expires_at: nowSeconds + 90 * 86400,
        expires_at: page ? 0 : nowSeconds + (long ? LONG_TOKEN_SECONDS : SHORT_TOKEN_SECONDS),
        is_valid: true,
        issued_at: nowSeconds,
        // A Page's token carries what it was given; absent: every permission the extension asks for.
        scopes: user ? user.scopes : (page?.scopes ?? [...PAGE_SCOPES, "instagram_basic"]),
        user_id: user?.id ?? "1",
        ...(page && { profile_id: page.id }),
      },
    });
  }

  return standin;
}

const IG_CDN = "scontent.cdninstagram.com";
/** Paths of files that only Instagram's API knows (made on the phone), apart from the web uploads'. */
const IG_API_PHOTOS = "/v/t51.29350-15/";
const IG_API_VIDEOS = "/o1/v/t2/f2/m367/";
/** Enough of a JPEG and an MP4 for a fetch to find a file; nothing decodes them. */
const TINY_JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
const TINY_MP4 = Buffer.from("000000186674797069736f6d0000020069736f6d69736f32", "hex");

function grants(page: GraphPage, scope: string): boolean {
  return page.scopes === undefined || page.scopes.includes(scope);
}

function cursorOf(media: GraphInstagramMedia): string {
  return Buffer.from(`ig:${media.id}`).toString("base64url");
}

/** An IG Media node with every field the extension asks for, as Instagram's Graph API writes it. */
function instagramMediaEntry(media: GraphInstagramMedia): unknown {
  return {
    id: media.id,
    ...(media.caption !== "" && { caption: media.caption }),
    media_type: media.type,
    media_product_type: media.productType,
    ...(media.mediaUrl !== undefined && { media_url: media.mediaUrl }),
    ...(media.thumbnailUrl !== undefined && { thumbnail_url: media.thumbnailUrl }),
    permalink: `https://www.instagram.com/${media.productType === "REELS" ? "reel" : "p"}/${media.shortcode}/`,
    shortcode: media.shortcode,
    timestamp: graphTime(media.timestamp),
    ...(media.type === "CAROUSEL_ALBUM" && {
      children: {
        data: media.children.map((child, index) => ({
          id: `${media.id}${index}`,
          media_type: child.type,
          media_url: child.url,
        })),
      },
    }),
  };
}

function longTokenOf(user: GraphUser): string {
  return `${user.token}-long`;
}

function describe(subject: { id: string; name: string } | undefined, fields: string | undefined): unknown {
  if (!subject) return {};
  const wanted = new Set((fields ?? "id,name").split(",").map((f) => f.trim()));
  return {
    id: subject.id,
    ...(wanted.has("name") && { name: subject.name }),
    ...(wanted.has("picture") && { picture: pictureOf(subject.id) }),
  };
}

function accountEntry(page: GraphPage): unknown {
  return {
    id: page.id,
    name: page.name,
    access_token: page.token,
    category: "Bakery",
    tasks: page.tasks,
    picture: pictureOf(page.id),
  };
}

function pictureOf(id: string): unknown {
  return {
    data: {
      height: 50,
      width: 50,
      is_silhouette: false,
      url: `https://scontent.cdninstagram.com/v/t39.30808-1/${id}_n.jpg`,
    },
  };
}

function postEntry(post: GraphPost, fields: string | undefined): unknown {
  const wanted = new Set(topLevelFields(fields ?? "id,message,created_time"));
  // A post's attachments name the photos (or video) in it: one photo, or an album's subattachments.
  const targets = post.mediaIds.map((id) => ({ target: { id } }));
  return {
    id: post.id,
    ...(wanted.has("message") && post.message !== "" && { message: post.message }),
    ...(wanted.has("created_time") && { created_time: graphTime(post.createdTime) }),
    ...(wanted.has("permalink_url") && {
      permalink_url: `https://www.facebook.com/${post.pageId}/posts/${post.id.split("_")[1]}`,
    }),
    ...(wanted.has("attachments") &&
      targets.length > 0 && {
        attachments: {
          data: [post.kind === "album" ? { subattachments: { data: targets } } : (targets[0] as object)],
        },
      }),
  };
}

/** `id,attachments{target{id}},message` → id, attachments, message: nested fields are not split on. */
function topLevelFields(fields: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let name = "";
  for (const char of fields) {
    if (char === "{") depth += 1;
    if (char === "}") depth -= 1;
    if (char === "," && depth === 0) {
      names.push(name.trim());
      name = "";
    } else if (depth === 0 && char !== "}") name += char;
  }
  names.push(name.trim());
  return names;
}

/** Graph writes times as `2026-08-01T12:34:56+0000`, not with a `Z`. */
export function graphTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/** Builds Meta's error answer; unset fields are left out, as Graph leaves them out. */
export function graphError(spec: GraphErrorSpec, status?: number): Answer {
  const defaults = ERROR_DEFAULTS[spec.code] ?? { status: 400, message: `(#${spec.code}) Error` };
  const error = {
    message: spec.message ?? defaults.message,
    type: spec.type ?? "OAuthException",
    code: spec.code,
    ...(spec.subcode !== undefined && { error_subcode: spec.subcode }),
    ...(spec.userTitle !== undefined && { error_user_title: spec.userTitle }),
    ...(spec.userMsg !== undefined && { error_user_msg: spec.userMsg }),
    fbtrace_id: randomBytes(8).toString("base64url").slice(0, 11),
  };
  const headers: Record<string, string> =
    spec.code === 190
      ? { "www-authenticate": `OAuth "Facebook Platform" "invalid_token" "${error.message}"` }
      : {};
  return { status: status ?? defaults.status, body: { error }, headers };
}

function unsupported(method: string, path: string): Answer {
  const object = path.split("/")[2] ?? "";
  return graphError({
    code: 100,
    subcode: 33,
    type: "GraphMethodException",
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${object}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function findToken(url: URL, body: ParsedBody, authorization: string | undefined): string | undefined {
  const bearer = authorization?.match(/^(?:Bearer|OAuth)\s+(.+)$/i)?.[1];
  return url.searchParams.get("access_token") ?? body.fields.access_token ?? bearer;
}

function corsHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": "authorization, content-type",
  };
}

function send(res: ServerResponse, answer: Answer, extra: Record<string, string>): void {
  sendJson(res, answer.status, answer.body, {
    "facebook-api-version": GRAPH_VERSION,
    "x-fb-trace-id": randomBytes(8).toString("base64url").slice(0, 11),
    ...corsHeaders(),
    ...answer.headers,
    ...extra,
  });
}
