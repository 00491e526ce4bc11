import * as z from "zod/mini";
import type { MakeError } from "../destinations/answers";
import { type FailureDetails, type FailureKind, ShareError } from "../destinations/errors";

export interface BlueskyErrorDetails extends FailureDetails {
  /** The XRPC error name Bluesky answered (`ExpiredToken`, `RecordNotFound`…), when it gave one. */
  xrpcError?: string;
}

/** A failed XRPC call, with the error name Bluesky gave. */
export class BlueskyError extends ShareError {
  override readonly name = "BlueskyError";
  declare readonly details: BlueskyErrorDetails;

  constructor(kind: FailureKind, message: string, details: BlueskyErrorDetails = {}) {
    super(kind, message, details);
  }

  /** The access token ran out: one refresh of the sign-in may bring it back. */
  get expiredToken(): boolean {
    return this.details.xrpcError === "ExpiredToken";
  }

  /** `getRecord` found nothing at that key. */
  get recordNotFound(): boolean {
    return this.details.xrpcError === "RecordNotFound";
  }
}

/**
 * Names the PDS answers when the sign-in is dead or missing (atproto's auth-verifier): an expired
 * or revoked token is ExpiredToken, a token it cannot verify InvalidToken, no token AuthMissing, a
 * wrong password AuthenticationRequired; AccountNotFound is what the entryway turns into
 * ExpiredToken. ExpiredToken on a call other than the refresh is renewed once before it counts.
 */
const AUTH_ERRORS = new Set([
  "ExpiredToken",
  "InvalidToken",
  "AuthMissing",
  "AuthenticationRequired",
  "AccountTakedown",
  "AccountDeactivated",
  "AccountNotFound",
]);
/** A blob over the PDS's upload limit (its 413) or, from other implementations, named as such. */
const TOO_LARGE_ERRORS = new Set(["PayloadTooLarge", "BlobTooLarge"]);

/** Classifies one XRPC error by its name, and by HTTP status when the body names none. */
export function classifyXrpcError(status: number, error: string | undefined, message: string): FailureKind {
  if (status === 429 || error === "RateLimitExceeded") return "rate-limit";
  if (error !== undefined && AUTH_ERRORS.has(error)) return "auth";
  // A PDS answers a record key already taken with a plain 500 (its repository refuses the second
  // write); other implementations, or a swap check, say it.
  if (error === "InvalidSwap" || (status < 500 && /already exists/i.test(message))) return "duplicate";
  if (status >= 500) return "transient";
  if (status === 401) return "auth";
  if (status === 403) return "permission";
  return "invalid";
}

const xrpcErrorBody = z.object({ error: z.optional(z.string()), message: z.optional(z.string()) });

/**
 * How long Bluesky asks us to wait, in ms: its `ratelimit-reset` header is the epoch second the
 * window resets at (atproto's xrpc-server sets it with `ratelimit-remaining` and `-policy`),
 * counted from the answer's own Date, so a device clock that is off does not change the wait.
 */
function retryAfterFromHeaders(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get("ratelimit-reset"));
  const answeredAt = Date.parse(headers.get("date") ?? "");
  if (Number.isFinite(reset) && reset > 0) {
    return Math.max(1000, reset * 1000 - (Number.isNaN(answeredAt) ? now : answeredAt));
  }
  const retryAfter = Number(headers.get("retry-after"));
  return Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
}

/** Turns a non-2xx XRPC answer into a typed BlueskyError; never throws anything else. */
export function blueskyErrorFromResponse(
  status: number,
  body: unknown,
  headers: Headers,
  now: number,
): BlueskyError {
  const parsed = xrpcErrorBody.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  const said = parsed.success ? parsed.data.message : undefined;
  const message = said ?? error ?? `Bluesky answered HTTP ${status} without an explanation.`;
  const kind = classifyXrpcError(status, error, message);
  return new BlueskyError(kind, message, {
    xrpcError: error,
    status,
    ...(kind === "rate-limit" && {
      retryAfterMs: retryAfterFromHeaders(headers, now),
      // The PDS counts writes and sign-ins per account (its DID, or the identifier signing in).
      limits: "account",
    }),
    outcomeUnknown: status >= 500,
  });
}

/** Whether the answer says the blob was over what the PDS (or the lexicon) takes. */
export function isTooLarge(error: BlueskyError): boolean {
  return error.details.status === 413 || TOO_LARGE_ERRORS.has(error.details.xrpcError ?? "");
}

/** Makes a BlueskyError: for the answers every service reads alike (lib/destinations/answers.ts). */
export const blueskyError: MakeError = (kind, message, details) => new BlueskyError(kind, message, details);
