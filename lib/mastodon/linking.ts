import * as z from "zod/mini";
import type { AccountRecord } from "../db/schema";
import { ShareError } from "../destinations/errors";
import { type OAuthRedirectFailure, readOAuthRedirect } from "../destinations/oauth-redirect";
import { accountIdFor } from "../destinations/services";
import { checkedOrigin, createMastodonClient, isHostName, mastodonId, readAnswer, urlOf } from "./client";
import { MASTODON_TEXT_LIMIT, type MastodonInstance } from "./instance";

/**
 * Posting and finding a post again, nothing more: statuses and their attachments, and reading the
 * account's own statuses when an answer was lost and the Idempotency-Key's hour is over.
 */
export const MASTODON_POSTING_SCOPES = ["write:statuses", "write:media", "read:statuses"] as const;
/**
 * Who the sign-in is for (`verify_credentials`): `profile` reads that alone, from Mastodon 4.3;
 * older servers know only `read:accounts`, which reads every account.
 */
export const IDENTITY_SCOPE = "profile";
export const LEGACY_IDENTITY_SCOPE = "read:accounts";

export type MastodonLinkFailure =
  | "address"
  | "not-mastodon"
  | "denied"
  | "state"
  | "malformed"
  | "refused"
  | "unreachable";

/** Linking ended without a usable sign-in; the message is the sentence the user sees. */
export class MastodonLinkError extends Error {
  override readonly name = "MastodonLinkError";
  constructor(
    readonly reason: MastodonLinkFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server's origin from what the user typed: its name (`mastodon.social`), a handle
 * (`@me@mastodon.social`) or its https address (`https://mastodon.social/`). Anything with another
 * scheme, a port, a path, a query or credentials is refused with a sentence saying what to type.
 */
export function instanceOrigin(input: string): string {
  const typed = input.trim();
  const handle = /^@?[\w.-]+@([^@/\s]+)$/.exec(typed);
  const address = handle
    ? `https://${handle[1]}`
    : /^[a-z][a-z\d+.-]*:/i.test(typed)
      ? typed
      : `https://${typed}`;
  const url = urlOf(address);
  if (url && url.protocol !== "https:") {
    throw new MastodonLinkError(
      "address",
      "alsoshare connects to Mastodon servers over https only. Type the server's name, like mastodon.social.",
    );
  }
  const plain =
    url &&
    url.port === "" &&
    url.username === "" &&
    url.password === "" &&
    url.pathname === "/" &&
    url.search === "" &&
    url.hash === "";
  if (!url || !plain || !isHostName(url.hostname)) {
    throw new MastodonLinkError(
      "address",
      `“${typed}” is not a Mastodon server's address. Type the server's name, like mastodon.social, or your handle, like @you@mastodon.social.`,
    );
  }
  return url.origin;
}

export interface MastodonApp {
  clientId: string;
  clientSecret: string;
  /** The scopes registered, space-separated: the authorization asks for the same. */
  scopes: string;
}

const credential = z.string().check(z.regex(/^[\w.~+/=-]{8,512}$/));
const appAnswer = z.object({ client_id: credential, client_secret: credential });
const serverMetadata = z.object({ scopes_supported: z.optional(z.array(z.string())) });

/**
 * Registers alsoshare with the server (`POST /api/v1/apps`): Mastodon has one app per client and
 * server, made here at link time. Its scopes are the narrowest that post, with `profile` where
 * the server supports it (it says so in its OAuth metadata, 4.3 and later; older ones answer 404).
 */
export async function registerApp(
  fetchImpl: typeof fetch,
  origin: string,
  redirectUri: string,
): Promise<MastodonApp> {
  const client = createMastodonClient(fetchImpl, origin);
  return linking(client.origin, async () => {
    const metadata = await client.call({
      method: "GET",
      path: "/.well-known/oauth-authorization-server",
      answers: [404],
    });
    const supported = serverMetadata.safeParse(metadata.body);
    const identity =
      metadata.status !== 404 &&
      supported.success &&
      supported.data.scopes_supported?.includes(IDENTITY_SCOPE)
        ? IDENTITY_SCOPE
        : LEGACY_IDENTITY_SCOPE;
    const scopes = [...MASTODON_POSTING_SCOPES, identity].join(" ");
    const answer = await client.call({
      method: "POST",
      path: "/api/v1/apps",
      // One URI as a string: servers before 4.3 take no list here and would drop it.
      json: { client_name: "alsoshare", redirect_uris: redirectUri, scopes },
    });
    const app = readAnswer(appAnswer, answer.body, "the app registration", "refuse");
    return { clientId: app.client_id, clientSecret: app.client_secret, scopes };
  });
}

/** One link's secrets: `state` comes back with the code; the verifier proves the code is ours (PKCE). */
export interface LinkSecrets {
  state: string;
  codeVerifier: string;
  /** `BASE64URL(SHA-256(codeVerifier))`, the S256 challenge Mastodon (4.3 and later) checks. */
  codeChallenge: string;
}

export async function linkSecrets(
  randomBytes: (length: number) => Uint8Array = (length) => crypto.getRandomValues(new Uint8Array(length)),
): Promise<LinkSecrets> {
  const codeVerifier = base64Url(randomBytes(32));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
  return {
    state: base64Url(randomBytes(16)),
    codeVerifier,
    codeChallenge: base64Url(new Uint8Array(digest)),
  };
}

/**
 * Where the browser's sign-in window opens: the server's own authorization page. `forceLogin`
 * asks the user to sign in again, to link another account of the same server.
 */
export function authorizeUrl(
  origin: string,
  options: {
    clientId: string;
    redirectUri: string;
    scopes: string;
    state: string;
    codeChallenge: string;
    forceLogin?: boolean;
  },
): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scopes,
    state: options.state,
    code_challenge: options.codeChallenge,
    code_challenge_method: "S256",
    ...(options.forceLogin && { force_login: "true" }),
  });
  return `${checkedOrigin(origin)}/oauth/authorize?${params}`;
}

