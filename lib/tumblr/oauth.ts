import * as z from "zod/mini";
import type { AccountRecord } from "../db/schema";
import { ShareError } from "../destinations/errors";
import { type OAuthRedirectFailure, readOAuthRedirect } from "../destinations/oauth-redirect";
import { accountIdFor } from "../destinations/services";
import { createTumblrClient, readAnswer, TUMBLR_API } from "./client";

/** Tumblr's OAuth 2 authorization page (API docs: `/oauth2/authorize`). */
export const TUMBLR_AUTHORIZE_URL = "https://www.tumblr.com/oauth2/authorize";
/** Posting (`write`), reading the user's blogs (`basic`), and a refresh token (`offline_access`). */
export const TUMBLR_SCOPES = ["basic", "write", "offline_access"] as const;
/** Tumblr's access tokens live 42 minutes: one with less than this left is renewed before a share. */
export const TUMBLR_RENEW_WITHIN_MS = 5 * 60_000;

/** A Tumblr app's OAuth consumer key and secret are 50 letters and digits. */
export const tumblrAppKeySchema = z.string().check(z.regex(/^[A-Za-z0-9]{20,100}$/));
export const tumblrAppSchema = z.object({ key: tumblrAppKeySchema, secret: z.optional(tumblrAppKeySchema) });
export type TumblrApp = z.infer<typeof tumblrAppSchema>;

const tokenSchema = z.string().check(z.regex(/^[\w.~+/=-]{10,2048}$/));
const codeSchema = z.string().check(z.regex(/^[\w.~+/=-]{8,2048}$/));
const tokenAnswer = z.object({
  access_token: tokenSchema,
  expires_in: z.number().check(z.positive()),
  refresh_token: z.optional(tokenSchema),
});
/** A blog's name is its subdomain on tumblr.com; its uuid (`t:…`) never changes when it is renamed. */
const blogName = z.string().check(z.regex(/^[a-z0-9-]{1,32}$/i));
const blogSchema = z.object({
  name: blogName,
  uuid: z.string().check(z.regex(/^t:[\w-]{10,40}$/)),
  title: z.optional(z.string()),
  primary: z.optional(z.boolean()),
  admin: z.optional(z.boolean()),
});
const userInfoAnswer = z.object({ user: z.object({ name: z.string(), blogs: z.array(blogSchema) }) });

export type TumblrBlog = z.infer<typeof blogSchema>;

export type TumblrLinkFailure = "denied" | "state" | "malformed" | "refused" | "unreachable" | "no-blog";

