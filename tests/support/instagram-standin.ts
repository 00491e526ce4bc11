import { randomBytes, randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { createFaults } from "./faults";
import { isRecord, parseBody, readBody, sendJson, sendText } from "./http";

export const CDN_HOST = "scontent.cdninstagram.com";
const PHOTO_PATH = "/v/t51.2885-15/";
const VIDEO_PATH = "/o1/v/t16/f2/m86/";
const FIXTURES = fileURLToPath(new URL("../fixtures/instagram/", import.meta.url));

export type InstagramUser = { pk: string; username: string; fullName: string };
export type InstagramUpload = {
  kind: "photo" | "video";
  uploadId: string;
  entityName: string;
  type: string;
  bytes: Buffer;
  ruploadParams: unknown;
  time: number;
};
export type ConfigureEndpoint =
  | "configure"
  | "configure_sidecar"
  | "configure_to_clips"
  | "configure_to_story";
/** One configure call as the page sent it, with the answer the stand-in gave. */
export type InstagramConfigure = {
  endpoint: ConfigureEndpoint;
  uploadIds: string[];
  caption: string;
  params: Record<string, string>;
  status: number;
  response: unknown;
  /** True when the answer carried a media: the post now exists. */
  created: boolean;
  time: number;
};
export type InstagramFault = {
  /** Tested against the path, e.g. `/api/v1/media/configure/`. */
  path?: RegExp;
  times?: number;
  status?: number;
  body?: unknown;
};
export type CdnRequest = { path: string; status: number; bytes: number; time: number };
/** One `GET /api/v1/media/{pk}/info/`, as the stand-in judged it. */
export type InfoRequest = { pk: string; status: number; signedIn: boolean; appId: boolean; time: number };

/**
 * Media the account's feed already held before the test, at fixed ids a hostile page can name: one
 * of the user's own, days old, and one of someone else's, public and posted just now. Their codes are
 * their pks' shortcodes, so their post pages (`/p/<code>/`) name them as Instagram's do.
 */
export const OLD_OWN_POST = { pk: "3100000000000000001", code: "CsFaZNTtgAB" };
export const FOREIGN_POST = { pk: "3200000000000000002", code: "CxorwuxQAAC", userPk: "9990001111" };
const WEB_APP_ID = "936619743392459";
const SEEDED_UPLOADS = { own: "1000000000001", foreign: "1000000000002" };
/** A smallest JPEG: the CDN's picture of each seeded post. */
const SEEDED_JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");

export type InstagramStandin = {
  user: InstagramUser;
  readonly uploads: readonly InstagramUpload[];
  /** Every configure call the page made (reel "not transcoded yet" answers included). */
  readonly configures: readonly InstagramConfigure[];
  /** Only the configure answers that created a post. */
  readonly posts: readonly InstagramConfigure[];
  readonly cdnRequests: readonly CdnRequest[];
  /** Media bytes the CDN sent over the network (Graph's in-process fetches are not counted). */
  readonly cdnBytesServed: number;
  /** How many times `configure_to_clips/` answers "Transcode not finished yet." before success. */
  transcodeRetries: number;
  /** A new post answers media/info as unknown for this long after it was made (Instagram lags). */
  infoLagMs: number;
  readonly infoRequests: readonly InfoRequest[];
  inject(fault: InstagramFault): void;
  clearFaults(): void;
  reset(): void;
  /** What the CDN holds for a URL on its host, for Graph's own fetches. */
  lookupMedia(url: string): { type: string; bytes: Buffer } | undefined;
  handleWww(req: IncomingMessage, res: ServerResponse): Promise<void>;
  handleCdn(req: IncomingMessage, res: ServerResponse): void;
};

const DEFAULT_USER: InstagramUser = { pk: "5723140019", username: "acme.bakery", fullName: "Acme Bakery" };

export function createInstagramStandin(deps: { now?: () => number } = {}): InstagramStandin {
  const now = deps.now ?? Date.now;
  let uploads: InstagramUpload[] = [];
  let configures: InstagramConfigure[] = [];
  let cdnRequests: CdnRequest[] = [];
  let infoRequests: InfoRequest[] = [];
  const faults = createFaults<InstagramFault>();
  const clipsAttempts = new Map<string, number>();

  const standin: InstagramStandin = {
    user: { ...DEFAULT_USER },
    get uploads() {
      return uploads;
    },
    get configures() {
      return configures;
    },
    get posts() {
      return configures.filter((c) => c.created);
    },
    get cdnRequests() {
      return cdnRequests;
    },
    get cdnBytesServed() {
      return cdnRequests.reduce((sum, r) => sum + r.bytes, 0);
    },
    transcodeRetries: 2,
    infoLagMs: 0,
    get infoRequests() {
      return infoRequests;
    },
    inject(fault) {
      faults.inject(fault);
    },
    clearFaults() {
      faults.clear();
    },
    reset() {
      uploads = [];
      configures = [];
      cdnRequests = [];
      infoRequests = [];
      faults.clear();
      clipsAttempts.clear();
      standin.user = { ...DEFAULT_USER };
      standin.transcodeRetries = 2;
      standin.infoLagMs = 0;
    },
    lookupMedia(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return undefined;
      }
      return parsed.protocol === "https:" && parsed.hostname === CDN_HOST
        ? mediaAt(parsed.pathname)
        : undefined;
    },
    handleWww,
    handleCdn,
  };

  function mediaAt(path: string): { type: string; bytes: Buffer } | undefined {
    const match = path.match(/^(\/v\/t51\.2885-15\/|\/o1\/v\/t16\/f2\/m86\/)(\d+)_n\.(jpg|mp4)$/);
    if (!match) return undefined;
    const kind = match[3] === "jpg" ? "photo" : "video";
    const upload = uploads.findLast((u) => u.uploadId === match[2] && u.kind === kind);
    if (upload) return { type: kind === "photo" ? "image/jpeg" : "video/mp4", bytes: upload.bytes };
    // The seeded posts' pictures were uploaded before the test began.
    const seeded = kind === "photo" && Object.values(SEEDED_UPLOADS).includes(match[2] ?? "");
    return seeded ? { type: "image/jpeg", bytes: SEEDED_JPEG } : undefined;
  }

  // A fault without a path hits publishing calls (POSTs) only; one with a path hits what it names.
  function takeFault(path: string, method: string): InstagramFault | undefined {
    return faults.take((fault) => (fault.path === undefined ? method === "POST" : fault.path.test(path)));
  }

  function handleCdn(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", `https://${CDN_HOST}`).pathname;
    const media = mediaAt(path);
    const status = media ? 200 : 404;
    cdnRequests = [
      ...cdnRequests,
      { path, status, bytes: media && req.method !== "HEAD" ? media.bytes.length : 0, time: now() },
    ];
    if (!media) {
      sendText(res, 404, "Not found");
      return;
    }
    res.writeHead(200, {
      "content-type": media.type,
      "content-length": media.bytes.length,
      "cache-control": "max-age=1209600, no-transform",
      "access-control-allow-origin": "*",
    });
    res.end(req.method === "HEAD" ? undefined : media.bytes);
  }

  async function handleWww(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://www.instagram.com");
    const method = (req.method ?? "GET").toUpperCase();
    if (method === "GET" && url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (method === "GET" && !url.pathname.startsWith("/api/") && !url.pathname.startsWith("/rupload_")) {
      await sendPage(res, url, standin.user);
      return;
    }
    const raw = await readBody(req);
    const fault = takeFault(url.pathname, method);
    if (fault) {
      sendJson(
        res,
        fault.status ?? 500,
        fault.body ?? { message: "Please wait a few minutes before you try again.", status: "fail" },
      );
      return;
    }
    const upload = url.pathname.match(/^\/rupload_ig(photo|video)\/(fb_uploader_(\d+))$/);
    if (method === "POST" && upload) {
      const [, kind, entityName, uploadId] = upload as unknown as [string, "photo" | "video", string, string];
      uploads = [
        ...uploads,
        {
          kind,
          uploadId,
          entityName,
          type: req.headers["content-type"] ?? "",
          bytes: raw,
          ruploadParams: parseJson(req.headers["x-instagram-rupload-params"]),
          time: now(),
        },
      ];
      sendJson(res, 200, { upload_id: uploadId, xsharing_nonces: {}, status: "ok" });
      return;
    }
    const info = url.pathname.match(/^\/api\/v1\/media\/(\d{1,30})\/info\/$/);
    if (method === "GET" && info?.[1]) {
      answerInfo(req, res, info[1]);
      return;
    }
    const configure = url.pathname.match(
      /^\/api\/v1\/media\/(configure|configure_sidecar|configure_to_clips|configure_to_story)\/$/,
    );
    // Where `?publish=moved` sends a single photo's publish: the same work under a new name.
    if (method === "POST" && url.pathname === "/api/v2/media/publish/") {
      const body = await parseBody(raw, req.headers["content-type"]);
      answerConfigure(res, "configure", body.fields, body.json, false);
      return;
    }
    if (method === "POST" && configure) {
      const body = await parseBody(raw, req.headers["content-type"]);
      answerConfigure(
        res,
        configure[1] as ConfigureEndpoint,
        body.fields,
        body.json,
        url.searchParams.has("video"),
      );
      return;
    }
    sendJson(res, 404, { message: "Page not found", status: "fail" });
  }

  /**
   * Instagram's media/info: the media as the configure answer gave it, for a signed-in session
   * that sends the web app's id. Unknown media (and a new one, for `infoLagMs`) is a 400.
   */
  function answerInfo(req: IncomingMessage, res: ServerResponse, pk: string): void {
    const signedIn = sessionUserOf(req.headers.cookie) === standin.user.pk;
    const appId = req.headers["x-ig-app-id"] === WEB_APP_ID;
    const reply = (status: number, body: unknown) => {
      infoRequests = [...infoRequests, { pk, status, signedIn, appId, time: now() }];
      sendJson(res, status, body);
    };
    const made = configures.find((c) => c.created && mediaOf(c)?.pk === pk);
    const media = made ? mediaOf(made) : seededMedia(pk, standin.user, now());
    if (!appId) reply(400, { message: "useragent mismatch", status: "fail" });
    else if (!signedIn) reply(401, { message: "login_required", status: "fail" });
    else if (!media || (made && now() - made.time < standin.infoLagMs)) {
      reply(400, { message: "Media not found or unavailable", status: "fail" });
    } else
      reply(200, {
        items: [media],
        num_results: 1,
        more_available: false,
        auto_load_more_enabled: false,
        status: "ok",
      });
  }

  function answerConfigure(
    res: ServerResponse,
    endpoint: ConfigureEndpoint,
    params: Record<string, string>,
    json: unknown,
    video: boolean,
  ): void {
    const uploadIds =
      endpoint === "configure_sidecar" ? childUploadIds(params, json) : [params.upload_id ?? ""];
    const record = (status: number, response: unknown, created: boolean) => {
      configures = [
        ...configures,
        {
          endpoint,
          uploadIds,
          caption: params.caption ?? "",
          params,
          status,
          response,
          created,
          time: now(),
        },
      ];
      sendJson(res, status, response);
    };
    const missing = uploadIds.find((id) => !uploads.some((u) => u.uploadId === id));
    if (uploadIds.length === 0 || missing !== undefined) {
      record(400, { message: "Uploaded image isn't in an allowed aspect ratio", status: "fail" }, false);
      return;
    }
    if (endpoint === "configure_to_clips") {
      const key = uploadIds.join(",");
      const attempt = (clipsAttempts.get(key) ?? 0) + 1;
      clipsAttempts.set(key, attempt);
      if (attempt <= standin.transcodeRetries) {
        record(202, { message: "Transcode not finished yet.", status: "fail" }, false);
        return;
      }
    }
    const media = {
      ...buildMedia(endpoint, uploadIds, params.caption ?? "", video, standin.user, now()),
      ...crossPostOf(isRecord(json) ? json : params),
    };
    record(200, { media, status: "ok" }, true);
  }

  return standin;
}

function mediaOf(configure: InstagramConfigure): Record<string, unknown> | undefined {
  const media = isRecord(configure.response) ? configure.response.media : undefined;
  return isRecord(media) ? media : undefined;
}

/** The session's user: Instagram's `sessionid` (HttpOnly) starts with the user's id. */
function sessionUserOf(cookie: string | undefined): string | undefined {
  return /(?:^|;\s*)sessionid=(\d+)%3A/.exec(cookie ?? "")?.[1];
}

function seededMedia(pk: string, user: InstagramUser, nowMs: number): Record<string, unknown> | undefined {
  if (pk === OLD_OWN_POST.pk) {
    const old = buildMedia(
      "configure",
      [SEEDED_UPLOADS.own],
      "An old post",
      false,
      user,
      nowMs - 3 * 86_400_000,
    );
    return { ...old, pk, id: `${pk}_${user.pk}`, code: OLD_OWN_POST.code };
  }
  if (pk === FOREIGN_POST.pk) {
    const someone = { pk: FOREIGN_POST.userPk, username: "someone.else", fullName: "Someone Else" };
    const theirs = buildMedia(
      "configure",
      [SEEDED_UPLOADS.foreign],
      "Someone else's post",
      false,
      someone,
      nowMs,
    );
    return { ...theirs, pk, id: `${pk}_${someone.pk}`, code: FOREIGN_POST.code };
  }
  return undefined;
}

/**
 * Instagram's own cross-post to Facebook, as its answer reports it: asked for with
 * `share_to_facebook=1` (to the destination the request names), it posts there and says so.
 */
function crossPostOf(request: Record<string, unknown>): Record<string, unknown> {
  if (request.share_to_facebook !== "1") return { has_shared_to_fb: 0 };
  return {
    crosspost: ["FB"],
    crosspost_metadata: { fb_crosspost_fbid: `1221${randomInt(10 ** 9, 10 ** 10 - 1)}` },
    has_shared_to_fb: 1,
  };
}

function childUploadIds(params: Record<string, string>, json: unknown): string[] {
  const children = isRecord(json) ? json.children_metadata : parseJson(params.children_metadata);
  if (!Array.isArray(children)) return [];
  return children.map((child: unknown) => (isRecord(child) ? String(child.upload_id ?? "") : ""));
}

function parseJson(text: string | string[] | undefined): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A configure answer shaped like Instagram's (trimmed to the fields clients read, plus some noise). */
function buildMedia(
  endpoint: ConfigureEndpoint,
  uploadIds: string[],
  caption: string,
  video: boolean,
  user: InstagramUser,
  nowMs: number,
): Record<string, unknown> {
  const pk = mediaPk();
  const takenAt = Math.floor(nowMs / 1000);
  const [firstUpload = ""] = uploadIds;
  const base = {
    pk,
    id: `${pk}_${user.pk}`,
    code: randomBytes(8).toString("base64url").slice(0, 11),
    taken_at: takenAt,
    device_timestamp: nowMs,
    client_cache_key: randomBytes(12).toString("base64"),
    filter_type: 0,
    caption_is_edited: false,
    like_and_view_counts_disabled: false,
    comment_count: 0,
    like_count: 0,
    has_liked: false,
    organic_tracking_token: randomBytes(48).toString("base64url"),
    user: userEntry(user),
    caption:
      caption === ""
        ? null
        : {
            pk: mediaPk(),
            user_id: user.pk,
            text: caption,
            type: 1,
            created_at: takenAt,
            created_at_utc: takenAt,
            content_type: "comment",
            status: "Active",
            media_id: pk,
          },
  };
  if (endpoint === "configure_sidecar") {
    return {
      ...base,
      media_type: 8,
      product_type: "carousel_container",
      carousel_media_count: uploadIds.length,
      carousel_media: uploadIds.map((uploadId) => {
        const childPk = mediaPk();
        return {
          pk: childPk,
          id: `${childPk}_${user.pk}`,
          media_type: 1,
          product_type: "carousel_item",
          carousel_parent_id: base.id,
          original_width: 1080,
          original_height: 1080,
          image_versions2: imageVersions(uploadId, 1080, 1080),
        };
      }),
    };
  }
  if (endpoint === "configure_to_clips" || video) {
    const clips = endpoint === "configure_to_clips";
    const [width, height] = clips ? [720, 1280] : [1080, 1080];
    return {
      ...base,
      media_type: 2,
      product_type: clips ? "clips" : "feed",
      original_width: width,
      original_height: height,
      video_duration: 3.0,
      has_audio: false,
      image_versions2: imageVersions(firstUpload, width, height),
      video_versions: [
        {
          type: 101,
          width,
          height,
          id: mediaPk(),
          url: cdnUrl(`${VIDEO_PATH}${firstUpload}_n.mp4`, "dst-mp4"),
        },
        {
          type: 102,
          width: width / 2,
          height: height / 2,
          id: mediaPk(),
          url: cdnUrl(`${VIDEO_PATH}${firstUpload}_n.mp4`, "dst-mp4_s360"),
        },
      ],
    };
  }
  return {
    ...base,
    media_type: 1,
    product_type: "feed",
    original_width: 1080,
    original_height: 1080,
    image_versions2: imageVersions(firstUpload, 1080, 1080),
  };
}

function imageVersions(uploadId: string, width: number, height: number): unknown {
  const path = `${PHOTO_PATH}${uploadId}_n.jpg`;
  return {
    candidates: [
      { width, height, url: cdnUrl(path, "dst-jpg_e35") },
      {
        width: (width * 640) / 1080,
        height: (height * 640) / 1080,
        url: cdnUrl(path, "dst-jpg_e35_s640x640"),
      },
      {
        width: (width * 320) / 1080,
        height: (height * 320) / 1080,
        url: cdnUrl(path, "dst-jpg_e35_s320x320"),
      },
    ],
  };
}

function cdnUrl(path: string, stp: string): string {
  const query = new URLSearchParams({
    stp,
    _nc_ht: CDN_HOST,
    _nc_cat: "1",
    _nc_ohc: randomBytes(9).toString("base64url"),
    oh: `00_${randomBytes(16).toString("base64url")}`,
    oe: Math.floor(Date.now() / 1000 + 7 * 86400)
      .toString(16)
      .toUpperCase(),
  });
  return `https://${CDN_HOST}${path}?${query}`;
}

function userEntry(user: InstagramUser): unknown {
  return {
    pk: user.pk,
    pk_id: user.pk,
    id: user.pk,
    username: user.username,
    full_name: user.fullName,
    is_private: false,
    is_verified: false,
    profile_pic_url: `https://${CDN_HOST}/v/t51.2885-19/${user.pk}_n.jpg`,
  };
}

/** Instagram media pks are 19-digit decimal strings. */
function mediaPk(): string {
  return `3${randomInt(100_000_000, 999_999_999)}${randomInt(100_000_000, 999_999_999)}`;
}

async function sendPage(res: ServerResponse, url: URL, user: InstagramUser): Promise<void> {
  const hostile = url.searchParams.get("hostile") === "1";
  const [html, strings, app, hostileScript] = await Promise.all([
    readFile(`${FIXTURES}index.html`, "utf8"),
    readFile(`${FIXTURES}strings.js`, "utf8"),
    readFile(`${FIXTURES}app.js`, "utf8"),
    hostile ? readFile(`${FIXTURES}hostile.js`, "utf8") : Promise.resolve(""),
  ]);
  // Inline scripts, as Instagram ships much of its bootstrap; the hostile script runs first.
  const scripts = [hostileScript, strings, app]
    .filter((s) => s !== "")
    .map((s) => `<script>\n${s}\n</script>`)
    .join("\n");
  const page = html.replace("<!-- scripts -->", () => scripts);
  sendText(res, 200, page, "text/html; charset=utf-8", {
    // Signed in, as Instagram's cookies say it: the session is HttpOnly, the user's id is not.
    "set-cookie": [
      `csrftoken=${randomBytes(16).toString("hex")}; Path=/; Secure; SameSite=Lax`,
      `sessionid=${user.pk}%3A${randomBytes(10).toString("base64url")}%3A20; Path=/; Secure; HttpOnly; SameSite=Lax`,
      `ds_user_id=${user.pk}; Path=/; Secure; SameSite=Lax`,
    ],
    "cache-control": "private, no-cache, no-store, must-revalidate",
  });
}
