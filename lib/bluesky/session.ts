import * as z from "zod/mini";
import { ShareError } from "../destinations/errors";
import { BlueskyError } from "./errors";
import { createXrpcClient, httpsOrigin, type XrpcClient } from "./xrpc";

/**
 * The scope a PDS writes in the access JWT of a session made with the account's own password
 * (atproto's auth-scope.ts), which can do anything down to deleting the account; an app
 * password's session is `com.atproto.appPass` (or `appPassPrivileged`, which may also read direct
 * messages).
 */
const ACCOUNT_PASSWORD_SCOPE = "com.atproto.access";
const TAKEN_DOWN_SCOPE = "com.atproto.takendown";

const did = z.string().check(z.regex(/^did:(plc|web):[a-zA-Z0-9._:%-]{1,2000}$/));
const handle = z.string().check(z.minLength(3), z.maxLength(253));
const jwt = z.string().check(z.regex(/^[\w-]+\.[\w-]+\.[\w-]*$/), z.maxLength(10_000));

const didDocument = z.object({
  id: z.optional(z.string()),
  service: z.optional(
    z.array(
      z.object({
        id: z.optional(z.string()),
        type: z.optional(z.string()),
        serviceEndpoint: z.optional(z.unknown()),
      }),
    ),
  ),
});

const sessionAnswer = z.object({
  accessJwt: jwt,
  refreshJwt: jwt,
  did,
  handle,
  didDoc: z.optional(z.unknown()),
  active: z.optional(z.boolean()),
  status: z.optional(z.string()),
});

const profileAnswer = z.object({
  did,
  displayName: z.optional(z.string()),
  avatar: z.optional(z.string()),
});

const claims = z.object({
  exp: z.optional(z.number()),
  scope: z.optional(z.string()),
  sub: z.optional(z.string()),
});

/** What the link handler stores: the account, its PDS, and its sign-in (never the app password). */
export interface BlueskySignIn {
  did: string;
  handle: string;
  displayName?: string;
  avatar?: string;
  accessJwt: string;
  refreshJwt: string;
  /** The account's PDS (`https://…host.bsky.network` for bsky.social's accounts). */
  pdsOrigin: string;
  /**
   * When the sign-in dies unless a share renews it first (the refresh JWT's end, 90 days for
   * bsky.social), for AccountRecord.tokenExpiresAt. The access JWT's own 2 hours are renewed by
   * the destination on its own and are no concern of the user's.
   */
  signInExpiresAt?: number;
}

export type BlueskyLinkFailure =
  | "wrong-password"
  | "account-password"
  | "code-asked"
  | "taken-down"
  | "deactivated"
  | "answer";

/** Linking refused, with the sentence the options page shows as it is. */
export class BlueskyLinkError extends Error {
  override readonly name = "BlueskyLinkError";
  constructor(
    readonly reason: BlueskyLinkFailure,
    message: string,
  ) {
    super(message);
  }
}

const APP_PASSWORDS_AT = "Bluesky's Settings › Privacy and security › App passwords";

/**
 * Signs in at `service` (bsky.social, or a PDS of the user's own) with an app password, and reads
 * who the account is and where it lives. A session made with the account's own password is
 * closed again at once and refused: alsoshare never holds a sign-in that could change the
 * password or delete the account. Errors: BlueskyLinkError, with the sentence to show; a
 * BlueskyError (ShareError) for a passing fault, a rate limit or no access to the host.
 */
export async function signInToBluesky(
  fetchImpl: typeof fetch,
  input: { service: string; identifier: string; appPassword: string },
  now: () => number = Date.now,
): Promise<BlueskySignIn> {
  const origin = httpsOrigin(input.service);
  if (!origin)
    throw new BlueskyError("invalid", `“${input.service}” is not the address of a Bluesky server.`);
  const client = createXrpcClient(fetchImpl, now);
  let answer: unknown;
  try {
    answer = await client.call({
      origin,
      method: "POST",
      nsid: "com.atproto.server.createSession",
      json: { identifier: input.identifier, password: input.appPassword },
    });
  } catch (error) {
    throw linkFailure(error);
  }
  const session = readSession(answer);
  const scope = jwtClaims(session.accessJwt)?.scope;
  if (scope === ACCOUNT_PASSWORD_SCOPE) {
    await closeSession(client, origin, session.refreshJwt);
    throw new BlueskyLinkError(
      "account-password",
      `That is your Bluesky account's own password, so alsoshare did not keep the sign-in. Create an app password in ${APP_PASSWORDS_AT} and enter it here instead.`,
    );
  }
  if (scope === TAKEN_DOWN_SCOPE) throw takenDown();
  if (session.active === false) {
    throw new BlueskyLinkError(
      "deactivated",
      `Bluesky says this account is not active${session.status ? ` (${session.status})` : ""}. Activate it in Bluesky, then link it again.`,
    );
  }
  const profile = await readProfile(client, origin, session.accessJwt, session.did);
  return {
    did: session.did,
    handle: session.handle,
    ...(profile?.displayName?.trim() && { displayName: profile.displayName.trim() }),
    ...(profile?.avatar && httpsUrl(profile.avatar) && { avatar: profile.avatar }),
    accessJwt: session.accessJwt,
    refreshJwt: session.refreshJwt,
    pdsOrigin: pdsOf(session.didDoc, session.did) ?? origin,
    ...expiryOf(session.refreshJwt),
  };
}

