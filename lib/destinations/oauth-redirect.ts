import type * as z from "zod/mini";

/** What a service's sign-in window sent the browser back with, as OAuth 2 says it (RFC 6749 §4.1.2). */
export type OAuthRedirect =
  | { code: string }
  /** Not an answer to our request: another place, or another sign-in's state. */
  | { failure: "malformed" | "state" }
  /** The user declined (`access_denied`), or the service would not sign in, in its own words. */
  | { failure: "denied" | "refused"; says?: string };

export type OAuthRedirectFailure = Exclude<OAuthRedirect, { code: string }>["failure"];

/**
 * Reads where the sign-in window ended (`redirect_uri?code=…&state=…`): only an answer at our own
 * redirect URL, with our own unguessable state, gives a code, and only a code of its shape.
 */
export function readOAuthRedirect(
  redirected: string,
  expected: { redirectUri: string; state: string },
  codeSchema: z.ZodMiniType<string>,
): OAuthRedirect {
  let url: URL;
  try {
    url = new URL(redirected);
  } catch {
    return { failure: "malformed" };
  }
  const back = new URL(expected.redirectUri);
  if (url.origin !== back.origin || url.pathname !== back.pathname) return { failure: "malformed" };
  const params = url.searchParams;
  const error = params.get("error");
  if (error !== null) {
    const says = params.get("error_description") ?? error;
    return error === "access_denied" ? { failure: "denied" } : { failure: "refused", says };
  }
  if (params.get("state") !== expected.state) return { failure: "state" };
  const code = codeSchema.safeParse(params.get("code") ?? "");
  return code.success ? { code: code.data } : { failure: "malformed" };
}
