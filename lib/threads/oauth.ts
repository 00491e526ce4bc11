import * as z from "zod/mini";
import type { AccountRecord } from "../db/schema";
import { ShareError } from "../destinations/errors";
import { type OAuthRedirectFailure, readOAuthRedirect } from "../destinations/oauth-redirect";
import { accountIdFor } from "../destinations/services";
import { createThreadsClient, readAnswer, THREADS_ORIGIN } from "./client";
import { threadsId } from "./publishing";

/**
 * Threads' Authorization Window (Get Access Tokens, Step 1), on the host Threads moved to in 2025.
 * The user's Meta app has a Threads use case with its own app id and secret ("Threads app ID"
 * under App settings → Basic), apart from the app's Facebook ones: those are the ones used here.
 */
export const THREADS_AUTHORIZE_URL = "https://threads.com/oauth/authorize";
/** Reading the profile and publishing to it; nothing more is asked. */
export const THREADS_SCOPES = ["threads_basic", "threads_content_publish"] as const;

/** Renewed when it has less than this left: well inside its 60 days, and never before a day old. */
export const THREADS_RENEW_WITHIN_MS = 7 * 24 * 60 * 60_000;

const tokenSchema = z.string().check(z.regex(/^[\w.|-]{10,2048}$/));
const codeSchema = z.string().check(z.regex(/^[\w.-]{8,2048}$/));
const codeAnswer = z.object({ access_token: tokenSchema });
const longTokenAnswer = z.object({
  access_token: tokenSchema,
  expires_in: z.number().check(z.positive()),
});
const profileAnswer = z.object({
  id: threadsId,
  username: z.string().check(z.regex(/^[\w.]{1,64}$/)),
  name: z.optional(z.string().check(z.maxLength(200))),
  threads_profile_picture_url: z.optional(z.string().check(z.maxLength(4096))),
});

export type ThreadsLinkFailure = "denied" | "state" | "malformed" | "refused" | "unreachable";

