import { answerReader, noAnswer, notJson } from "../destinations/answers";
import { ThreadsError, threadsError, threadsErrorFromResponse } from "./errors";

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
        throw noAnswer(cause, "Threads", true, threadsError);
      }
      const body = await response.json().catch(() => undefined);
      if (!response.ok) throw threadsErrorFromResponse(response.status, body, response.headers);
      if (body === undefined) throw notJson(response.status, "Threads", true, threadsError);
      return body;
    },
  };
}

/** Reads a Threads answer with its schema; one in another shape is a ThreadsError (lib/destinations/answers.ts). */
export const readAnswer = answerReader("Threads", threadsError);