/** A new access and refresh JWT for the account; the old refresh JWT is spent by this call. */
export async function refreshBlueskySession(
  client: XrpcClient,
  origin: string,
  refreshJwt: string,
): Promise<{ accessJwt: string; refreshJwt: string; signInExpiresAt?: number }> {
  let answer: unknown;
  try {
    answer = await client.call({
      origin,
      method: "POST",
      nsid: "com.atproto.server.refreshSession",
      token: refreshJwt,
    });
  } catch (error) {
    if (error instanceof BlueskyError && error.kind === "auth") {
      throw new BlueskyError(
        "auth",
        `Bluesky no longer accepts alsoshare's sign-in (${error.message}); the app password may have been revoked. Link the account again with an app password.`,
        error.details,
      );
    }
    // No post was sent with this call, whatever became of it.
    if (error instanceof ShareError) {
      throw new BlueskyError(error.kind, error.message, { ...error.details, outcomeUnknown: false });
    }
    throw error;
  }
  const parsed = sessionAnswer.safeParse(answer);
  if (!parsed.success) {
    throw new BlueskyError(
      "transient",
      "Bluesky's answer to renewing the sign-in was not in the expected shape.",
    );
  }
  return {
    accessJwt: parsed.data.accessJwt,
    refreshJwt: parsed.data.refreshJwt,
    ...expiryOf(parsed.data.refreshJwt),
  };
}

/**
 * The claims of a JWT the PDS gave us, read without checking its signature: only the PDS can
 * check that, and it does on every call. Undefined when the token is not a JWT we can read.
 */
export function jwtClaims(token: string): z.infer<typeof claims> | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed = claims.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** When the token runs out (epoch ms), as its `exp` claim says. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return exp === undefined ? undefined : exp * 1000;
}

function expiryOf(refreshJwt: string): { signInExpiresAt?: number } {
  const at = jwtExpiresAt(refreshJwt);
  return at === undefined ? {} : { signInExpiresAt: at };
}

function readSession(answer: unknown) {
  const parsed = sessionAnswer.safeParse(answer);
  if (parsed.success) return parsed.data;
  throw new BlueskyLinkError(
    "answer",
    "Bluesky's answer to signing in was not one alsoshare understands, so nothing was linked. Try again.",
  );
}

/** The name and picture shown for the account; the handle stands in when Bluesky will not say. */
async function readProfile(client: XrpcClient, origin: string, token: string, actor: string) {
  try {
    const answer = await client.call({
      origin,
      method: "GET",
      nsid: "app.bsky.actor.getProfile",
      token,
      params: { actor },
    });
    const parsed = profileAnswer.safeParse(answer);
    return parsed.success && parsed.data.did === actor ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Ends a session we will not keep (deleteSession, with its refresh JWT); a failure leaves it to expire. */
async function closeSession(client: XrpcClient, origin: string, refreshJwt: string): Promise<void> {
  await client
    .call({ origin, method: "POST", nsid: "com.atproto.server.deleteSession", token: refreshJwt })
    .catch(() => undefined);
}

/**
 * The PDS the DID document names (`#atproto_pds`, an `AtprotoPersonalDataServer`). A PDS may
 * leave the document out of the session: then the service signed in at serves the account,
 * which is so for a PDS of one's own and for bsky.social, which passes calls on to the PDS.
 */
function pdsOf(document: unknown, forDid: string): string | undefined {
  const parsed = didDocument.safeParse(document);
  if (!parsed.success || (parsed.data.id !== undefined && parsed.data.id !== forDid)) return undefined;
  const service = parsed.data.service?.find(
    (entry) =>
      (entry.id === "#atproto_pds" || entry.id === `${forDid}#atproto_pds`) &&
      entry.type === "AtprotoPersonalDataServer",
  );
  return typeof service?.serviceEndpoint === "string" ? httpsOrigin(service.serviceEndpoint) : undefined;
}

function linkFailure(error: unknown): unknown {
  if (!(error instanceof BlueskyError)) return error;
  switch (error.details.xrpcError) {
    case "AuthenticationRequired":
      return new BlueskyLinkError(
        "wrong-password",
        "Bluesky did not accept that handle and app password. Check both (an app password looks like abcd-efgh-ijkl-mnop), or create a new one, then try again.",
      );
    case "AuthFactorTokenRequired":
      return new BlueskyLinkError(
        "code-asked",
        `Bluesky asked for the code it emails you, which happens only with your account's own password. Enter an app password instead: create one in ${APP_PASSWORDS_AT}.`,
      );
    case "AccountTakedown":
      return takenDown();
    default:
      return error;
  }
}

function takenDown(): BlueskyLinkError {
  return new BlueskyLinkError(
    "taken-down",
    "Bluesky has taken this account down, so nothing can be shared to it. Bluesky's moderation can tell you more.",
  );
}

function httpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
