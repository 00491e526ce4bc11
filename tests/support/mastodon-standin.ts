import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createFaults, onRequest } from "./faults";
import { isRecord, type ParsedBody, parseBody, readBody, sendJson, sendText } from "./http";
import { serveOverHttp } from "./serve-over-http";

/*
 * A Mastodon server (4.4 by default, or an older release), as its REST API and OAuth pages behave,
 * bad days included: a status made whose answer is lost, rate limits with rack-attack's headers,
 * 5xx, revoked and expired tokens, Mastodon's 422 sentences, media too big or stuck processing.
 * Sources: docs.joinmastodon.org (methods/apps, oauth, media, statuses, accounts, instance;
 * api/rate-limits, api/oauth-scopes, entities/Error) and Mastodon's PostStatusService,
 * MediaController and config/initializers/rack_attack.rb.
 *
 *   const mastodon = createMastodonStandin({ now: () => clock.now });
 *   const token = mastodon.signIn(mastodon.addAccount({ username: "acme" }).id);
 *   mastodon.inject({ method: "POST", path: /^\/api\/v1\/statuses$/, dropAfterCommit: true });
 */

/** Which Mastodon the stand-in is: its OAuth metadata, the `profile` scope and PKCE came in 4.3. */
export type MastodonRelease = "4.4" | "4.2" | "3.5";

export type StandinAccount = {
  id: string;
  username: string;
  displayName: string;
  avatar: string;
  createdAt: number;
};
export type StandinApp = {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
};
export type StandinToken = {
  token: string;
  accountId: string;
  scopes: string[];
  state: "active" | "revoked" | "expired";
  appId?: string;
};
export type StandinMedia = {
  id: string;
  accountId: string;
  type: "image" | "video";
  mime: string;
  filename: string;
  size: number;
  description?: string;
  /** GETs left that answer 206 before it is processed (a video); Infinity: it never finishes. */
  pollsLeft: number;
  statusId?: string;
  createdAt: number;
};
export type StandinStatus = {
  id: string;
  accountId: string;
  text: string;
  visibility: string;
  mediaIds: string[];
  createdAt: number;
  url: string;
  uri: string;
  idempotencyKey?: string;
  application?: string;
  /** The user deleted it. */
  deleted: boolean;
};
export type StandinRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  fields: Record<string, string>;
  /** Every value of a repeated field (`media_ids[]`). */
  lists: Record<string, string[]>;
  files: Record<string, { filename: string; type: string; size: number }>;
  /** The bearer token, if any; the request's URL never holds one. */
  token?: string;
  idempotencyKey?: string;
  contentType?: string;
  /** What the request sent for cookies: a client that omits credentials sends none. */
  cookie?: string;
  time: number;
};
export type MastodonFault = {
  method?: string;
  /** Tested against the path without its query, e.g. `/api/v1/statuses`. */
  path?: RegExp;
  /** How many matching requests this fault takes; default 1. */
  times?: number;
  /** Answer this HTTP status with Mastodon's error body, `{ "error": … }`. */
  status?: number;
  /** The error's words; by default the ones Mastodon uses for the status. */
  error?: string;
  /** Answer 429 as Mastodon's rate limiter does: its words, X-RateLimit-* headers, reset at the window's end. */
  throttle?: boolean;
  /** A raw body instead (a proxy's HTML page, JSON cut short), with `status` (default 502). */
  body?: string;
  /** This JSON instead (status 200 unless `status`): an answer in another shape. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Do the work first (the status IS made), then answer the fault anyway. */
  afterCommit?: boolean;
  /** Do the work, then drop the connection without a byte of answer. */
  dropAfterCommit?: boolean;
  /** Drop the connection before doing anything. */
  networkDown?: boolean;
  /** Never answer. */
  hang?: boolean;
};

/** Every scope Mastodon 4.4 knows (`scopes_supported`), without the admin ones. */
const KNOWN_SCOPES = [
  "read",
  "write",
  "follow",
  "push",
  "profile",
  ...[
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
  ].map((scope) => `read:${scope}`),
  ...[
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
  ].map((scope) => `write:${scope}`),
];

/** Idempotency keys live this long in Mastodon's Redis (PostStatusService, `setex … 3_600`). */
const IDEMPOTENCY_SECONDS = 3_600;
/** rack-attack: `throttle_authenticated_api` 300 per 5 minutes, `throttle_media` 30 per 30 minutes. */
const API_LIMIT = { limit: 300, periodSeconds: 300 };
const MEDIA_LIMIT = { limit: 30, periodSeconds: 1800 };
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/avif"];
const VIDEO_TYPES = ["video/mp4", "video/webm", "video/quicktime"];
const INVALID_GRANT =
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const INVALID_CLIENT =
  "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";