const code = z.string().check(z.regex(/^[\w.~+/=-]{8,512}$/));

/**
 * The code from where the server sent the browser back (`?code=…&state=…`), or the user's refusal.
 * Anything not answering *our* request (another place, another state) is refused.
 */
export function readAuthorizeRedirect(
  redirected: string,
  expected: { redirectUri: string; state: string },
): string {
  const read = readOAuthRedirect(redirected, expected, code);
  if ("code" in read) return read.code;
  const words: Record<OAuthRedirectFailure, string> = {
    denied:
      "You declined on your Mastodon server, so nothing was linked. Connect again and choose Authorize to let alsoshare post for you.",
    refused: `Your Mastodon server did not sign you in (${"says" in read ? read.says : ""}), so nothing was linked. Connect again.`,
    state:
      "The answer from your Mastodon server did not match this sign-in, so it was ignored and nothing was linked. Connect again.",
    malformed:
      "Your Mastodon server's sign-in ended in an unexpected place, so nothing was linked. Connect again.",
  };
  throw new MastodonLinkError(read.failure, words[read.failure]);
}

export interface MastodonSignIn {
  token: string;
  /** Mastodon's tokens last until revoked; a server that says otherwise gives `expires_in`. */
  tokenExpiresAt?: number;
}

const tokenAnswer = z.object({
  access_token: credential,
  scope: z.optional(z.string()),
  expires_in: z.optional(z.number().check(z.positive())),
});

/** The token a code stands for (`POST /oauth/token`), with the verifier the challenge was made of. */
export async function exchangeCode(
  fetchImpl: typeof fetch,
  origin: string,
  request: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    code: string;
    codeVerifier: string;
  },
  now: number = Date.now(),
): Promise<MastodonSignIn> {
  const client = createMastodonClient(fetchImpl, origin);
  return linking(client.origin, async () => {
    const answer = await client.call({
      method: "POST",
      path: "/oauth/token",
      form: {
        grant_type: "authorization_code",
        code: request.code,
        client_id: request.clientId,
        client_secret: request.clientSecret,
        redirect_uri: request.redirectUri,
        code_verifier: request.codeVerifier,
      },
    });
    const token = readAnswer(tokenAnswer, answer.body, "the sign-in code", "refuse");
    if (token.scope !== undefined && !grantsPosting(token.scope)) {
      throw new MastodonLinkError(
        "refused",
        `${new URL(client.origin).host} signed you in without letting alsoshare post, so nothing was linked. Connect again and allow it to post.`,
      );
    }
    return {
      token: token.access_token,
      ...(token.expires_in && { tokenExpiresAt: now + token.expires_in * 1000 }),
    };
  });
}