/** Linking ended without a usable sign-in; the message is the sentence the user sees. */
export class ThreadsLinkError extends Error {
  override readonly name = "ThreadsLinkError";
  constructor(
    readonly reason: ThreadsLinkFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface ThreadsApp {
  /** The Threads app id of the user's Meta app (not its Facebook app id). */
  appId: string;
  appSecret: string;
}

/** Where the browser's sign-in window opens; `state` comes back with the code, unguessable. */
export function threadsAuthorizeUrl(options: { appId: string; redirectUri: string; state: string }): string {
  const params = new URLSearchParams({
    client_id: options.appId,
    redirect_uri: options.redirectUri,
    scope: THREADS_SCOPES.join(","),
    response_type: "code",
    state: options.state,
  });
  return `${THREADS_AUTHORIZE_URL}?${params}`;
}

/**
 * The code from where the Authorization Window sent the browser back (`?code=…&state=…#_`), or
 * the user's refusal. Anything not answering *our* request (another place, another state) is refused.
 */
export function readThreadsRedirect(
  redirected: string,
  expected: { redirectUri: string; state: string },
): string {
  const read = readOAuthRedirect(redirected, expected, codeSchema);
  if ("code" in read) return read.code;
  throw new ThreadsLinkError(read.failure, THREADS_REDIRECT_WORDS[read.failure]);
}

const THREADS_REDIRECT_WORDS: Record<OAuthRedirectFailure, string> = {
  denied:
    "You declined Threads' request, so nothing was linked. Connect again and allow alsoshare to post to your profile.",
  refused: "Threads could not sign you in, so nothing was linked. Try again.",
  state:
    "The answer from Threads did not match this sign-in, so it was ignored and nothing was linked. Connect again.",
  malformed:
    "Threads' sign-in ended in an unexpected place, so nothing was linked. Check the redirect callback URL of your Meta app's Threads use case and connect again.",
};

export interface ThreadsSignIn {
  /** The profile's Threads user id, exactly as Threads writes it. */
  userId: string;
  /** The long-lived token (about 60 days). */
  token: string;
  expiresAt: number;
}

/**
 * The sign-in a code stands for: the code becomes a short-lived token (an hour), that one a
 * long-lived token (60 days), and the profile's id is read with it. The id the code exchange
 * answers is a JSON number too large to be exact in JavaScript, so it is not used.
 */
export async function exchangeThreadsCode(
  fetchImpl: typeof fetch,
  request: ThreadsApp & { redirectUri: string; code: string },
  now: number,
): Promise<ThreadsSignIn> {
  const client = createThreadsClient(fetchImpl);
  return linking(async () => {
    const short = await client.call({
      method: "POST",
      path: "/oauth/access_token",
      unversioned: true,
      params: {
        client_id: request.appId,
        client_secret: request.appSecret,
        grant_type: "authorization_code",
        redirect_uri: request.redirectUri,
        code: request.code,
      },
    });
    const shortToken = readAnswer(codeAnswer, short, "the sign-in code", "refuse").access_token;
    // Threads takes this exchange as a GET only, so the secret is in the URL; the token is not.
    const long = await client.call({
      method: "GET",
      path: "/access_token",
      unversioned: true,
      token: shortToken,
      params: { grant_type: "th_exchange_token", client_secret: request.appSecret },
    });
    const { access_token, expires_in } = readAnswer(
      longTokenAnswer,
      long,
      "the long-lived sign-in",
      "refuse",
    );
    const me = await client.call({
      method: "GET",
      path: "/me",
      token: access_token,
      params: { fields: "id" },
    });
    const { id } = readAnswer(z.object({ id: threadsId }), me, "“who is this sign-in for”", "refuse");
    return { userId: id, token: access_token, expiresAt: now + expires_in * 1000 };
  });
}

export interface ThreadsProfile {
  userId: string;
  username: string;
  /** The profile's display name, or its username when it has none. */
  name: string;
  pictureUrl?: string;
}

/** Who the token belongs to (`GET /me`). */
export async function readThreadsProfile(fetchImpl: typeof fetch, token: string): Promise<ThreadsProfile> {
  const client = createThreadsClient(fetchImpl);
  return linking(async () => {
    const answer = await client.call({
      method: "GET",
      path: "/me",
      token,
      params: { fields: "id,username,name,threads_profile_picture_url" },
    });
    const profile = readAnswer(profileAnswer, answer, "“who is this profile”", "refuse");
    return {
      userId: profile.id,
      username: profile.username,
      name: profile.name?.trim() || profile.username,
      pictureUrl: profile.threads_profile_picture_url,
    };
  });
}

/** What the background stores for a linked Threads profile (besides status and linkedAt). */
export function threadsAccountFields(
  profile: ThreadsProfile,
  signIn: ThreadsSignIn,
): Pick<AccountRecord, "id" | "kind" | "name" | "pictureUrl" | "token" | "tokenExpiresAt" | "home"> {
  return {
    id: accountIdFor("threads", signIn.userId),
    kind: "threads",
    name: profile.name,
    ...(profile.pictureUrl && { pictureUrl: profile.pictureUrl }),
    token: signIn.token,
    tokenExpiresAt: signIn.expiresAt,
    home: { origin: THREADS_ORIGIN, userId: signIn.userId, handle: `@${profile.username}` },
  };
}

/**
 * A long-lived token for another 60 days (`GET /refresh_access_token`). Threads renews only a
 * token at least a day old and not yet expired; a dead one is a ShareError of kind "auth".
 */
export async function refreshThreadsToken(
  fetchImpl: typeof fetch,
  token: string,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const answer = await createThreadsClient(fetchImpl).call({
    method: "GET",
    path: "/refresh_access_token",
    unversioned: true,
    token,
    params: { grant_type: "th_refresh_token" },
  });
  const { access_token, expires_in } = readAnswer(longTokenAnswer, answer, "the renewed sign-in", "retry");
  return { token: access_token, expiresAt: now + expires_in * 1000 };
}

/** Runs one step of linking; what goes wrong is said as a ThreadsLinkError. */
async function linking<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ShareError)) throw error;
    if (error.kind === "transient" || error.kind === "rate-limit") {
      throw new ThreadsLinkError(
        "unreachable",
        `Threads could not be reached to finish linking (${error.message}). Check your connection and connect again.`,
      );
    }
    const says = error.details.userMessage ?? error.message;
    throw new ThreadsLinkError(
      "refused",
      `Threads refused the sign-in (${says}), so nothing was linked. Check the Threads app id and secret of your Meta app, then connect again.`,
    );
  }
}
