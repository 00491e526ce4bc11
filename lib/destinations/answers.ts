import type * as z from "zod/mini";
import { type FailureDetails, type FailureKind, ShareError } from "./errors";

/*
 * How every service's client (Bluesky, Mastodon, Threads, Tumblr) reads what came back, or did
 * not: no answer, an answer that is not JSON, an answer of another shape. Each says its own
 * name, and makes its own subclass of ShareError where it has one.
 */

export type MakeError = (kind: FailureKind, message: string, details?: FailureDetails) => ShareError;

const shareError: MakeError = (kind, message, details) => new ShareError(kind, message, details);

/**
 * A fetch that got no answer. A write may have been done all the same: the post is looked for
 * before another. The fetch's own refusal (the user took back our access to the host) says all.
 */
export function noAnswer(cause: unknown, who: string, mayHaveActed: boolean, make = shareError): ShareError {
  if (cause instanceof ShareError) return cause;
  const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
  return make(
    "transient",
    timedOut ? `${who} did not answer in time.` : `Could not reach ${who} (network error).`,
    {
      outcomeUnknown: mayHaveActed,
      networkError: !timedOut,
    },
  );
}

/** A success whose body is not JSON: a passing fault, after which a write is looked for. */
export function notJson(status: number, who: string, mayHaveActed: boolean, make = shareError): ShareError {
  return make("transient", `${who} sent an answer that is not JSON.`, {
    status,
    outcomeUnknown: mayHaveActed,
  });
}

/**
 * The service's `readAnswer(schema, answer, what, mismatch)`: an answer in another shape is a
 * ShareError. `retry` for the queue's calls: a passing fault, and since the call may have done its
 * work, the post is looked for before trying again. `refuse` for linking: the answer is unusable
 * and the user links again.
 */
export function answerReader(service: string, make = shareError) {
  return <T>(schema: z.ZodMiniType<T>, answer: unknown, what: string, mismatch: "retry" | "refuse"): T => {
    const parsed = schema.safeParse(answer);
    if (parsed.success) return parsed.data;
    const message = `${service}${service.endsWith("s") ? "'" : "'s"} answer to ${what} was not in the expected shape.`;
    throw mismatch === "retry"
      ? make("transient", message, { outcomeUnknown: true })
      : make("invalid", message);
  };
}