/** Mastodon's scopes nest: `write` grants `write:statuses`. */
function grantsPosting(granted: string): boolean {
  const scopes = new Set(granted.split(/[\s+]+/));
  return ["write:statuses", "write:media"].every(
    (scope) => scopes.has(scope) || scopes.has(scope.split(":")[0] ?? ""),
  );
}

export interface MastodonProfile {
  /** The account's id on its server (ids repeat across servers). */
  id: string;
  /** Its username there (`acct` of one's own account has no domain). */
  acct: string;
  displayName: string;
  avatar?: string;
}

const profileAnswer = z.object({
  id: mastodonId,
  username: z.string().check(z.regex(/^[\w.-]{1,64}$/)),
  acct: z.string().check(z.maxLength(300)),
  display_name: z.optional(z.string().check(z.maxLength(500))),
  avatar: z.optional(z.string().check(z.regex(/^https:\/\/\S{1,4090}$/))),
});

/** Who the token belongs to (`GET /api/v1/accounts/verify_credentials`). */
export async function verifyAccount(
  fetchImpl: typeof fetch,
  origin: string,
  token: string,
): Promise<MastodonProfile> {
  const client = createMastodonClient(fetchImpl, origin);
  return linking(client.origin, async () => {
    const answer = await client.call({ method: "GET", path: "/api/v1/accounts/verify_credentials", token });
    const profile = readAnswer(profileAnswer, answer.body, "“who is this account”", "refuse");
    return {
      id: profile.id,
      acct: profile.username,
      displayName: profile.display_name?.trim() || profile.username,
      ...(profile.avatar && { avatar: profile.avatar }),
    };
  });
}

/**
 * What the background stores for a linked Mastodon account (besides status and linkedAt). Its id
 * holds the server's host too: account ids are only unique within one server.
 */
export function mastodonAccountFields(linked: {
  origin: string;
  instance: MastodonInstance;
  profile: MastodonProfile;
  signIn: MastodonSignIn;
}): Pick<AccountRecord, "id" | "kind" | "name" | "pictureUrl" | "token" | "tokenExpiresAt" | "home"> {
  const { profile, instance, signIn } = linked;
  const origin = checkedOrigin(linked.origin);
  return {
    id: accountIdFor("mastodon", `${profile.id}@${new URL(origin).host}`),
    kind: "mastodon",
    name: profile.displayName,
    ...(profile.avatar && { pictureUrl: profile.avatar }),
    token: signIn.token,
    ...(signIn.tokenExpiresAt && { tokenExpiresAt: signIn.tokenExpiresAt }),
    home: {
      origin,
      userId: profile.id,
      handle: `@${profile.acct}@${instance.domain}`,
      ...(instance.textLimit !== MASTODON_TEXT_LIMIT && { textLimit: instance.textLimit }),
    },
  };
}

/** Runs one step of linking with a server; what goes wrong is said as a MastodonLinkError. */
async function linking<T>(origin: string, step: () => Promise<T>): Promise<T> {
  const host = new URL(origin).host;
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ShareError)) throw error;
    const { status, hostAccessMissing } = error.details;
    if (hostAccessMissing) throw new MastodonLinkError("unreachable", error.message);
    if (
      error.kind === "rate-limit" ||
      (error.kind === "transient" && (status === undefined || status >= 500))
    ) {
      throw new MastodonLinkError(
        "unreachable",
        `${host} could not be reached to finish linking (${error.message}) Try again in a moment.`,
      );
    }
    if (status === 404 || error.kind === "transient") {
      throw new MastodonLinkError(
        "not-mastodon",
        `${host} does not answer as a Mastodon server does, so nothing was linked. Check the server's address.`,
      );
    }
    const says = error.details.userMessage ?? error.message;
    throw new MastodonLinkError(
      "refused",
      `${host} refused to link alsoshare (${says}), so nothing was linked. Connect again.`,
    );
  }
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
