import * as z from "zod/mini";
import { type FailureDetails, type FailureKind, ShareError } from "../destinations/errors";

/** What the queue does with a failed Graph call: the destinations' one table, DESIGN.md §1. */
export type GraphFailureKind = FailureKind;

export interface GraphErrorDetails extends FailureDetails {
  code?: number;
  subcode?: number;
  fbtraceId?: string;
}

export class GraphError extends ShareError {
  override readonly name = "GraphError";
  constructor(kind: GraphFailureKind, message: string, details: GraphErrorDetails = {}) {
    // Whom a rate limit holds back follows from Facebook's code.
    super(kind, message, {
      ...details,
      ...(kind === "rate-limit" && details.limits === undefined && { limits: rateLimitScope(details.code) }),
    });
  }

  declare readonly details: GraphErrorDetails;
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008]);
const AUTH_CODES = new Set([102, 190]);
const MEDIA_UNREACHABLE_CODES = new Set([324, 2069019]);
/**
 * "Maximum number of posts in 24 hours reached", as Meta's publishing APIs answer it (Instagram's
 * content publishing documents code 9). Facebook documents the Page reels limit, not its code.
 */
const PUBLISH_LIMIT_CODE = 9;

/**
 * Whom a rate limit holds back: app (4) and user (17) limits count every call the app or the user
 * makes, so every linked Page waits; the others (32, 613, 80001…, subcode 1390008) are per Page.
 */
export function rateLimitScope(code: number | undefined): "every-account" | "account" {
  return code === 4 || code === 17 ? "every-account" : "account";
}

/** Classifies one Graph error by code and subcode (and HTTP status when Facebook gives no code). */
export function classifyGraphError(code: number | undefined, subcode: number | undefined, status: number) {
  if (subcode === 1390008) return "rate-limit";
  if (subcode === 492) return "permission";
  if (subcode === 1366051) return "duplicate";
  // HTTP 429 is a rate limit with or without Facebook's error body.
  if (code === undefined) return status === 429 ? "rate-limit" : status >= 500 ? "transient" : "invalid";
  if (code === 1 || code === 2) return "transient";
  if (RATE_LIMIT_CODES.has(code)) return "rate-limit";
  if (AUTH_CODES.has(code)) return "auth";
  if (code === 10 || (code >= 200 && code <= 299)) return "permission";
  if (code === 368) return "blocked";
  if (code === 506) return "duplicate";
  if (code === PUBLISH_LIMIT_CODE) return "publish-limit";
  if (MEDIA_UNREACHABLE_CODES.has(code)) return "media-unreachable";
  if (status >= 500) return "transient";
  return "invalid";
}

const graphErrorBody = z.object({
  error: z.object({
    message: z.optional(z.string()),
    code: z.optional(z.number()),
    error_subcode: z.optional(z.number()),
    error_user_msg: z.optional(z.string()),
    fbtrace_id: z.optional(z.string()),
  }),
});

const usageHeader = z.record(
  z.string(),
  z.array(z.object({ estimated_time_to_regain_access: z.optional(z.number()) })),
);

/**
 * How long Facebook asks us to wait, in ms: `Retry-After` (seconds), or the business-use-case
 * header's `estimated_time_to_regain_access` (minutes). `X-App-Usage` only says how close we are.
 */
export function retryAfterFromHeaders(headers: Headers): number | undefined {
  const retryAfter = Number(headers.get("retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const buc = headers.get("x-business-use-case-usage");
  if (buc) {
    const parsed = usageHeader.safeParse(safeJson(buc));
    if (parsed.success) {
      const minutes = Math.max(
        0,
        ...Object.values(parsed.data).flatMap((entries) =>
          entries.map((entry) => entry.estimated_time_to_regain_access ?? 0),
        ),
      );
      if (minutes > 0) return minutes * 60_000;
    }
  }
  return undefined;
}

/** Turns a non-2xx Graph answer into a typed GraphError; never throws anything else. */
export function graphErrorFromResponse(status: number, body: unknown, headers: Headers): GraphError {
  const parsed = graphErrorBody.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  const kind = classifyGraphError(error?.code, error?.error_subcode, status);
  const message = error?.message ?? `Facebook answered HTTP ${status} without an explanation.`;
  return new GraphError(kind, message, {
    code: error?.code,
    subcode: error?.error_subcode,
    status,
    userMessage: error?.error_user_msg,
    retryAfterMs: retryAfterFromHeaders(headers),
    fbtraceId: error?.fbtrace_id,
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