/** Linking ended without a usable sign-in; the message is the sentence the user sees. */
export class TumblrLinkError extends Error {
  override readonly name = "TumblrLinkError";
  constructor(
    readonly reason: TumblrLinkFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Where the browser's sign-in window opens; `state` comes back with the code, unguessable. */
export function tumblrAuthorizeUrl(options: { key: string; redirectUri: string; state: string }): string {
  const params = new URLSearchParams({
    client_id: options.key,
    response_type: "code",
    scope: TUMBLR_SCOPES.join(" "),
    state: options.state,
    redirect_uri: options.redirectUri,
  });
  return `${TUMBLR_AUTHORIZE_URL}?${params}`;
}

/**
 * The code from where Tumblr sent the browser back, or the user's refusal. Anything not answering
 * *our* request (another place, another state) is refused.
 */
export function readTumblrRedirect(
  redirected: string,
  expected: { redirectUri: string; state: string },
): string {
  const read = readOAuthRedirect(redirected, expected, codeSchema);
  if ("code" in read) return read.code;
  throw new TumblrLinkError(read.failure, TUMBLR_REDIRECT_WORDS[read.failure]);
}

const TUMBLR_REDIRECT_WORDS: Record<OAuthRedirectFailure, string> = {
  denied:
    "You declined Tumblr's request, so nothing was linked. Connect again and allow alsoshare to post to your blog.",
  refused: "Tumblr could not sign you in, so nothing was linked. Try again.",
  state:
    "The answer from Tumblr did not match this sign-in, so it was ignored and nothing was linked. Connect again.",
  malformed:
    "Tumblr's sign-in ended in an unexpected place, so nothing was linked. Check the OAuth2 redirect URL of your Tumblr app and connect again.",
};

export interface TumblrSignIn {
  token: string;
  refreshToken: string;
  expiresAt: number;
}

/** The sign-in a code stands for (`POST /v2/oauth2/token`, authorization_code). */
export async function exchangeTumblrCode(
  fetchImpl: typeof fetch,
  request: { app: Required<TumblrApp>; redirectUri: string; code: string },
  now: number,
): Promise<TumblrSignIn> {
  return linking(async () => {
    const signIn = await tokenCall(
      fetchImpl,
      {
        grant_type: "authorization_code",
        code: request.code,
        client_id: request.app.key,
        client_secret: request.app.secret,
        redirect_uri: request.redirectUri,
      },
      now,
      "refuse",
    );
    if (!signIn.refreshToken) {
      throw new ShareError(
        "invalid",
        "Tumblr gave no refresh token, so the sign-in would end within the hour.",
      );
    }
    return { ...signIn, refreshToken: signIn.refreshToken };
  });
}

/**
 * A new access token for the refresh token (`grant_type=refresh_token`). Tumblr answers a new
 * refresh token with it, and the old one is spent: the pair is stored before anything else is
 * sent. A refresh token Tumblr no longer takes is a ShareError of kind "auth".
 */
export async function refreshTumblrToken(
  fetchImpl: typeof fetch,
  app: Required<TumblrApp>,
  refreshToken: string,
  now: number,
): Promise<{ token: string; refreshToken?: string; expiresAt: number }> {
  return tokenCall(
    fetchImpl,
    {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: app.key,
      client_secret: app.secret,
    },
    now,
    "retry",
  );
}

async function tokenCall(
  fetchImpl: typeof fetch,
  form: Record<string, string>,
  now: number,
  mismatch: "retry" | "refuse",
): Promise<{ token: string; refreshToken?: string; expiresAt: number }> {
  const answer = await createTumblrClient(fetchImpl).call({ method: "POST", path: "/v2/oauth2/token", form });
  const read = readAnswer(tokenAnswer, answer, "the sign-in", mismatch);
  return {
    token: read.access_token,
    ...(read.refresh_token && { refreshToken: read.refresh_token }),
    expiresAt: now + read.expires_in * 1000,
  };
}

/**
 * The blog to link among the user's (`GET /v2/user/info`): the one named, or the primary blog.
 * Only a blog the user administers can be posted to by name here.
 */
export async function readTumblrBlog(
  fetchImpl: typeof fetch,
  token: string,
  wanted?: string,
): Promise<TumblrBlog> {
  const answer = await linking(() =>
    createTumblrClient(fetchImpl).call({ method: "GET", path: "/v2/user/info", token }),
  );
  const { blogs } = readAnswer(userInfoAnswer, answer, "“which blogs are yours”", "refuse").user;
  const name = wanted
    ?.trim()
    .toLowerCase()
    .replace(/^@/, "")
    .replace(/\.tumblr\.com$/, "");
  const blog = name
    ? blogs.find((candidate) => candidate.name.toLowerCase() === name)
    : blogs.find((b) => b.primary);
  if (!blog) {
    const names = blogs.map((b) => b.name).join(", ");
    throw new TumblrLinkError(
      "no-blog",
      name
        ? `Your Tumblr account has no blog named “${name}”${names ? ` (its blogs: ${names})` : ""}, so nothing was linked.`
        : "Your Tumblr account has no blog to post to, so nothing was linked.",
    );
  }
  return blog;
}

/** What the background stores for a linked Tumblr blog (besides status and linkedAt). */
export function tumblrAccountFields(
  blog: TumblrBlog,
  signIn: TumblrSignIn,
): Pick<AccountRecord, "id" | "kind" | "name" | "token" | "tokenExpiresAt" | "home"> {
  return {
    id: accountIdFor("tumblr", blog.uuid),
    kind: "tumblr",
    name: blog.title?.trim() || blog.name,
    token: signIn.token,
    tokenExpiresAt: signIn.expiresAt,
    home: { origin: TUMBLR_API, userId: blog.uuid, handle: blog.name, refreshToken: signIn.refreshToken },
  };
}

/** Runs one step of linking; what goes wrong is said as a TumblrLinkError. */
async function linking<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ShareError) || error.details.hostAccessMissing) throw error;
    if (error.kind === "transient" || error.kind === "rate-limit") {
      throw new TumblrLinkError(
        "unreachable",
        `Tumblr could not be reached to finish linking (${error.message}). Check your connection and connect again.`,
      );
    }
    throw new TumblrLinkError(
      "refused",
      `Tumblr refused the sign-in (${error.details.userMessage ?? error.message}), so nothing was linked. Check your Tumblr app's OAuth consumer key and secret, then connect again.`,
    );
  }
}
