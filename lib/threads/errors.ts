import * as z from "zod/mini";
import type { MakeError } from "../destinations/answers";
import { type FailureDetails, type FailureKind, ShareError } from "../destinations/errors";

export interface ThreadsErrorDetails extends FailureDetails {
  code?: number;
  subcode?: number;
}

/** A failed call to the Threads API, with Threads' own code and subcode when it gave them. */
export class ThreadsError extends ShareError {
  override readonly name = "ThreadsError";
  declare readonly details: ThreadsErrorDetails;

  constructor(kind: FailureKind, message: string, details: ThreadsErrorDetails = {}) {
    super(kind, message, details);
  }

  /**
   * Threads' "Media Not Found" (code 24, subcode 4279009): a container it cannot find, which
   * `threads_publish` also answers for one it has not finished taking in. Nothing was published.
   * https://github.com/fbsamples/threads_api/issues/70
   */
  get containerNotFound(): boolean {
    return this.details.code === 24 && this.details.subcode === 4279009;
  }
}

/**
 * Threads counts calls per app and user, so a limit holds back this account; only the app-wide one
 * (code 4) holds back every Threads account the user linked through the same app.
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const AUTH_CODES = new Set([102, 190]);
/**
 * "Maximum number of posts in 24 hours reached", as Meta's publishing APIs answer it: Threads
 * documents the limit (250 posts a day) but not its code, Instagram's content publishing answers 9.
 */
const PUBLISH_LIMIT_CODE = 9;
/** Instagram's "Media download has failed", which Threads' media fetch shares. */
const MEDIA_UNREACHABLE_SUBCODE = 2207052;

/** Classifies one Threads error by code and subcode, and by HTTP status when Threads gives no code. */
export function classifyThreadsError(
  code: number | undefined,
  subcode: number | undefined,
  status: number,
  isTransient: boolean | undefined,
): FailureKind {
  // A 5xx may come after the work was done: Threads has answered 5xx with code 10 for a post it
  // published (https://github.com/tirthpatell/fia-f1-docs-bot/pull/52). It is never a refusal.
  if (status >= 500) return "transient";
  if (subcode === MEDIA_UNREACHABLE_SUBCODE) return "media-unreachable";
  if (code === undefined) {
    if (status === 429) return "rate-limit";
    return status === 401 ? "auth" : "invalid";
  }
  if (code === 24 && subcode === 4279009) return "transient";
  if (RATE_LIMIT_CODES.has(code)) return "rate-limit";
  if (AUTH_CODES.has(code)) return "auth";
  if (code === PUBLISH_LIMIT_CODE) return "publish-limit";
  if (code === 1 || code === 2 || isTransient) return "transient";
  if (code === 10 || (code >= 200 && code <= 299)) return "permission";
  if (code === 368) return "blocked";
  return status === 429 ? "rate-limit" : "invalid";
}

const threadsErrorBody = z.object({
  error: z.object({
    message: z.optional(z.string()),
    code: z.optional(z.number()),
    error_subcode: z.optional(z.number()),
    error_user_msg: z.optional(z.string()),
    is_transient: z.optional(z.boolean()),
  }),
});

const usageHeader = z.record(
  z.string(),
  z.array(z.object({ estimated_time_to_regain_access: z.optional(z.number()) })),
);

/**
 * How long Threads asks us to wait, in ms: `Retry-After` (seconds), or the usage header's
 * `estimated_time_to_regain_access` (minutes), as graph.threads.net answers in Graph's manner.
 */
export function retryAfterFromHeaders(headers: Headers): number | undefined {
  const retryAfter = Number(headers.get("retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const usage = headers.get("x-business-use-case-usage");
  if (!usage) return undefined;
  const parsed = usageHeader.safeParse(safeJson(usage));
  if (!parsed.success) return undefined;
  const minutes = Math.max(
    0,
    ...Object.values(parsed.data).flatMap((entries) =>
      entries.map((entry) => entry.estimated_time_to_regain_access ?? 0),
    ),
  );
  return minutes > 0 ? minutes * 60_000 : undefined;
}

/** Turns a non-2xx Threads answer into a typed ThreadsError; never throws anything else. */
export function threadsErrorFromResponse(status: number, body: unknown, headers: Headers): ThreadsError {
  const parsed = threadsErrorBody.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  const kind = classifyThreadsError(error?.code, error?.error_subcode, status, error?.is_transient);
  const message = error?.message ?? `Threads answered HTTP ${status} without an explanation.`;
  return new ThreadsError(kind, message, {
    code: error?.code,
    subcode: error?.error_subcode,
    status,
    userMessage: error?.error_user_msg,
    retryAfterMs: retryAfterFromHeaders(headers),
    ...(kind === "rate-limit" && { limits: error?.code === 4 ? "every-account" : "account" }),
    outcomeUnknown: status >= 500,
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Makes a ThreadsError: for the answers every service reads alike (lib/destinations/answers.ts). */
export const threadsError: MakeError = (kind, message, details) => new ThreadsError(kind, message, details);
