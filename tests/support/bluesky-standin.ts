import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createFaults, onRequest } from "./faults";
import { readBody, sendJson, sendText } from "./http";

/*
 * Bluesky as an account on bsky.social sees it: the entryway (bsky.social) where one signs in,
 * and the account's PDS (named in its DID document) that stores its posts and blobs, bad days
 * included: answers lost after the post was made, rate limits with the PDS's ratelimit-* headers,
 * 5xx, expired and revoked sign-ins, the PDS's own error bodies, blobs over its limits.
 *
 *   const bluesky = createBlueskyStandin({ now: () => clock.now });
 *   bluesky.addAccount({ handle: "acme.bsky.social", did: "did:plc:…", appPassword: "abcd-efgh-ijkl-mnop" });
 *   bluesky.inject({ path: /createRecord$/, dropAfterCommit: true });
 *   …
 *   expect(bluesky.posts()).toHaveLength(1);
 *
 * The answers follow atproto's PDS (packages/pds, xrpc-server): names, statuses and messages.
 */

export const ENTRYWAY_HOST = "bsky.social";
export const PDS_HOST = "pds.host.bsky.network";
export const BLUESKY_HOSTS = [ENTRYWAY_HOST, PDS_HOST] as const;
export const PDS_ORIGIN = `https://${PDS_HOST}`;
const PDS_DID = `did:web:${PDS_HOST}`;
const ENTRYWAY_DID = `did:web:${ENTRYWAY_HOST}`;

/** The PDS's token lives (account-manager/helpers/auth.ts): 120 minutes and 90 days. */
const ACCESS_MS = 120 * 60_000;
const REFRESH_MS = 90 * 24 * 60 * 60_000;
/** createRecord costs 3 of the 5,000 points an account has for writes each hour (pds rate-limits). */
const WRITE_POINTS_PER_HOUR = 5000;
const CREATE_POINTS = 3;
const HOUR_MS = 60 * 60_000;
const TEXT_GRAPHEMES = 300;
const TEXT_BYTES = 3000;
const IMAGES = 4;
const TAG_GRAPHEMES = 64;
const TAG_BYTES = 640;
const POST = "app.bsky.feed.post";
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const RECORD_KEY = /^[a-zA-Z0-9._:~-]{1,512}$/;

export type BlueskyAppPassword = { name: string; password: string; privileged: boolean; revoked: boolean };
export type BlueskyAccount = {
  did: string;
  handle: string;
  email?: string;
  /** The account's own password: a session made with it may do anything, so alsoshare refuses it. */
  password: string;
  displayName?: string;
  avatar?: string;
  appPasswords: BlueskyAppPassword[];
  status: "active" | "takendown" | "deactivated";
  /** Email sign-in codes are on: the account's own password alone gets AuthFactorTokenRequired. */
  emailAuthFactor: boolean;
};
export type BlueskyRefreshToken = {
  jwt: string;
  did: string;
  /** The app password it was made with; undefined: the account's own password. */
  appPassword?: string;
  expiresAt: number;
  /** When refreshSession used it; a used token is spent (within `refreshGraceMs`, still taken). */
  spentAt?: number;
  revoked: boolean;
};
type AccessToken = { did: string; scope: string; expiresAt: number };
export type BlueskyBlob = { did: string; cid: string; mimeType: string; size: number; at: number };
export type BlueskyPost = {
  uri: string;
  cid: string;
  did: string;
  rkey: string;
  record: Record<string, unknown>;
  at: number;
};
export type BlueskyRequest = {
  method: string;
  host: string;
  nsid: string;
  params: Record<string, string>;
  token?: string;
  /** Where a token came: a URL would leave it in logs and history. */
  tokenIn?: "header" | "query";
  contentType?: string;
  /** The body's length in bytes. */
  size: number;
  /** Whether a cookie came along (it must not: credentials "omit"). */
  cookie: boolean;
  time: number;
};
/** An XRPC error answer: its HTTP status, its `error` name and `message`. */
export type XrpcErrorSpec = { status: number; error: string; message: string };

