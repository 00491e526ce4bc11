import type * as z from "zod/mini";
import { ShareError } from "../destinations/errors";
import { ThreadsError, threadsErrorFromResponse } from "./errors";

/** The one place the Threads API's host and version live. Nothing at run time can change them. */
export const THREADS_ORIGIN = "https://graph.threads.net";
export const THREADS_VERSION = "v1.0";
/** Well under the 30 s that Chrome gives an MV3 worker's pending fetch. */
export const THREADS_TIMEOUT_MS = 15_000;

export type ThreadsParams = Record<string, string | number | boolean | undefined>;

export interface ThreadsRequest {
  method: "GET" | "POST";
  /** e.g. `/me` or `/me/threads`; the version is added here. */
  path: string;
  /** Absent only for the exchange of a sign-in code, which the app's secret vouches for. */
  token?: string;
  params?: ThreadsParams;
  /** The token endpoints (`/oauth/access_token`, `/access_token`, `/refresh_access_token`) have no version. */
  unversioned?: boolean;
}

export interface ThreadsClient {
  call(request: ThreadsRequest): Promise<unknown>;
}

/**
 * A Threads client over a given `fetch`. The token travels in the Authorization header, never in a
 * URL, so it cannot end up in logs or history; a POST's parameters go in its body. Errors are
 * always ThreadsError.
 */
export function createThreadsClient(fetchImpl: typeof fetch, timeoutMs = THREADS_TIMEOUT_MS): ThreadsClient {
  return {
    async call({ method, path, token, params = {}, unversioned = false }) {
      if (!/^(\/[\w-]+)+$/.test(path)) throw new ThreadsError("invalid", "Refused a malformed Threads path.");
      const url = new URL(unversioned ? path : `/${THREADS_VERSION}${path}`, THREADS_ORIGIN);
      const entries = Object.entries(params).flatMap(([key, value]) =>
        value === undefined ? [] : [[key, String(value)] as [string, string]],
      );
      const init: RequestInit = {
        method,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(timeoutMs),
        credentials: "omit",
      };
      if (method === "POST") init.body = new URLSearchParams(entries);
      else for (const [key, value] of entries) url.searchParams.set(key, value);
      let response: Response;
      try {
        response = await fetchImpl(url, init);
      } catch (cause) {
        // The fetch's own refusal (the user took back our access to the host) says it all.
        if (cause instanceof ShareError) throw cause;
        const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
        throw new ThreadsError(
          "transient",
          timedOut ? "Threads did not answer in time." : "Could not reach Threads (network error).",
          { outcomeUnknown: true, networkError: !timedOut },
        );
      }
      const body = await response.json().catch(() => undefined);
      if (!response.ok) throw threadsErrorFromResponse(response.status, body, response.headers);
      if (body === undefined) {
        throw new ThreadsError("transient", "Threads sent an answer that is not JSON.", {
          status: response.status,
          outcomeUnknown: true,
        });
      }
      return body;
    },
  };
}

/**
 * Reads a Threads answer with its schema; an answer in another shape is a ThreadsError. `retry`
 * for the queue's calls: a passing fault, and since the call may have done its work, the post is
 * looked for before trying again. `refuse` for linking: the answer is unusable and the user
 * connects again.
 */
export function readAnswer<T>(
  schema: z.ZodMiniType<T>,
  answer: unknown,
  what: string,
  mismatch: "retry" | "refuse",
): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const message = `Threads' answer to ${what} was not in the expected shape.`;
  throw mismatch === "retry"
    ? new ThreadsError("transient", message, { outcomeUnknown: true })
    : new ThreadsError("invalid", message);
}
