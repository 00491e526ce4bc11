import * as z from "zod/mini";
import { answerReader, noAnswer, notJson } from "../destinations/answers";
import { type FailureKind, ShareError } from "../destinations/errors";

/** The one place Tumblr's API host lives; its sign-in window is on www.tumblr.com. */
export const TUMBLR_API = "https://api.tumblr.com";
/** Well under the 30 s that Chrome gives an MV3 worker's pending fetch. */
export const TUMBLR_TIMEOUT_MS = 15_000;
/** An upload's bytes take longer to send than a call's parameters. */
export const TUMBLR_UPLOAD_TIMEOUT_MS = 25_000;

export interface TumblrFile {
  /** The NPF media object's `identifier`, which names the file's part. */
  identifier: string;
  blob: Blob;
  filename: string;
}

export interface TumblrRequest {
  method: "GET" | "POST" | "PUT";
  /** e.g. `/v2/user/info`. */
  path: string;
  token?: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A form body (the token endpoint). */
  form?: Record<string, string>;
  /** The JSON parameters; with `files`, sent as the `json` part of a multipart body. */
  json?: Record<string, unknown>;
  files?: readonly TumblrFile[];
}

export interface TumblrClient {
  call(request: TumblrRequest): Promise<unknown>;
}

const PATH = /^(\/[\w.:-]+)+$/;

/**
 * A client for api.tumblr.com over a given `fetch`. The token travels in the Authorization header,
 * never in a URL; cookies are never sent. Answers are unwrapped from Tumblr's `{meta, response}`;
 * failures are always a ShareError of the destinations' one table.
 */
export function createTumblrClient(fetchImpl: typeof fetch): TumblrClient {
  return {
    async call(request) {
      const { method, path, token, query = {} } = request;
      if (!PATH.test(path)) throw new ShareError("invalid", "Refused a malformed Tumblr API path.");
      const url = new URL(path, TUMBLR_API);
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = { Accept: "application/json" };
      if (token) headers.Authorization = `Bearer ${token}`;
      let body: BodyInit | undefined;
      if (request.files?.length) {
        const multipart = new FormData();
        multipart.append(
          "json",
          new Blob([JSON.stringify(request.json ?? {})], { type: "application/json" }),
        );
        for (const file of request.files) multipart.append(file.identifier, file.blob, file.filename);
        body = multipart;
      } else if (request.json) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(request.json);
      } else if (request.form) {
        body = new URLSearchParams(request.form);
      }
      // A write that got no answer may have been done: the post is looked for before another.
      const mayHaveActed = method !== "GET";
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(request.files?.length ? TUMBLR_UPLOAD_TIMEOUT_MS : TUMBLR_TIMEOUT_MS),
          credentials: "omit",
          redirect: "error",
        });
      } catch (cause) {
        throw noAnswer(cause, "Tumblr", mayHaveActed);
      }
      const answer = await response.json().catch(() => undefined);
      if (!response.ok) throw tumblrError(response, answer, mayHaveActed);
      if (answer === undefined) throw notJson(response.status, "Tumblr", mayHaveActed);
      // The token endpoint answers OAuth's own JSON; everything else is wrapped in an envelope.
      const envelope = z.object({ response: z.unknown() }).safeParse(answer);
      return envelope.success && path.startsWith("/v2/") && !path.startsWith("/v2/oauth2/")
        ? envelope.data.response
        : answer;
    },
  };
}

const errorBody = z.object({
  errors: z.optional(
    z.array(
      z.object({
        title: z.optional(z.string()),
        code: z.optional(z.number()),
        detail: z.optional(z.string()),
      }),
    ),
  ),
  // The OAuth endpoints answer in OAuth's words.
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
});

/**
 * Tumblr's subcodes, from its API docs ("Errors and Error Subcodes" of NPF post creation): the
 * daily limits on posts, photos and videos, and a video of the user's still transcoding.
 */
const SUBCODES: Record<number, FailureKind> = {
  8004: "publish-limit",
  8011: "publish-limit",
  8023: "publish-limit",
  8010: "transient",
};

/** A failed Tumblr call as the destinations' failure: the status says what, the subcode which. */
function tumblrError(response: Response, answer: unknown, mayHaveActed: boolean): ShareError {
  const { status } = response;
  const parsed = errorBody.safeParse(answer);
  const first = parsed.success ? parsed.data.errors?.[0] : undefined;
  const says = (
    first?.detail ??
    first?.title ??
    (parsed.success ? (parsed.data.error_description ?? parsed.data.error) : undefined)
  )?.trim();
  const code = first?.code;
  const details = { status, ...(says && { userMessage: says }) };
  const subcodeKind = code === undefined ? undefined : SUBCODES[code];
  // A refresh token Tumblr no longer takes is answered 400 invalid_grant: the sign-in is dead.
  if (status === 401 || (parsed.success && parsed.data.error === "invalid_grant")) {
    return new ShareError(
      "auth",
      `Tumblr no longer accepts alsoshare's sign-in${says ? ` (${says})` : ""}.`,
      details,
    );
  }
  if (status === 429) {
    return new ShareError("rate-limit", says ?? "Tumblr asked for fewer requests.", {
      ...details,
      retryAfterMs: retryAfterMs(response.headers),
      // Tumblr counts calls per app (its consumer key) as well as per user: every account linked
      // through the same app waits.
      limits: "every-account",
    });
  }
  if (subcodeKind) return new ShareError(subcodeKind, says ?? `Tumblr refused (code ${code}).`, details);
  if (status >= 500) {
    return new ShareError("transient", `Tumblr failed (HTTP ${status}${says ? `: ${says}` : ""}).`, {
      ...details,
      outcomeUnknown: mayHaveActed,
    });
  }
  if (status === 403) {
    return new ShareError("permission", says ?? "Tumblr did not allow this.", details);
  }
  return new ShareError("invalid", says ?? `Tumblr answered HTTP ${status} without an explanation.`, details);
}

/**
 * How long Tumblr asks us to wait: `Retry-After`, or the reset of whichever of its limits is used
 * up (`X-Ratelimit-Perhour-Reset`, `X-Ratelimit-Perday-Reset`, in seconds from now).
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const seconds = [
    headers.get("retry-after"),
    headers.get("x-ratelimit-perhour-remaining") === "0" ? headers.get("x-ratelimit-perhour-reset") : null,
    headers.get("x-ratelimit-perday-remaining") === "0" ? headers.get("x-ratelimit-perday-reset") : null,
  ]
    .map(Number)
    .filter((value) => Number.isFinite(value) && value > 0);
  return seconds.length > 0 ? Math.max(...seconds) * 1000 : undefined;
}

/** Reads a Tumblr answer with its schema; one in another shape is a ShareError (lib/destinations/answers.ts). */
export const readAnswer = answerReader("Tumblr");