type Answer = {
  status: number;
  json?: unknown;
  html?: string;
  image?: Buffer;
  headers?: Record<string, string>;
};

/** Every avatar and attachment file, as a page shows it: one transparent pixel. */
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

export type MastodonStandin = ReturnType<typeof createMastodonStandin>;

/** What the server takes and how it behaves, as a test may change it. */
function defaultSettings() {
  return {
    release: "4.4" as MastodonRelease,
    textLimit: 500,
    maxMedia: 4,
    imageSizeLimit: 16 * 1024 * 1024,
    videoSizeLimit: 99 * 1024 * 1024,
    descriptionLimit: 1500,
    /** GETs of a new video's attachment that answer 206 before it is processed. */
    videoProcessingPolls: 2,
    /** Who is signed in on the server's web pages, to authorize an app; default the first account. */
    signedInAs: undefined as string | undefined,
    /**
     * "page": the authorization page, whose Authorize button the user presses. "approve": the user's
     * press on it, made at once (an end-to-end test cannot reach the browser's own sign-in window).
     */
    authorizeMode: "page" as "page" | "approve",
  };
}

export function createMastodonStandin(options: { now: () => number; host?: string }) {
  const { now } = options;
  const host = options.host ?? "mastodon.example";
  const origin = `https://${host}`;
  let sequence = 0;
  let accounts: StandinAccount[] = [];
  let apps: StandinApp[] = [];
  let tokens: StandinToken[] = [];
  let codes: {
    code: string;
    appId: string;
    accountId: string;
    redirectUri: string;
    scopes: string[];
    challenge?: string;
    used: boolean;
    at: number;
  }[] = [];
  let media: StandinMedia[] = [];
  let statuses: StandinStatus[] = [];
  let requests: StandinRequest[] = [];
  const faults = createFaults<MastodonFault>();
  /** `account:key` → the status id and when it was stored. */
  let idempotency = new Map<string, { statusId: string; at: number }>();
  /** rack-attack counters: `name:account:window start` → requests. */
  let counters = new Map<string, number>();

  const settings = defaultSettings();

  /** Mastodon's Snowflake ids: milliseconds since 1970 shifted by 16 bits, and a sequence. */
  const snowflake = () => String((BigInt(now()) << BigInt(16)) + BigInt(++sequence % 65_536));
  const secret = () => randomBytes(32).toString("base64url");
  const find = <T extends { id: string }>(list: T[], id: string) => list.find((item) => item.id === id);

  const standin = {
    host,
    hosts: [host],
    origin,
    settings,

    addAccount(spec: { username: string; displayName?: string; id?: string }): StandinAccount {
      const account: StandinAccount = {
        id: spec.id ?? snowflake(),
        username: spec.username,
        displayName: spec.displayName ?? "",
        avatar: `${origin}/system/accounts/avatars/${spec.username}.png`,
        createdAt: now(),
      };
      accounts = [...accounts, account];
      return account;
    },
    /** A token issued to the account as if it had authorized an app with these scopes. */
    signIn(
      accountId: string,
      scopes = ["write:statuses", "write:media", "read:statuses", "profile"],
    ): string {
      const token = secret();
      tokens = [...tokens, { token, accountId, scopes, state: "active" }];
      return token;
    },
    /** The user revoked the app in their settings (Doorkeeper: "The access token was revoked"). */
    revoke(token: string): void {
      tokens = tokens.map((item) => (item.token === token ? { ...item, state: "revoked" } : item));
    },
    /** The token ran out (Doorkeeper: "The access token expired"). */
    expire(token: string): void {
      tokens = tokens.map((item) => (item.token === token ? { ...item, state: "expired" } : item));
    },
    setTextLimit(limit: number): void {
      settings.textLimit = limit;
    },
    /** The user deleted the status on the server. */
    deleteStatus(id: string): void {
      statuses = statuses.map((status) => (status.id === id ? { ...status, deleted: true } : status));
    },
    /** Statuses made, deleted ones included, oldest first. */
    statuses: (): readonly StandinStatus[] => statuses,
    media: (): readonly StandinMedia[] => media,
    apps: (): readonly StandinApp[] => apps,
    tokens: (): readonly StandinToken[] => tokens,
    requests: (): readonly StandinRequest[] => requests,
    inject(fault: MastodonFault): void {
      faults.inject(fault);
    },
    clearFaults(): void {
      faults.clear();
    },
    /** Forgets everything but the settings' defaults. */
    reset(): void {
      accounts = [];
      apps = [];
      tokens = [];
      codes = [];
      media = [];
      statuses = [];
      requests = [];
      faults.clear();
      idempotency = new Map();
      counters = new Map();
      Object.assign(settings, defaultSettings());
    },
    /** A plain Node handler for the server's host. */
    handle(req: IncomingMessage, res: ServerResponse): void {
      serve(req, res).catch((error: unknown) => {
        console.error("mastodon stand-in failed", error);
        res.destroy();
      });
    },
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    const contentType = req.headers["content-type"];
    const body = await parseBody(await readBody(req), contentType);
    const authorization = req.headers.authorization;
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
    const idempotencyKey = header(req, "idempotency-key");
    const request: StandinRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      fields: body.fields,
      lists: listsOf(body, contentType),
      files: Object.fromEntries(
        Object.entries(body.files).map(([key, file]) => [
          key,
          { filename: file.filename, type: file.type, size: file.bytes.length },
        ]),
      ),
      token,
      idempotencyKey,
      contentType,
      cookie: header(req, "cookie"),
      time: now(),
    };
    requests = [...requests, request];

    const fault = takeFault(method, url.pathname);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;
    const faultAnswer = fault && answerOf(fault);
    if (faultAnswer && !fault.afterCommit) {
      send(res, faultAnswer);
      return;
    }
    const answer = route(request, url, body);
    if (faultAnswer) {
      send(res, faultAnswer);
      return;
    }
    if (fault?.dropAfterCommit) {
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  function takeFault(method: string, path: string): MastodonFault | undefined {
    return faults.take(onRequest(method, path));
  }

  /** The answer a fault gives in place of the real one, if it gives one. */
  function answerOf(fault: MastodonFault): Answer | undefined {
    const headers = fault.headers ?? {};
    if (fault.throttle) return throttled(API_LIMIT, headers);
    if (fault.body !== undefined) {
      return { status: fault.status ?? 502, html: fault.body, headers };
    }
    if (fault.json !== undefined) return { status: fault.status ?? 200, json: fault.json, headers };
    if (fault.status !== undefined) {
      return { status: fault.status, json: { error: fault.error ?? errorWords(fault.status) }, headers };
    }
    return undefined;
  }

  function route(request: StandinRequest, url: URL, body: ParsedBody): Answer {
    const { method, path } = request;
    const api = (verb: string, pattern: RegExp) => (method === verb ? pattern.exec(path) : null);
    if (api("GET", /^\/system\/[\w/.-]+$/)) return { status: 200, image: PIXEL };
    if (api("GET", /^\/\.well-known\/oauth-authorization-server$/)) return oauthMetadata();
    if (api("POST", /^\/api\/v1\/apps$/)) return registerApp(request);
    if (api("GET", /^\/oauth\/authorize$/)) return authorizePage(request.query);
    if (api("POST", /^\/oauth\/authorize$/)) return authorizeDecision(request.fields);
    if (api("POST", /^\/oauth\/token$/)) return issueToken(request.fields);
    if (api("GET", /^\/api\/v2\/instance$/)) {
      return settings.release === "3.5" ? notFound() : { status: 200, json: instanceV2() };
    }
    if (api("GET", /^\/api\/v1\/instance$/)) return { status: 200, json: instanceV1() };
    if (api("GET", /^\/api\/v1\/accounts\/verify_credentials$/)) {
      return authorized(request, ["profile", "read:accounts", "read"], (account) => ({
        status: 200,
        json: { ...accountJson(account), source: { privacy: "public", sensitive: false, note: "" } },
      }));
    }
    const statusesOf = api("GET", /^\/api\/v1\/accounts\/([\w-]+)\/statuses$/);
    if (statusesOf) return accountStatuses(request, url, statusesOf[1] ?? "");
    if (api("POST", /^\/api\/v2\/media$/)) {
      return authorized(request, ["write:media", "write"], (account) => uploadMedia(account, request, body));
    }
    const mediaId = api("GET", /^\/api\/v1\/media\/([\w-]+)$/);
    if (mediaId) {
      return authorized(request, ["write:media", "write"], (account) => lookMedia(account, mediaId[1] ?? ""));
    }
    if (api("POST", /^\/api\/v1\/statuses$/)) {
      return authorized(request, ["write:statuses", "write"], (account) => postStatus(account, request));
    }
    return notFound();
  }

  /** Doorkeeper's check of the bearer token, then rack-attack's per-account count, then the action. */
  function authorized(
    request: StandinRequest,
    anyOf: string[],
    action: (account: StandinAccount) => Answer,
  ): Answer {
    const held = tokens.find((item) => item.token === request.token);
    if (held?.state !== "active") {
      const description =
        held?.state === "revoked"
          ? "The access token was revoked"
          : held?.state === "expired"
            ? "The access token expired"
            : "The access token is invalid";
      return {
        status: 401,
        json: { error: description },
        headers: {
          "www-authenticate": `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
        },
      };
    }
    if (!anyOf.some((scope) => held.scopes.includes(scope))) {
      return { status: 403, json: { error: "This action is outside the authorized scopes" } };
    }
    const account = find(accounts, held.accountId);
    if (!account) return { status: 403, json: { error: "Your login is currently disabled" } };
    const limited =
      count(API_LIMIT, `api:${account.id}`) ??
      (request.method === "POST" && request.path.startsWith("/api/v2/media")
        ? count(MEDIA_LIMIT, `media:${account.id}`)
        : undefined);
    return limited ?? action(account);
  }

  /** Counts one request in its rack-attack window; a 429 when that window is used up. */
  function count(limit: typeof API_LIMIT, key: string): Answer | undefined {
    const window = Math.floor(now() / 1000 / limit.periodSeconds);
    const name = `${key}:${window}`;
    const used = (counters.get(name) ?? 0) + 1;
    counters.set(name, used);
    return used > limit.limit ? throttled(limit, {}) : undefined;
  }

  /** rack-attack's throttled answer (config/initializers/rack_attack.rb). */
  function throttled(limit: typeof API_LIMIT, headers: Record<string, string>): Answer {
    const seconds = Math.floor(now() / 1000);
    const reset = (seconds + (limit.periodSeconds - (seconds % limit.periodSeconds))) * 1000;
    return {
      status: 429,
      json: { error: "Too many requests" },
      headers: {
        "x-ratelimit-limit": String(limit.limit),
        "x-ratelimit-remaining": "0",
        // Ruby's `iso8601(6)`: microseconds.
        "x-ratelimit-reset": new Date(reset).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z"),
        ...headers,
      },
    };
  }

  function oauthMetadata(): Answer {
    if (settings.release !== "4.4") return notFound();
    return {
      status: 200,
      json: {
        issuer: `${origin}/`,
        service_documentation: "https://docs.joinmastodon.org/",
        authorization_endpoint: `${origin}/oauth/authorize`,
        token_endpoint: `${origin}/oauth/token`,
        app_registration_endpoint: `${origin}/api/v1/apps`,
        revocation_endpoint: `${origin}/oauth/revoke`,
        userinfo_endpoint: `${origin}/oauth/userinfo`,
        scopes_supported: KNOWN_SCOPES,
        response_types_supported: ["code"],
        response_modes_supported: ["query", "fragment", "form_post"],
        code_challenge_methods_supported: ["S256"],
        grant_types_supported: ["authorization_code", "client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      },
    };
  }

  function knownScopes(): string[] {
    return settings.release === "4.4" ? KNOWN_SCOPES : KNOWN_SCOPES.filter((scope) => scope !== "profile");
  }

  function registerApp(request: StandinRequest): Answer {
    const name = request.fields.client_name;
    // A list of redirect URIs came in 4.3; before, strong parameters drop one that is not a string.
    const listed = request.lists.redirect_uris;
    const redirectUris = listed
      ? settings.release === "4.4"
        ? listed
        : []
      : (request.fields.redirect_uris ?? "").split(/\s+/).filter(Boolean);
    const scopes = (request.fields.scopes ?? "read").split(/\s+/).filter(Boolean);
    if (!name) return invalid("Validation failed: Application name can't be blank");
    if (redirectUris.length === 0) return invalid("Validation failed: Redirect URI can't be blank");
    if (!redirectUris.every(isAbsoluteUri)) {
      return invalid("Validation failed: Redirect URI must be an absolute URI.");
    }
    if (!scopes.every((scope) => knownScopes().includes(scope))) {
      return invalid("Validation failed: Scopes doesn't match configured on the server.");
    }
    const app: StandinApp = {
      id: String(apps.length + 1),
      name,
      clientId: secret(),
      clientSecret: secret(),
      redirectUris,
      scopes,
    };
    apps = [...apps, app];
    return {
      status: 200,
      json: {
        id: app.id,
        name: app.name,
        website: request.fields.website ?? null,
        scopes: app.scopes,
        redirect_uri: app.redirectUris.join("\n"),
        redirect_uris: app.redirectUris,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        client_secret_expires_at: 0,
      },
    };
  }

  /** Doorkeeper's checks of an authorization request, before anything is shown. */
  function authorizationProblem(params: Record<string, string>): Answer | undefined {
    const app = apps.find((item) => item.clientId === params.client_id);
    if (!app) return errorPage(401, INVALID_CLIENT);
    const redirectUri = params.redirect_uri ?? "";
    if (!app.redirectUris.includes(redirectUri))
      return errorPage(400, "The redirect uri included is not valid.");
    const back = (error: string, description: string) =>
      redirectTo(redirectUri, { error, error_description: description, state: params.state });
    if (params.response_type !== "code") {
      return back(
        "unsupported_response_type",
        "The authorization server does not support this response type.",
      );
    }
    const scopes = (params.scope ?? "read").split(/[\s+]+/).filter(Boolean);
    if (!scopes.every((scope) => app.scopes.includes(scope))) {
      return back("invalid_scope", "The requested scope is invalid, unknown, or malformed.");
    }
    if (settings.release === "4.4" && params.code_challenge && params.code_challenge_method !== "S256") {
      return back("invalid_request", "The code challenge method must be S256.");
    }
    return undefined;
  }

  function authorizePage(params: Record<string, string>): Answer {
    const problem = authorizationProblem(params);
    if (problem) return problem;
    if (settings.authorizeMode === "approve") return authorizeDecision({ ...params, decision: "approve" });
    const app = apps.find((item) => item.clientId === params.client_id);
    const account = signedIn();
    const hidden = Object.entries(params)
      .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
      .join("");
    const scopes = (params.scope ?? "read")
      .split(/[\s+]+/)
      .map((scope) => `<li>${escapeHtml(scope)}</li>`)
      .join("");
    return {
      status: 200,
      html: page(
        "Authorization required",
        `<h1>Authorization required</h1><p><strong>${escapeHtml(app?.name ?? "")}</strong> would like permission to access your account @${escapeHtml(account?.username ?? "")}.</p><ul>${scopes}</ul><form method="post" action="/oauth/authorize">${hidden}<button type="submit" name="decision" value="approve">Authorize</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
      ),
    };
  }

  function authorizeDecision(fields: Record<string, string>): Answer {
    const { decision, ...params } = fields;
    const problem = authorizationProblem(params);
    if (problem) return problem;
    const redirectUri = params.redirect_uri ?? "";
    if (decision !== "approve") {
      return redirectTo(redirectUri, {
        error: "access_denied",
        error_description: "The resource owner or authorization server denied the request.",
        state: params.state,
      });
    }
    const app = apps.find((item) => item.clientId === params.client_id);
    const account = signedIn();
    if (!app || !account) return errorPage(401, "You need to sign in or sign up before continuing.");
    const code = secret();
    codes = [
      ...codes,
      {
        code,
        appId: app.id,
        accountId: account.id,
        redirectUri,
        scopes: (params.scope ?? "read").split(/[\s+]+/).filter(Boolean),
        // Mastodon before 4.3 keeps no challenge: PKCE is ignored there.
        challenge: settings.release === "4.4" ? params.code_challenge : undefined,
        used: false,
        at: now(),
      },
    ];
    return redirectTo(redirectUri, { code, state: params.state });
  }

  function issueToken(fields: Record<string, string>): Answer {
    const app = apps.find(
      (item) => item.clientId === fields.client_id && item.clientSecret === fields.client_secret,
    );
    if (!app) return { status: 401, json: { error: "invalid_client", error_description: INVALID_CLIENT } };
    if (fields.grant_type !== "authorization_code") {
      return {
        status: 400,
        json: {
          error: "unsupported_grant_type",
          error_description: "The authorization grant type is not supported by the authorization server.",
        },
      };
    }
    const grant = codes.find((item) => item.code === fields.code);
    const refused = { status: 400, json: { error: "invalid_grant", error_description: INVALID_GRANT } };
    // Doorkeeper's codes last 10 minutes and are good once.
    if (!grant || grant.used || grant.appId !== app.id || grant.redirectUri !== fields.redirect_uri)
      return refused;
    if (now() - grant.at > 10 * 60_000) return refused;
    if (grant.challenge !== undefined) {
      const verifier = fields.code_verifier ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) return refused;
    }
    grant.used = true;
    const token = secret();
    tokens = [
      ...tokens,
      { token, accountId: grant.accountId, scopes: grant.scopes, state: "active", appId: app.id },
    ];
    return {
      status: 200,
      json: {
        access_token: token,
        token_type: "Bearer",
        scope: grant.scopes.join(" "),
        created_at: Math.floor(now() / 1000),
      },
    };
  }

  function signedIn(): StandinAccount | undefined {
    return settings.signedInAs ? find(accounts, settings.signedInAs) : accounts[0];
  }

  function configuration() {
    return {
      urls: { streaming: `wss://${host}` },
      statuses: {
        max_characters: settings.textLimit,
        max_media_attachments: settings.maxMedia,
        characters_reserved_per_url: 23,
      },
      media_attachments: {
        supported_mime_types: [...IMAGE_TYPES, ...VIDEO_TYPES],
        image_size_limit: settings.imageSizeLimit,
        image_matrix_limit: 33_177_600,
        video_size_limit: settings.videoSizeLimit,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8_294_400,
        ...(settings.release === "4.4" && { description_limit: settings.descriptionLimit }),
      },
      polls: {
        max_options: 4,
        max_characters_per_option: 50,
        min_expiration: 300,
        max_expiration: 2_629_746,
      },
    };
  }

  function version(): string {
    return { "4.4": "4.4.3", "4.2": "4.2.10", "3.5": "3.5.19" }[settings.release];
  }

  function instanceV2() {
    return {
      domain: host,
      title: "Mastodon stand-in",
      version: version(),
      source_url: "https://github.com/mastodon/mastodon",
      description: "A Mastodon server for alsoshare's tests",
      usage: { users: { active_month: accounts.length } },
      languages: ["en"],
      configuration: configuration(),
      registrations: { enabled: false, approval_required: false, message: null },
      contact: { email: `admin@${host}`, account: null },
      rules: [],
    };
  }

  function instanceV1() {
    return {
      uri: host,
      title: "Mastodon stand-in",
      short_description: "",
      description: "A Mastodon server for alsoshare's tests",
      version: version(),
      urls: { streaming_api: `wss://${host}` },
      stats: { user_count: accounts.length, status_count: statuses.length, domain_count: 1 },
      languages: ["en"],
      registrations: false,
      approval_required: false,
      configuration: configuration(),
      contact_account: null,
      rules: [],
    };
  }

  function uploadMedia(account: StandinAccount, request: StandinRequest, body: ParsedBody): Answer {
    const file = body.files.file;
    if (!file) return invalid("Validation failed: File can't be blank");
    const type = IMAGE_TYPES.includes(file.type)
      ? "image"
      : VIDEO_TYPES.includes(file.type)
        ? "video"
        : undefined;
    if (!type) return invalid("Validation failed: File content type is invalid, File is invalid");
    const limit = type === "image" ? settings.imageSizeLimit : settings.videoSizeLimit;
    if (file.bytes.length > limit) {
      return invalid(
        `Validation failed: File file size must be less than ${Math.round(limit / 1024 / 1024)} MB`,
      );
    }
    const description = request.fields.description;
    if (description && [...description].length > settings.descriptionLimit) {
      return invalid(
        `Validation failed: Description is too long (maximum is ${settings.descriptionLimit} characters)`,
      );
    }
    const item: StandinMedia = {
      id: snowflake(),
      accountId: account.id,
      type,
      mime: file.type,
      filename: file.filename,
      size: file.bytes.length,
      ...(description && { description }),
      // Images are processed at once since 4.0; videos in the background.
      pollsLeft: type === "video" ? settings.videoProcessingPolls : 0,
      createdAt: now(),
    };
    media = [...media, item];
    return { status: item.pollsLeft > 0 ? 202 : 200, json: mediaJson(item) };
  }

  /** `GET /api/v1/media/:id`: only the account's attachments that no status holds yet. */
  function lookMedia(account: StandinAccount, id: string): Answer {
    const item = media.find((entry) => entry.id === id && entry.accountId === account.id && !entry.statusId);
    if (!item) return notFound();
    if (item.pollsLeft > 0) {
      item.pollsLeft -= 1;
      return { status: 206, json: mediaJson({ ...item, pollsLeft: item.pollsLeft + 1 }) };
    }
    return { status: 200, json: mediaJson(item) };
  }

  /** PostStatusService: the Idempotency-Key first, then the media and text checks, then the status. */
  function postStatus(account: StandinAccount, request: StandinRequest): Answer {
    const key = request.idempotencyKey;
    const remembered = key && idempotency.get(`${account.id}:${key}`);
    if (remembered && now() - remembered.at < IDEMPOTENCY_SECONDS * 1000) {
      const earlier = statuses.find((status) => status.id === remembered.statusId && !status.deleted);
      return earlier ? { status: 200, json: statusJson(earlier) } : notFound();
    }
    const text = request.fields.status ?? "";
    const mediaIds = request.lists["media_ids[]"] ?? request.lists.media_ids ?? [];
    if (mediaIds.length > settings.maxMedia) {
      return invalid(`Cannot attach more than ${settings.maxMedia} files`);
    }
    const attached = mediaIds.map((id) =>
      media.find((item) => item.id === id && item.accountId === account.id && !item.statusId),
    );
    const missing = mediaIds.filter((_, index) => !attached[index]);
    if (missing.length > 0)
      return invalid(`Media ${missing.join(", ")} not found or already attached to another post`);
    const files = attached.filter((item): item is StandinMedia => item !== undefined);
    if (files.length > 1 && files.some((item) => item.type === "video")) {
      return invalid("Cannot attach a video to a post that already contains images");
    }
    if (files.some((item) => item.pollsLeft > 0)) {
      return invalid("Cannot attach files that have not finished processing. Try again in a moment!");
    }
    if (text.trim() === "" && files.length === 0) return invalid("Validation failed: Text can't be blank");
    if (countedLength(text) > settings.textLimit) {
      return invalid(`Validation failed: Text character limit of ${settings.textLimit} exceeded`);
    }
    const id = snowflake();
    const status: StandinStatus = {
      id,
      accountId: account.id,
      text,
      visibility: request.fields.visibility ?? "public",
      mediaIds,
      createdAt: now(),
      url: `${origin}/@${account.username}/${id}`,
      uri: `${origin}/users/${account.username}/statuses/${id}`,
      ...(key && { idempotencyKey: key }),
      application: apps.find((app) =>
        tokens.some((item) => item.token === request.token && item.appId === app.id),
      )?.name,
      deleted: false,
    };
    statuses = [...statuses, status];
    for (const item of files) item.statusId = id;
    if (key) idempotency.set(`${account.id}:${key}`, { statusId: id, at: now() });
    return { status: 200, json: statusJson(status) };
  }

  /** `GET /api/v1/accounts/:id/statuses`: newest first, paged by `max_id`; a token needs read:statuses. */
  function accountStatuses(request: StandinRequest, url: URL, accountId: string): Answer {
    const list = (): Answer => {
      const account = find(accounts, accountId);
      if (!account) return notFound();
      const limit = Math.min(40, Number(url.searchParams.get("limit") ?? 20) || 20);
      const maxId = url.searchParams.get("max_id");
      const onlyMedia = url.searchParams.get("only_media") === "true";
      const page = statuses
        .filter(
          (status) => status.accountId === accountId && !status.deleted && status.visibility !== "direct",
        )
        .filter((status) => !onlyMedia || status.mediaIds.length > 0)
        .filter((status) => !maxId || BigInt(status.id) < BigInt(maxId))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, limit);
      const last = page.at(-1);
      const headers: Record<string, string> = last
        ? {
            link: `<${origin}/api/v1/accounts/${accountId}/statuses?limit=${limit}&max_id=${last.id}>; rel="next"`,
          }
        : {};
      return { status: 200, json: page.map(statusJson), headers };
    };
    if (!request.token) return list();
    return authorized(request, ["read:statuses", "read"], list);
  }

  function accountJson(account: StandinAccount) {
    return {
      id: account.id,
      username: account.username,
      acct: account.username,
      display_name: account.displayName,
      locked: false,
      bot: false,
      discoverable: true,
      group: false,
      created_at: new Date(account.createdAt).toISOString(),
      note: "",
      url: `${origin}/@${account.username}`,
      uri: `${origin}/users/${account.username}`,
      avatar: account.avatar,
      avatar_static: account.avatar,
      header: `${origin}/headers/original/missing.png`,
      header_static: `${origin}/headers/original/missing.png`,
      followers_count: 0,
      following_count: 0,
      statuses_count: statuses.filter((status) => status.accountId === account.id && !status.deleted).length,
      last_status_at: null,
      emojis: [],
      fields: [],
    };
  }

  function mediaJson(item: StandinMedia) {
    const processing = item.pollsLeft > 0;
    const file = `${origin}/system/media_attachments/files/${item.id}`;
    return {
      id: item.id,
      type: item.type,
      url: processing ? null : `${file}/original/${item.id}.${item.type === "video" ? "mp4" : "jpg"}`,
      preview_url: `${file}/small/${item.id}.jpg`,
      remote_url: null,
      preview_remote_url: null,
      text_url: null,
      meta:
        item.type === "video"
          ? {}
          : { original: { width: 1080, height: 1080, size: "1080x1080", aspect: 1 } },
      description: item.description ?? null,
      blurhash: "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
    };
  }

  function statusJson(status: StandinStatus) {
    const account = find(accounts, status.accountId);
    return {
      id: status.id,
      created_at: new Date(status.createdAt).toISOString(),
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      sensitive: false,
      spoiler_text: "",
      visibility: status.visibility,
      language: "en",
      uri: status.uri,
      url: status.url,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      edited_at: null,
      content: toHtml(status.text),
      reblog: null,
      application: status.application ? { name: status.application, website: null } : null,
      account: account && accountJson(account),
      media_attachments: status.mediaIds.flatMap((id) => {
        const item = media.find((entry) => entry.id === id);
        return item ? [mediaJson(item)] : [];
      }),
      mentions: [],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  }

  /** Mastodon's rendering of plain text: paragraphs, line breaks, links and hashtags. */
  function toHtml(text: string): string {
    const inline = (line: string) =>
      escapeHtml(line)
        .replace(
          /https:\/\/([^\s<]+)/g,
          (_, rest: string) =>
            `<a href="https://${rest}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="">${rest}</span><span class="invisible"></span></a>`,
        )
        .replace(
          /(^|\s)#(\w+)/g,
          (_, before: string, tag: string) =>
            `${before}<a href="${origin}/tags/${tag.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`,
        );
    return text
      .trim()
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.split("\n").map(inline).join("<br />")}</p>`)
      .join("");
  }

  function errorPage(status: number, message: string): Answer {
    return {
      status,
      html: page("An error has occurred", `<h1>An error has occurred</h1><p>${escapeHtml(message)}</p>`),
    };
  }

  return standin;
}

/** StatusLengthValidator: graphemes, each link counting 23. */
function countedLength(text: string): number {
  const counted = text.replace(/https?:\/\/\S+/g, "x".repeat(23));
  return [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(counted)].length;
}

function errorWords(status: number): string {
  if (status === 401) return "The access token is invalid";
  if (status === 403) return "This action is not allowed";
  if (status === 404) return "Record not found";
  if (status === 422) return "Validation failed: Text can't be blank";
  if (status === 429) return "Too many requests";
  if (status === 503) return "There was a temporary problem serving your request, please try again";
  return "We're sorry, but something went wrong on our end.";
}

function invalid(error: string): Answer {
  return { status: 422, json: { error } };
}

function notFound(): Answer {
  return { status: 404, json: { error: "Record not found" } };
}

function redirectTo(uri: string, params: Record<string, string | undefined>): Answer {
  const target = new URL(uri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) target.searchParams.set(key, value);
  return { status: 302, headers: { location: target.toString() } };
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.html !== undefined) {
    sendText(res, answer.status, answer.html, "text/html; charset=utf-8", answer.headers);
  } else if (answer.json !== undefined) {
    sendJson(res, answer.status, answer.json, answer.headers);
  } else if (answer.image) {
    res.writeHead(answer.status, { "content-type": "image/png", "content-length": answer.image.length });
    res.end(answer.image);
  } else {
    res.writeHead(answer.status, { "content-length": 0, ...answer.headers }).end();
  }
}

/** Every value of each field, for the fields a client may repeat (`media_ids[]`, `redirect_uris`). */
function listsOf(body: ParsedBody, contentType: string | undefined): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  if (isRecord(body.json)) {
    for (const [key, value] of Object.entries(body.json)) {
      if (Array.isArray(value)) lists[key] = value.map(String);
    }
  } else if ((contentType ?? "").startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(body.raw.toString("utf8"));
    for (const key of new Set(form.keys())) lists[key] = form.getAll(key);
  }
  return lists;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isAbsoluteUri(uri: string): boolean {
  try {
    return new URL(uri).protocol.length > 1;
  } catch {
    return uri === "urn:ietf:wg:oauth:2.0:oob";
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Serves the stand-in on a local port for unit tests: `fetch` sends every URL of its host there. */
export function serveMastodonStandin(standin: MastodonStandin) {
  return serveOverHttp("Mastodon", standin);
}
