import type * as z from "zod/mini";
import { ShareError } from "../destinations/errors";
import { BlueskyError, blueskyErrorFromResponse } from "./errors";

/** Well under the 30 s that Chrome gives an MV3 worker's pending fetch. */
export const XRPC_TIMEOUT_MS = 15_000;

/** An XRPC method name: `com.atproto.repo.createRecord`. */
const NSID = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.[a-zA-Z][a-zA-Z0-9]*$/;

export interface XrpcRequest {
  /** The account's PDS, or the service it signs in at: `https://host`, nothing more. */
  origin: string;
  method: "GET" | "POST";
  nsid: string;
  /** A bearer token: the access JWT, or the refresh JWT for refreshSession. */
  token?: string;
  params?: Record<string, string>;
  /** A JSON body (procedures). */
  json?: unknown;
  /** Raw bytes as the body, sent with their own type (uploadBlob). */
  blob?: Blob;
  timeoutMs?: number;
}

export interface XrpcClient {
  call(request: XrpcRequest): Promise<unknown>;
}

/**
 * An XRPC client over a given `fetch`, to the origin each call names (a Bluesky account lives on
 * its own PDS). The token travels in the Authorization header, never in a URL; no cookie goes
 * along. Errors are always BlueskyError, or the fetch's own ShareError (no access to the host).
 */
export function createXrpcClient(fetchImpl: typeof fetch, now: () => number = Date.now): XrpcClient {
  return {
    async call({ origin, method, nsid, token, params = {}, json, blob, timeoutMs = XRPC_TIMEOUT_MS }) {
      const base = httpsOrigin(origin);
      if (!base || !NSID.test(nsid))
        throw new BlueskyError("invalid", "Refused a malformed Bluesky request.");
      const url = new URL(`/xrpc/${nsid}`, base);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
      let body: BodyInit | undefined;
      if (blob) {
        body = blob;
        headers["Content-Type"] = blob.type || "application/octet-stream";
      } else if (json !== undefined) {
        body = JSON.stringify(json);
        headers["Content-Type"] = "application/json";
      }
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
          credentials: "omit",
        });
      } catch (cause) {
        // The fetch's own refusal (the user took back our access to the host) says it all.
        if (cause instanceof ShareError) throw cause;
        const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
        throw new BlueskyError(
          "transient",
          timedOut ? "Bluesky did not answer in time." : "Could not reach Bluesky (network error).",
          { outcomeUnknown: true, networkError: !timedOut },
        );
      }
      const answer = await response.json().catch(() => undefined);
      if (!response.ok) throw blueskyErrorFromResponse(response.status, answer, response.headers, now());
      if (answer === undefined) {
        throw new BlueskyError("transient", "Bluesky sent an answer that is not JSON.", {
          status: response.status,
          outcomeUnknown: true,
        });
      }
      return answer;
    },
  };
}

/** `https://host[:port]` when `value` is exactly that origin; undefined for anything else. */
export function httpsOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    return url.protocol === "https:" && bare ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads an XRPC answer with its schema; an answer in another shape is a BlueskyError. `retry` for
 * the queue's calls: a passing fault, and since a write may have done its work, the post is looked
 * for before trying again. `refuse` for signing in: the answer is unusable and the user tries again.
 */
export function readAnswer<T>(
  schema: z.ZodMiniType<T>,
  answer: unknown,
  what: string,
  mismatch: "retry" | "refuse",
): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const message = `Bluesky's answer to ${what} was not in the expected shape.`;
  throw mismatch === "retry"
    ? new BlueskyError("transient", message, { outcomeUnknown: true })
    : new BlueskyError("invalid", message);
}
