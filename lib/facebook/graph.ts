import type * as z from "zod/mini";
import { GraphError, graphErrorFromResponse } from "./errors";

/** The one place the Graph API version and host live. Nothing at run time can change them. */
export const GRAPH_VERSION = "v26.0";
export const GRAPH_ORIGIN = "https://graph.facebook.com";
/** Facebook's upload host for reels (`/video-upload/{version}/{video-id}`), pinned as the Graph host is. */
export const RUPLOAD_ORIGIN = "https://rupload.facebook.com";
/** Well under the 30 s that Chrome gives an MV3 worker's pending fetch. */
export const GRAPH_TIMEOUT_MS = 15_000;

export type GraphParams = Record<string, string | number | boolean | Blob | undefined>;

export interface GraphRequest {
  method: "GET" | "POST" | "DELETE";
  /** `rupload`: a reel's file goes to Facebook's upload host; the path is then `/{video-id}`. */
  host?: "graph" | "rupload";
  /** e.g. `/me` or `/123/photos`; the version is added here. */
  path: string;
  token: string;
  params?: GraphParams;
  /** Upload headers only (`file_url`, `offset`, `file_size`); nothing else is let through. */
  headers?: Partial<Record<(typeof UPLOAD_HEADERS)[number], string>>;
  /** The file's bytes, for an upload that Facebook could not fetch by URL. */
  body?: Blob;
}

const UPLOAD_HEADERS = ["file_url", "offset", "file_size"] as const;

export interface GraphClient {
  call(request: GraphRequest): Promise<unknown>;
}

/**
 * A Graph client over a given `fetch`. The token travels in the body or the Authorization header,
 * never in a URL, so it cannot end up in logs or history. Errors are always `GraphError`.
 */
export function createGraphClient(
  fetchImpl: typeof fetch = fetch,
  timeoutMs = GRAPH_TIMEOUT_MS,
): GraphClient {
  return {
    async call({ method, host = "graph", path, token, params = {}, headers = {}, body: upload }) {
      if (!/^(\/[\w-]+)+$/.test(path)) throw new GraphError("invalid", `Refused a malformed Graph path.`);
      const url =
        host === "rupload"
          ? new URL(`/video-upload/${GRAPH_VERSION}${path}`, RUPLOAD_ORIGIN)
          : new URL(`/${GRAPH_VERSION}${path}`, GRAPH_ORIGIN);
      const uploadHeaders = UPLOAD_HEADERS.flatMap((name) => {
        const value = headers[name];
        return value === undefined ? [] : [[name, value] as const];
      });
      const init: RequestInit = {
        method,
        // Facebook's upload host takes the token as `OAuth`; the Graph host as a bearer token.
        headers: {
          Authorization: host === "rupload" ? `OAuth ${token}` : `Bearer ${token}`,
          ...Object.fromEntries(uploadHeaders),
        },
        signal: AbortSignal.timeout(timeoutMs),
        credentials: "omit",
      };
      if (host === "rupload") {
        init.body = upload ?? null;
      } else if (method !== "POST") {
        for (const [key, value] of Object.entries(params)) {
          if (value !== undefined && !(value instanceof Blob)) url.searchParams.set(key, String(value));
        }
      } else {
        init.body = encodeBody(params);
      }
      let response: Response;
      try {
        response = await fetchImpl(url, init);
      } catch (cause) {
        const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
        throw new GraphError(
          "transient",
          timedOut ? "Facebook did not answer in time." : "Could not reach Facebook (network error).",
          { outcomeUnknown: true, networkError: !timedOut },
        );
      }
      const body = await response.json().catch(() => undefined);
      if (!response.ok) throw graphErrorFromResponse(response.status, body, response.headers);
      if (body === undefined) {
        throw new GraphError("transient", "Facebook sent an answer that is not JSON.", {
          status: response.status,
          outcomeUnknown: true,
        });
      }
      return body;
    },
  };
}

function encodeBody(params: GraphParams): URLSearchParams | FormData {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number | boolean | Blob] => entry[1] !== undefined,
  );
  if (entries.some(([, value]) => value instanceof Blob)) {
    const form = new FormData();
    for (const [key, value] of entries) form.append(key, value instanceof Blob ? value : String(value));
    return form;
  }
  return new URLSearchParams(entries.map(([key, value]) => [key, String(value)]));
}

/**
 * Reads a Graph answer with its schema; an answer in another shape is a GraphError. `retry` for the
 * queue's calls: a passing fault, and since the call may have done its work, the post is looked for
 * before trying again. `refuse` for sign-in calls: the answer is unusable and the user connects again.
 */
export function readAnswer<T>(
  schema: z.ZodMiniType<T>,
  answer: unknown,
  what: string,
  mismatch: "retry" | "refuse",
): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const message = `Facebook's answer to ${what} was not in the expected shape.`;
  throw mismatch === "retry"
    ? new GraphError("transient", message, { outcomeUnknown: true })
    : new GraphError("invalid", message);
}
