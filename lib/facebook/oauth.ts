import { browser } from "wxt/browser";
import * as z from "zod/mini";
import { GRAPH_VERSION } from "./graph";

/** What linking Pages needs (DESIGN.md §1); nothing more is asked. */
export const LOGIN_SCOPES = [
  "pages_show_list",
  "pages_manage_posts",
  "pages_read_engagement",
  "publish_video",
] as const;

/**
 * Asked at sign-in too, but not required: only a Page linked to an Instagram Business or Creator
 * account has a use for it, and posting to Pages works without it.
 */
export const OPTIONAL_SCOPES = ["instagram_basic"] as const;

/** Why each permission is asked, in the words the user reads when one is missing. */
export const SCOPE_PURPOSES: Record<(typeof LOGIN_SCOPES | typeof OPTIONAL_SCOPES)[number], string> = {
  pages_show_list: "to list your Pages",
  pages_manage_posts: "to post to them",
  pages_read_engagement: "to find a post again when Facebook's answer was lost",
  publish_video: "to share reels",
  instagram_basic: "to list your recent Instagram posts, so you can share one you posted earlier",
};
export const LOGIN_DIALOG_URL = `https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`;

/** Meta app ids are decimal numbers; app secrets are 32 hex digits. */
export const appIdSchema = z.string().check(z.regex(/^\d{5,20}$/));
export const appSecretSchema = z.string().check(z.regex(/^[0-9a-fA-F]{32}$/));
export const appCredentialsSchema = z.object({ appId: appIdSchema, appSecret: z.optional(appSecretSchema) });
export type AppCredentials = z.infer<typeof appCredentialsSchema>;

const tokenSchema = z.string().check(z.regex(/^[\w.|-]{10,2048}$/));

export type SignInFailure = "cancelled" | "unreachable" | "denied" | "state" | "malformed" | "refused";

/** A sign-in that ended without a usable token; the message is the sentence the user sees. */
export class SignInError extends Error {
  override readonly name = "SignInError";
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The browser pieces a sign-in needs; tests pass fakes. */
export interface SignInDeps {
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  redirectUrl(): string;
  randomBytes(length: number): Uint8Array;
  /** One pending connection (Pages found, not yet picked), kept in memory only, across worker restarts. */
  pending: {
    load(): Promise<unknown>;
    save(value: unknown): Promise<void>;
    clear(): Promise<void>;
  };
}

const PENDING_KEY = "facebook-connection";

/** The real browser: `identity` for the login window, `storage.session` (memory only) for the picker. */
export function browserSignIn(): SignInDeps {
  return {
    launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    redirectUrl: () => browser.identity.getRedirectURL(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    pending: {
      load: async () => (await browser.storage.session.get(PENDING_KEY))[PENDING_KEY],
      save: (value) => browser.storage.session.set({ [PENDING_KEY]: value }),
      clear: () => browser.storage.session.remove(PENDING_KEY),
    },
  };
}

/** An unguessable value: hex of `bytes` random bytes. */
export function randomHex(deps: Pick<SignInDeps, "randomBytes">, bytes = 16): string {
  return [...deps.randomBytes(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function loginUrl(options: { appId: string; redirectUrl: string; state: string }): string {
  const params = new URLSearchParams({
    client_id: options.appId,
    redirect_uri: options.redirectUrl,
    response_type: "token",
    state: options.state,
    scope: [...LOGIN_SCOPES, ...OPTIONAL_SCOPES].join(","),
    // Asks again for a permission the user declined last time, instead of silently skipping it.
    auth_type: "rerequest",
  });
  return `${LOGIN_DIALOG_URL}?${params}`;
}

export interface LoginResult {
  userToken: string;
  /** When the user token stops working; undefined when Facebook gave no end. */
  expiresAt?: number;
}

/**
 * Reads where Facebook's dialog sent the browser back to: a token in the fragment, or an error in
 * the query. Anything not answering *our* request (other place, other `state`) is refused.
 */
export function readLoginRedirect(
  redirected: string,
  expected: { redirectUrl: string; state: string },
  now: number,
): LoginResult {
  let url: URL;
  try {
    url = new URL(redirected);
  } catch {
    throw malformed();
  }
  if (url.origin !== new URL(expected.redirectUrl).origin) throw malformed();
  const params = new URLSearchParams(url.search);
  for (const [key, value] of new URLSearchParams(url.hash.slice(1))) params.set(key, value);

  if (params.has("error")) {
    if (params.get("error") === "access_denied") {
      throw new SignInError(
        "denied",
        "You declined Facebook's request, so nothing was linked. Connect again and choose Continue to link your Pages.",
      );
    }
    throw new SignInError("refused", "Facebook could not sign you in, so nothing was linked. Try again.");
  }
  if (params.get("state") !== expected.state) {
    throw new SignInError(
      "state",
      "The answer from Facebook did not match this sign-in, so it was ignored and nothing was linked. Connect again.",
    );
  }
  const token = tokenSchema.safeParse(params.get("access_token") ?? "");
  if (!token.success) throw malformed();
  const seconds = Number(params.get("expires_in") ?? 0);
  return {
    userToken: token.data,
    expiresAt: Number.isFinite(seconds) && seconds > 0 ? now + seconds * 1000 : undefined,
  };
}

function malformed() {
  return new SignInError(
    "malformed",
    "Facebook's sign-in ended in an unexpected place, so nothing was linked. Check the redirect URL in your Meta app and connect again.",
  );
}

/** Opens Facebook Login in the browser's sign-in window and returns the user token it gave. */
export async function signInWithFacebook(deps: SignInDeps, appId: string, now: () => number) {
  const redirectUrl = deps.redirectUrl();
  const state = randomHex(deps);
  let redirected: string | undefined;
  try {
    redirected = await deps.launchWebAuthFlow({
      url: loginUrl({ appId, redirectUrl, state }),
      interactive: true,
    });
  } catch (error) {
    // Browsers reject with their own wording; only "could not load" differs from a closed window.
    const text = error instanceof Error ? error.message : "";
    if (/could not be loaded|network/i.test(text)) {
      throw new SignInError(
        "unreachable",
        "Facebook's sign-in page could not be opened. Check your connection and try again.",
      );
    }
    throw new SignInError(
      "cancelled",
      "Facebook sign-in was closed before it finished, so nothing was linked.",
    );
  }
  if (!redirected) throw malformed();
  return readLoginRedirect(redirected, { redirectUrl, state }, now());
}