/** The PDS's own answers for the sign-in's bad days, ready to inject. */
export const XRPC_ERRORS = {
  expiredToken: { status: 400, error: "ExpiredToken", message: "Token has expired" },
  revokedToken: { status: 400, error: "ExpiredToken", message: "Token has been revoked" },
  invalidToken: { status: 400, error: "InvalidToken", message: "Token could not be verified" },
  authMissing: { status: 401, error: "AuthMissing", message: "Authentication Required" },
  takenDown: { status: 401, error: "AccountTakedown", message: "Account has been taken down" },
  internal: { status: 500, error: "InternalServerError", message: "Internal Server Error" },
  upstreamFailure: { status: 502, error: "UpstreamFailure", message: "Upstream Failure" },
  notAvailable: { status: 503, error: "NotEnoughResources", message: "Service Unavailable" },
} satisfies Record<string, XrpcErrorSpec>;

export type BlueskyFault = {
  host?: string;
  method?: string;
  /** Tested against the path, `/xrpc/com.atproto.repo.createRecord`. */
  path?: RegExp;
  /** How many matching requests this fault takes; default 1. */
  times?: number;
  error?: XrpcErrorSpec;
  /** A rate limit as the PDS answers it: 429 RateLimitExceeded, the window resetting this far on. */
  rateLimit?: { resetInSeconds: number };
  /** A raw body instead of XRPC's JSON (a load balancer's HTML 502 page), with `status` (502). */
  body?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Do the work, then answer 200 with this instead of the real answer. */
  garbled?: unknown;
  /** Do the work (the post IS made), then destroy the socket without answering. */
  dropAfterCommit?: boolean;
  /** With `error`, `rateLimit` or `body`: do the work first, then answer that anyway. */
  afterCommit?: boolean;
  /** Destroy the socket before doing anything. */
  networkDown?: boolean;
};

