/**
 * What the queue does with a failed call to any service: one table, the same outcomes for every
 * destination (DESIGN.md §1 has Facebook's codes). Each service's client turns its own answers
 * into a ShareError of one of these kinds.
 */
export type FailureKind =
  | "transient" // retry with back-off
  | "rate-limit" // wait as the service says, slow the account's queue
  | "auth" // sign-in dead: the account needs sign-in, jobs wait
  | "permission" // the sign-in may not do this: explained, no retry
  | "blocked" // the service temporarily blocked posting: long back-off
  | "duplicate" // the service thinks it is a repeat: done only if the post is found
  | "publish-limit" // a daily publishing quota is used up: wait it out once
  | "invalid" // permanent: the service's own message is shown
  | "media-unreachable"; // the service could not fetch the media URL: upload the bytes instead

export interface FailureDetails {
  status?: number;
  /** The service's own words for the user, when it gives them. */
  userMessage?: string;
  retryAfterMs?: number;
  /** Whom a rate limit holds back: this account, or every account of the service. */
  limits?: "account" | "every-account";
  /** The request may have reached the service: look for the post before trying again. */
  outcomeUnknown?: boolean;
  /** No answer at all (not a timeout): the device may be offline. */
  networkError?: boolean;
  /** The user took away our access to the service's host: nothing was sent. */
  hostAccessMissing?: boolean;
}

export class ShareError extends Error {
  override readonly name: string = "ShareError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
  }
}

/** A post this extension cannot share as it is: our own refusal, never the service's. */
export class NotShareableError extends Error {
  override readonly name = "NotShareableError";
}
