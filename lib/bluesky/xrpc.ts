import { answerReader, noAnswer, notJson } from "../destinations/answers";
import { BlueskyError, blueskyError, blueskyErrorFromResponse } from "./errors";

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
        throw noAnswer(cause, "Bluesky", true, blueskyError);
      }
      const answer = await response.json().catch(() => undefined);
      if (!response.ok) throw blueskyErrorFromResponse(response.status, answer, response.headers, now());
      if (answer === undefined) {
        throw notJson(response.status, "Bluesky", true, blueskyError);
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

/** Reads an XRPC answer with its schema; one in another shape is a BlueskyError (lib/destinations/answers.ts). */
export const readAnswer = answerReader("Bluesky", blueskyError);