export type BlueskyStandin = {
  readonly hosts: readonly string[];
  /** Whether sessions carry the DID document (a PDS may leave it out: `enableDidDocWithSession`). */
  didDocWithSession: boolean;
  /** How long a spent refresh JWT is still taken (the PDS's grace is 2 hours); 0: never again. */
  refreshGraceMs: number;
  /** The PDS's upload limit (PDS_BLOB_UPLOAD_LIMIT); over it, uploadBlob answers 413. */
  blobUploadLimit: number;
  /** The post lexicon's bounds the PDS checks a post's blobs against. */
  imageMaxBytes: number;
  videoMaxBytes: number;
  addAccount(account: {
    did: string;
    handle: string;
    appPassword?: string;
    password?: string;
    email?: string;
    displayName?: string;
    avatar?: string;
    privileged?: boolean;
    emailAuthFactor?: boolean;
  }): BlueskyAccount;
  /** A session for the account, as createSession with its first app password would make it. */
  signIn(did: string): { accessJwt: string; refreshJwt: string };
  /**
   * The user revoked the app password in Bluesky: it signs in no more and its sessions' refresh
   * JWTs are dead; an access JWT already given works until it runs out, as the PDS's do.
   */
  revoke(appPassword: string): void;
  /** Every access JWT given so far has run out (its own `exp` claim says otherwise). */
  expireSessions(): void;
  takeDown(did: string): void;
  /** The records made, oldest first; of one account when `did` is given. */
  posts(did?: string): readonly BlueskyPost[];
  blobs(did?: string): readonly BlueskyBlob[];
  requests(): readonly BlueskyRequest[];
  refreshTokens(): readonly BlueskyRefreshToken[];
  inject(fault: BlueskyFault): void;
  clearFaults(): void;
  /** Forgets accounts, sessions, posts, blobs, requests and faults. */
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
type Signed = { did: string; scope: string; account: BlueskyAccount };

export function createBlueskyStandin(deps: { now?: () => number } = {}): BlueskyStandin {
  const now = deps.now ?? Date.now;
  let accounts: BlueskyAccount[] = [];
  let refreshTokens: BlueskyRefreshToken[] = [];
  let accessTokens = new Map<string, AccessToken>();
  let posts: BlueskyPost[] = [];
  let blobs: BlueskyBlob[] = [];
  let requests: BlueskyRequest[] = [];
  const faults = createFaults<BlueskyFault>();
  let writes = new Map<string, { windowStart: number; points: number }>();
  let lastTid = 0n;

  const standin: BlueskyStandin = {
    hosts: BLUESKY_HOSTS,
    didDocWithSession: true,
    refreshGraceMs: 0,
    blobUploadLimit: 100 * 1024 ** 2,
    imageMaxBytes: 1_000_000,
    videoMaxBytes: 100_000_000,
    addAccount(account) {
      const added: BlueskyAccount = {
        did: account.did,
        handle: account.handle,
        email: account.email,
        password: account.password ?? `own-password-${randomBytes(6).toString("hex")}`,
        displayName: account.displayName,
        avatar: account.avatar,
        appPasswords: account.appPassword
          ? [
              {
                name: "alsoshare",
                password: account.appPassword,
                privileged: account.privileged ?? false,
                revoked: false,
              },
            ]
          : [],
        status: "active",
        emailAuthFactor: account.emailAuthFactor ?? false,
      };
      accounts = [...accounts.filter((a) => a.did !== account.did), added];
      return added;
    },
    signIn(did) {
      const account = accountOf(did);
      const appPassword = account.appPasswords.find((p) => !p.revoked);
      if (!appPassword) throw new Error(`${did} has no app password to sign in with`);
      return issueTokens(account, appPassword);
    },
    revoke(appPassword) {
      for (const account of accounts) {
        for (const entry of account.appPasswords) {
          if (entry.password !== appPassword) continue;
          entry.revoked = true;
          for (const token of refreshTokens) {
            if (token.did === account.did && token.appPassword === entry.name) token.revoked = true;
          }
        }
      }
    },
    expireSessions() {
      for (const token of accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, now());
    },
    takeDown(did) {
      accountOf(did).status = "takendown";
    },
    posts: (did) => (did ? posts.filter((post) => post.did === did) : posts),
    blobs: (did) => (did ? blobs.filter((blob) => blob.did === did) : blobs),
    requests: () => requests,
    refreshTokens: () => refreshTokens,
    inject(fault) {
      faults.inject(fault);
    },
    clearFaults() {
      faults.clear();
    },
    reset() {
      accounts = [];
      refreshTokens = [];
      accessTokens = new Map();
      posts = [];
      blobs = [];
      requests = [];
      faults.clear();
      writes = new Map();
      standin.didDocWithSession = true;
      standin.refreshGraceMs = 0;
      standin.blobUploadLimit = 100 * 1024 ** 2;
    },
    handle,
  };

  function accountOf(did: string): BlueskyAccount {
    const account = accounts.find((a) => a.did === did);
    if (!account) throw new Error(`no Bluesky account ${did} in the stand-in`);
    return account;
  }

  function findAccount(identifier: string): BlueskyAccount | undefined {
    const wanted = identifier.toLowerCase();
    return accounts.find(
      (a) => a.did === identifier || a.handle.toLowerCase() === wanted || a.email?.toLowerCase() === wanted,
    );
  }

  function issueTokens(account: BlueskyAccount, appPassword?: BlueskyAppPassword) {
    const issued = now();
    const scope = appPassword
      ? appPassword.privileged
        ? "com.atproto.appPassPrivileged"
        : "com.atproto.appPass"
      : "com.atproto.access";
    const accessJwt = jwt(
      { typ: "at+jwt", alg: "ES256K" },
      { scope, sub: account.did, aud: PDS_DID, iat: seconds(issued), exp: seconds(issued + ACCESS_MS) },
    );
    const refreshJwt = jwt(
      { typ: "refresh+jwt", alg: "ES256K" },
      {
        scope: "com.atproto.refresh",
        sub: account.did,
        aud: ENTRYWAY_DID,
        jti: randomBytes(24).toString("base64url"),
        iat: seconds(issued),
        exp: seconds(issued + REFRESH_MS),
      },
    );
    accessTokens.set(accessJwt, { did: account.did, scope, expiresAt: issued + ACCESS_MS });
    refreshTokens.push({
      jwt: refreshJwt,
      did: account.did,
      appPassword: appPassword?.name,
      expiresAt: issued + REFRESH_MS,
      revoked: false,
    });
    return { accessJwt, refreshJwt };
  }

  function sessionBody(account: BlueskyAccount, tokens: { accessJwt: string; refreshJwt: string }) {
    return {
      ...tokens,
      handle: account.handle,
      did: account.did,
      ...(standin.didDocWithSession && { didDoc: didDocOf(account) }),
      ...(account.email && { email: account.email, emailConfirmed: true }),
      active: account.status === "active",
      ...(account.status !== "active" && { status: account.status }),
    };
  }

  function takeFault(host: string, method: string, path: string): BlueskyFault | undefined {
    return faults.take(
      (fault) => (fault.host === undefined || fault.host === host) && onRequest(method, path)(fault),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const url = new URL(req.url ?? "/", `https://${host || PDS_HOST}`);
    const raw = await readBody(req);
    const nsid = url.pathname.startsWith("/xrpc/") ? url.pathname.slice("/xrpc/".length) : "";
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const queryToken = url.searchParams.get("access_token") ?? undefined;
    const contentType = req.headers["content-type"];
    requests.push({
      method,
      host,
      nsid,
      params: Object.fromEntries(url.searchParams),
      token: bearer ?? queryToken,
      ...(bearer ? { tokenIn: "header" } : queryToken ? { tokenIn: "query" } : {}),
      ...(contentType && { contentType }),
      size: raw.length,
      cookie: req.headers.cookie !== undefined,
      time: now(),
    });

    const fault = takeFault(host, method, url.pathname);
    if (fault?.networkDown) {
      req.socket.destroy();
      return;
    }
    const failure = fault && faultAnswer(fault);
    if (failure && !fault.afterCommit) {
      send(res, failure);
      return;
    }
    const answer = route(method, nsid, url.searchParams, raw, contentType, bearer);
    if (failure) {
      // The work was done; the answer says it failed, as a gateway in front of the PDS may.
      send(res, failure);
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
    send(res, { ...answer, headers: { ...answer.headers, ...fault?.headers } });
  }

  /** Every answer is dated by the stand-in's clock, as the PDS's are by its own. */
  function send(res: ServerResponse, answer: Answer): void {
    sendAnswer(res, { ...answer, headers: { date: new Date(now()).toUTCString(), ...answer.headers } });
  }

  function faultAnswer(fault: BlueskyFault): Answer | undefined {
    if (fault.body !== undefined) {
      return { status: fault.status ?? 502, body: new RawBody(fault.body), headers: fault.headers };
    }
    if (fault.rateLimit) {
      const reset = seconds(now()) + fault.rateLimit.resetInSeconds;
      return {
        ...xrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded"),
        headers: {
          ...rateLimitHeaders(WRITE_POINTS_PER_HOUR, 0, reset, HOUR_MS),
          ...fault.headers,
        },
      };
    }
    if (fault.error) {
      return {
        ...xrpcError(fault.error.status, fault.error.error, fault.error.message),
        headers: fault.headers,
      };
    }
    return undefined;
  }

  function route(
    method: string,
    nsid: string,
    params: URLSearchParams,
    raw: Buffer,
    contentType: string | undefined,
    token: string | undefined,
  ): Answer {
    const procedure = (handler: (body: Record<string, unknown>) => Answer): Answer => {
      if (method !== "POST")
        return xrpcError(400, "InvalidRequest", `Incorrect HTTP method (${method}) expected POST`);
      const body = jsonOf(raw, contentType);
      return body
        ? handler(body)
        : xrpcError(400, "InvalidRequest", "Request encoding (Content-Type) required but not provided");
    };
    const query = (handler: () => Answer): Answer =>
      method === "GET"
        ? handler()
        : xrpcError(400, "InvalidRequest", `Incorrect HTTP method (${method}) expected GET`);
    // bsky.social passes every repository call on to the account's PDS, so it answers them too.
    switch (nsid) {
      case "com.atproto.server.createSession":
        return procedure(createSession);
      case "com.atproto.server.refreshSession":
        return method === "POST"
          ? refreshSession(token)
          : xrpcError(400, "InvalidRequest", "Incorrect HTTP method");
      case "com.atproto.server.deleteSession":
        return method === "POST"
          ? deleteSession(token)
          : xrpcError(400, "InvalidRequest", "Incorrect HTTP method");
      case "app.bsky.actor.getProfile":
        return query(() => getProfile(token, params.get("actor") ?? ""));
      case "com.atproto.repo.getRecord":
        return query(() => getRecord(params));
      case "com.atproto.repo.uploadBlob":
        return method === "POST"
          ? uploadBlob(token, raw, contentType)
          : xrpcError(400, "InvalidRequest", "Incorrect HTTP method");
      case "com.atproto.repo.createRecord":
        return procedure((body) => createRecord(token, body));
      default:
        return xrpcError(501, "MethodNotImplemented", "Method Not Implemented");
    }
  }

  function createSession(body: Record<string, unknown>): Answer {
    const { identifier, password } = body;
    if (typeof identifier !== "string")
      return xrpcError(400, "InvalidRequest", 'Input must have the property "identifier"');
    if (typeof password !== "string")
      return xrpcError(400, "InvalidRequest", 'Input must have the property "password"');
    const account = findAccount(identifier);
    const wrong = xrpcError(401, "AuthenticationRequired", "Invalid identifier or password");
    if (!account) return wrong;
    if (password === account.password) {
      if (account.status === "takendown")
        return xrpcError(401, "AccountTakedown", "Account has been taken down");
      if (account.emailAuthFactor) {
        return xrpcError(
          401,
          "AuthFactorTokenRequired",
          "A sign in code has been sent to your email address",
        );
      }
      return ok(sessionBody(account, issueTokens(account)));
    }
    // A taken-down account cannot sign in with an app password at all.
    const appPassword = account.appPasswords.find((entry) => entry.password === password && !entry.revoked);
    if (!appPassword || account.status === "takendown") return wrong;
    return ok(sessionBody(account, issueTokens(account, appPassword)));
  }

  function refreshSession(token: string | undefined): Answer {
    if (!token) return xrpcError(401, "AuthMissing", "Authentication Required");
    const stored = refreshTokens.find((entry) => entry.jwt === token);
    if (!stored) return xrpcError(400, "InvalidToken", "Token could not be verified");
    if (stored.expiresAt <= now()) return xrpcError(400, "ExpiredToken", "Token has expired");
    const account = accountOf(stored.did);
    if (account.status === "takendown")
      return xrpcError(401, "AccountTakedown", "Account has been taken down");
    const spentTooLong = stored.spentAt !== undefined && now() - stored.spentAt >= standin.refreshGraceMs;
    if (stored.revoked || spentTooLong) return xrpcError(400, "ExpiredToken", "Token has been revoked");
    stored.spentAt ??= now();
    const appPassword = account.appPasswords.find((entry) => entry.name === stored.appPassword);
    return ok(sessionBody(account, issueTokens(account, appPassword)));
  }

  function deleteSession(token: string | undefined): Answer {
    const stored = refreshTokens.find((entry) => entry.jwt === token);
    if (!stored) return xrpcError(400, "InvalidToken", "Token could not be verified");
    stored.revoked = true;
    return ok({});
  }

  /** The access JWT's account, or the PDS's answer to a missing, unknown or expired one. */
  function verifyAccess(token: string | undefined, forWrite: boolean): Signed | Answer {
    if (!token) return xrpcError(401, "AuthMissing", "Authentication Required");
    const access = accessTokens.get(token);
    if (!access) return xrpcError(400, "InvalidToken", "Token could not be verified");
    if (access.expiresAt <= now()) return xrpcError(400, "ExpiredToken", "Token has expired");
    const account = accountOf(access.did);
    if (forWrite && account.status === "takendown") {
      return xrpcError(401, "AccountTakedown", "Account has been taken down");
    }
    if (forWrite && account.status === "deactivated") {
      return xrpcError(401, "AccountDeactivated", "Account is deactivated");
    }
    return { did: access.did, scope: access.scope, account };
  }

  function getProfile(token: string | undefined, actor: string): Answer {
    const signed = verifyAccess(token, false);
    if ("status" in signed) return signed;
    const account = findAccount(actor);
    if (!account) return xrpcError(400, "InvalidRequest", "Profile not found");
    return ok({
      did: account.did,
      handle: account.handle,
      ...(account.displayName !== undefined && { displayName: account.displayName }),
      ...(account.avatar && { avatar: account.avatar }),
      followersCount: 12,
      followsCount: 34,
      postsCount: posts.filter((post) => post.did === account.did).length,
    });
  }

  function getRecord(params: URLSearchParams): Answer {
    const account = findAccount(params.get("repo") ?? "");
    const collection = params.get("collection") ?? "";
    const rkey = params.get("rkey") ?? "";
    if (!account) return xrpcError(400, "InvalidRequest", `Could not find repo: ${params.get("repo") ?? ""}`);
    const uri = `at://${account.did}/${collection}/${rkey}`;
    const found = posts.find((post) => post.uri === uri);
    if (!found) return xrpcError(400, "RecordNotFound", `Could not locate record: ${uri}`);
    return ok({ uri, cid: found.cid, value: found.record });
  }

  function uploadBlob(token: string | undefined, raw: Buffer, contentType: string | undefined): Answer {
    const signed = verifyAccess(token, true);
    if ("status" in signed) return signed;
    if (raw.length > standin.blobUploadLimit)
      return xrpcError(413, "PayloadTooLarge", "request entity too large");
    if (!contentType)
      return xrpcError(400, "InvalidRequest", "Request encoding (Content-Type) required but not provided");
    // The PDS sniffs the bytes for their type, and keeps the declared one when it cannot tell.
    const mimeType = sniff(raw) ?? contentType.split(";")[0]?.trim() ?? "application/octet-stream";
    const blob: BlueskyBlob = {
      did: signed.did,
      cid: cidOf(raw, 0x55),
      mimeType,
      size: raw.length,
      at: now(),
    };
    if (!blobs.some((b) => b.did === blob.did && b.cid === blob.cid)) blobs = [...blobs, blob];
    return ok({ blob: { $type: "blob", ref: { $link: blob.cid }, mimeType, size: blob.size } });
  }

  function createRecord(token: string | undefined, body: Record<string, unknown>): Answer {
    const signed = verifyAccess(token, true);
    if ("status" in signed) return signed;
    const { repo, collection, rkey, record, validate } = body;
    if (typeof repo !== "string")
      return xrpcError(400, "InvalidRequest", 'Input must have the property "repo"');
    if (typeof collection !== "string") {
      return xrpcError(400, "InvalidRequest", 'Input must have the property "collection"');
    }
    if (!isRecord(record)) return xrpcError(400, "InvalidRequest", 'Input must have the property "record"');
    if (findAccount(repo)?.did !== signed.did) {
      return xrpcError(401, "AuthenticationRequired", "Authentication Required");
    }
    const limited = spendWritePoints(signed.did);
    if (limited) return limited;
    const type = record.$type ?? collection;
    if (type !== collection)
      return xrpcError(400, "InvalidRequest", `Invalid $type: expected ${collection}, got ${String(type)}`);
    if (collection !== POST) return xrpcError(400, "InvalidRequest", `Unknown lexicon type: ${collection}`);
    if (
      rkey !== undefined &&
      (typeof rkey !== "string" || !RECORD_KEY.test(rkey) || rkey === "." || rkey === "..")
    ) {
      return xrpcError(400, "InvalidRequest", `Invalid record key: ${String(rkey)}`);
    }
    const key = typeof rkey === "string" ? rkey : nextTid();
    if (validate !== false) {
      if (!TID.test(key))
        return xrpcError(400, "InvalidRequest", `Invalid record key for ${POST}: Invalid TID`);
      const problem = postProblem(record);
      if (problem) return xrpcError(400, "InvalidRequest", `Invalid ${POST} record: ${problem}`);
    }
    for (const ref of blobRefsIn(record)) {
      const stored = blobs.find((blob) => blob.did === signed.did && blob.cid === ref.cid);
      if (!stored) return xrpcError(400, "BlobNotFound", `Could not find blob: ${ref.cid}`);
      if (stored.mimeType !== ref.mimeType) {
        return xrpcError(
          400,
          "InvalidMimeType",
          `Referenced Mimetype does not match stored blob. Expected: ${stored.mimeType}, Got: ${ref.mimeType}`,
        );
      }
      if (stored.size !== ref.size) {
        return xrpcError(
          400,
          "InvalidSize",
          `Referenced Size does not match stored blob. Expected: ${stored.size}, Got: ${ref.size}`,
        );
      }
    }
    const uri = `at://${signed.did}/${collection}/${key}`;
    // The repository's tree takes one value per key: the PDS fails the write with a bare 500.
    if (posts.some((post) => post.uri === uri))
      return xrpcError(500, "InternalServerError", "Internal Server Error");
    const stored: BlueskyPost = {
      uri,
      cid: cidOf(Buffer.from(JSON.stringify(record)), 0x71),
      did: signed.did,
      rkey: key,
      record: { ...record, $type: collection },
      at: now(),
    };
    posts = [...posts, stored];
    const points = writes.get(signed.did);
    return {
      ...ok({
        uri,
        cid: stored.cid,
        commit: { cid: cidOf(randomBytes(16), 0x71), rev: nextTid() },
        validationStatus: validate === false ? undefined : "valid",
      }),
      headers: rateLimitHeaders(
        WRITE_POINTS_PER_HOUR,
        WRITE_POINTS_PER_HOUR - (points?.points ?? 0),
        seconds((points?.windowStart ?? now()) + HOUR_MS),
        HOUR_MS,
      ),
    };
  }

  /** Counts a write in the account's hour; over its points, the PDS's own 429. */
  function spendWritePoints(did: string): Answer | undefined {
    const current = writes.get(did);
    const window =
      current && now() - current.windowStart < HOUR_MS ? current : { windowStart: now(), points: 0 };
    if (window.points + CREATE_POINTS > WRITE_POINTS_PER_HOUR) {
      return {
        ...xrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded"),
        headers: rateLimitHeaders(WRITE_POINTS_PER_HOUR, 0, seconds(window.windowStart + HOUR_MS), HOUR_MS),
      };
    }
    writes.set(did, { ...window, points: window.points + CREATE_POINTS });
    return undefined;
  }

  /** What the post lexicon (and its embeds') say of the record, as the PDS checks it; none: undefined. */
  function postProblem(record: Record<string, unknown>): string | undefined {
    const { text, createdAt, facets, embed } = record;
    if (typeof text !== "string") return 'Record must have the property "text"';
    const graphemes = graphemeCount(text);
    if (graphemes > TEXT_GRAPHEMES) {
      return `grapheme too big (maximum ${TEXT_GRAPHEMES}, got ${graphemes}) at $.record.text`;
    }
    if (Buffer.byteLength(text) > TEXT_BYTES) {
      return `string too big (maximum ${TEXT_BYTES}, got ${Buffer.byteLength(text)}) at $.record.text`;
    }
    if (
      typeof createdAt !== "string" ||
      Number.isNaN(Date.parse(createdAt)) ||
      !/T.*(Z|[+-]\d\d:\d\d)$/.test(createdAt)
    ) {
      return "Invalid datetime at $.record.createdAt";
    }
    if (facets !== undefined) {
      if (!Array.isArray(facets)) return "Expected array at $.record.facets";
      for (const [i, facet] of facets.entries()) {
        const problem = facetProblem(facet);
        if (problem) return `${problem} at $.record.facets[${i}]`;
      }
    }
    if (embed === undefined) return undefined;
    if (!isRecord(embed)) return "Expected object at $.record.embed";
    if (embed.$type === "app.bsky.embed.images") {
      const images = embed.images;
      if (!Array.isArray(images)) return 'Object must have the property "images" at $.record.embed';
      if (images.length > IMAGES)
        return `array too big (maximum ${IMAGES}, got ${images.length}) at $.record.embed.images`;
      for (const [i, image] of images.entries()) {
        const at = `$.record.embed.images[${i}]`;
        if (!isRecord(image)) return `Expected object at ${at}`;
        if (typeof image.alt !== "string") return `Object must have the property "alt" at ${at}`;
        const problem =
          blobProblem(image.image, "image/", standin.imageMaxBytes) ?? aspectProblem(image.aspectRatio);
        if (problem) return `${problem} at ${at}.image`;
      }
      return undefined;
    }
    if (embed.$type === "app.bsky.embed.video") {
      const problem =
        blobProblem(embed.video, "video/mp4", standin.videoMaxBytes) ??
        (embed.alt !== undefined && typeof embed.alt !== "string" ? "Expected string" : undefined) ??
        aspectProblem(embed.aspectRatio);
      return problem && `${problem} at $.record.embed.video`;
    }
    return `Unexpected embed type ${String(embed.$type)} at $.record.embed`;
  }

  function nextTid(): string {
    lastTid = BigInt(Math.max(Number(lastTid >> 10n) + 1, now() * 1000)) << 10n;
    return tidOf(lastTid | BigInt(Math.floor(Math.random() * 1024)));
  }

  return standin;
}

class RawBody {
  constructor(readonly text: string) {}
}

function sendAnswer(res: ServerResponse, answer: Answer): void {
  if (answer.body instanceof RawBody) {
    sendText(res, answer.status, answer.body.text, "text/html; charset=utf-8", answer.headers);
    return;
  }
  sendJson(res, answer.status, answer.body, answer.headers);
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function xrpcError(status: number, error: string, message: string): Answer {
  return { status, body: { error, message } };
}

function rateLimitHeaders(limit: number, remaining: number, resetSeconds: number, windowMs: number) {
  return {
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(Math.max(0, remaining)),
    "ratelimit-reset": String(resetSeconds),
    "ratelimit-policy": `${limit};w=${windowMs / 1000}`,
  };
}

function didDocOf(account: BlueskyAccount) {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: account.did,
    alsoKnownAs: [`at://${account.handle}`],
    verificationMethod: [
      {
        id: `${account.did}#atproto`,
        type: "Multikey",
        controller: account.did,
        publicKeyMultibase: "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF",
      },
    ],
    service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: PDS_ORIGIN }],
  };
}

function jsonOf(raw: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (!contentType?.toLowerCase().startsWith("application/json")) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function facetProblem(facet: unknown): string | undefined {
  if (!isRecord(facet) || !isRecord(facet.index) || !Array.isArray(facet.features)) return "Invalid facet";
  const { byteStart, byteEnd } = facet.index;
  if (
    !Number.isInteger(byteStart) ||
    !Number.isInteger(byteEnd) ||
    (byteStart as number) < 0 ||
    (byteEnd as number) < 0
  ) {
    return "Invalid byte slice";
  }
  for (const feature of facet.features) {
    if (!isRecord(feature)) return "Invalid feature";
    if (feature.$type === "app.bsky.richtext.facet#link") {
      if (typeof feature.uri !== "string" || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(feature.uri))
        return "Invalid uri";
    } else if (feature.$type === "app.bsky.richtext.facet#tag") {
      if (typeof feature.tag !== "string") return "Invalid tag";
      if (graphemeCount(feature.tag) > TAG_GRAPHEMES || Buffer.byteLength(feature.tag) > TAG_BYTES)
        return "tag too big";
    } else if (feature.$type !== "app.bsky.richtext.facet#mention") {
      return `Unexpected feature ${String(feature.$type)}`;
    }
  }
  return undefined;
}

function blobProblem(value: unknown, accept: string, maxSize: number): string | undefined {
  if (
    !isRecord(value) ||
    value.$type !== "blob" ||
    !isRecord(value.ref) ||
    typeof value.ref.$link !== "string"
  ) {
    return "Expected blob";
  }
  if (typeof value.mimeType !== "string" || !value.mimeType.startsWith(accept)) {
    return `Invalid mimeType (expected ${accept}${accept.endsWith("/") ? "*" : ""}, got ${String(value.mimeType)})`;
  }
  if (typeof value.size !== "number") return "Expected size";
  if (value.size > maxSize) return `blob too big (maximum ${maxSize}, got ${value.size})`;
  return undefined;
}

function aspectProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return "Expected aspectRatio";
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  return positive(value.width) && positive(value.height) ? undefined : "Invalid aspectRatio";
}

function blobRefsIn(value: unknown): { cid: string; mimeType: string; size: number }[] {
  if (Array.isArray(value)) return value.flatMap(blobRefsIn);
  if (!isRecord(value)) return [];
  if (value.$type === "blob" && isRecord(value.ref) && typeof value.ref.$link === "string") {
    return [{ cid: value.ref.$link, mimeType: String(value.mimeType), size: Number(value.size) }];
  }
  return Object.values(value).flatMap(blobRefsIn);
}

function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) count++;
  return count;
}

/** JPEG, PNG, WebP and MP4 by their first bytes, as the PDS's file-type sniffing finds them. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (
    bytes.subarray(0, 4).toString("latin1") === "RIFF" &&
    bytes.subarray(8, 12).toString("latin1") === "WEBP"
  ) {
    return "image/webp";
  }
  if (bytes.subarray(4, 8).toString("latin1") === "ftyp") return "video/mp4";
  return undefined;
}

/** A CIDv1 (sha2-256) in base32, as `bafkrei…` (raw bytes) or `bafyrei…` (a record's DAG-CBOR). */
function cidOf(bytes: Buffer, codec: 0x55 | 0x71): string {
  const digest = createHash("sha256").update(bytes).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest]))}`;
}

function base32(bytes: Buffer): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function tidOf(value: bigint): string {
  const alphabet = "234567abcdefghijklmnopqrstuvwxyz";
  let rest = value;
  let tid = "";
  for (let i = 0; i < 13; i++) {
    tid = alphabet.charAt(Number(rest & 31n)) + tid;
    rest >>= 5n;
  }
  return tid;
}

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.${randomBytes(48).toString("base64url")}`;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
