import * as z from "zod/mini";
import { answerReader, noAnswer, notJson } from "../destinations/answers";
import { ShareError } from "../destinations/errors";

/** Well under the 30 s that Chrome gives an MV3 worker's pending fetch. */
export const MASTODON_TIMEOUT_MS = 15_000;

export type MastodonQuery = Record<string, string | number | boolean | undefined>;
/** A form body; a key ending in `[]` may carry several values, and a Blob makes it multipart. */
export type MastodonForm = Record<string, string | readonly string[] | MastodonFile | undefined>;
export interface MastodonFile {
  blob: Blob;
  filename: string;
}

export interface MastodonRequest {
  method: "GET" | "POST";
  /** e.g. `/api/v1/statuses`; always on the account's own instance. */
  path: string;
  token?: string;
  query?: MastodonQuery;
  form?: MastodonForm;
  /** A JSON body (app registration); a request has a form or JSON, never both. */
  json?: Record<string, unknown>;
  /** Mastodon answers a repeat of a status with this key, within an hour, with the status it made. */
  idempotencyKey?: string;
  /** Statuses the caller reads itself instead of failing: a media lookup's 404 means "attached". */
  answers?: readonly number[];
  /** What a 404 means on this path, when the instance is known to be Mastodon. */
  notFound?: string;
  /** A longer wait than the default, for an upload whose bytes take time to send. */
  timeoutMs?: number;
}

export interface MastodonAnswer {
  status: number;
  body: unknown;
}

export interface MastodonClient {
  /** `https://host`, the one origin every request of this client goes to. */
  readonly origin: string;
  call(request: MastodonRequest): Promise<MastodonAnswer>;
}

const PATH = /^(\/(\.well-known|[\w-]+))+$/;

/**
 * A client for one Mastodon instance over a given `fetch`. Every request goes to that origin and
 * nowhere else; the token travels in the Authorization header, never in a URL; cookies are never
 * sent. Failures are always a ShareError of the destinations' one table.
 */
export function createMastodonClient(
  fetchImpl: typeof fetch,
  origin: string,
  options: { now?: () => number; timeoutMs?: number } = {},
): MastodonClient {
  const home = checkedOrigin(origin);
  const host = new URL(home).host;
  const now = options.now ?? Date.now;
  const defaultTimeout = options.timeoutMs ?? MASTODON_TIMEOUT_MS;
  return {
    origin: home,
    async call(request) {
      const { method, path, token, query = {}, idempotencyKey } = request;
      if (!PATH.test(path)) throw new ShareError("invalid", "Refused a malformed Mastodon API path.");
      const url = new URL(path, home);
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = { Accept: "application/json" };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
      let body: BodyInit | undefined;
      if (request.json) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(request.json);
      } else if (request.form) {
        body = encodeForm(request.form);
      }
      // A write that got no answer may have been done: the post is looked for before another.
      const mayHaveActed = method === "POST";
      const signal = AbortSignal.timeout(request.timeoutMs ?? defaultTimeout);
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          body,
          signal,
          credentials: "omit",
          redirect: "error",
        });
      } catch (cause) {
        throw noAnswer(cause, host, mayHaveActed);
      }
      const answer = await response.json().catch(() => undefined);
      if (!response.ok && !request.answers?.includes(response.status)) {
        throw mastodonError(response, answer, { host, now: now(), mayHaveActed, notFound: request.notFound });
      }
      if (answer === undefined) throw notJson(response.status, host, mayHaveActed);
      return { status: response.status, body: answer };
    },
  };
}

function encodeForm(form: MastodonForm): URLSearchParams | FormData {
  const entries = Object.entries(form).flatMap(([key, value]) =>
    value === undefined
      ? []
      : typeof value === "string" || "blob" in value
        ? [[key, value] as const]
        : value.map((item) => [key, item] as const),
  );
  if (!entries.some(([, value]) => typeof value !== "string")) {
    return new URLSearchParams(entries as [string, string][]);
  }
  const multipart = new FormData();
  for (const [key, value] of entries) {
    if (typeof value === "string") multipart.append(key, value);
    else multipart.append(key, value.blob, value.filename);
  }
  return multipart;
}

/**
 * The origin a stored account or a typed address stands for, when it is one a Mastodon instance
 * can have: https, a host name, no port, path, query or credentials. Anything else is refused
 * before a request is made, so no record can point the client at another place.
 */
export function checkedOrigin(origin: string): string {
  const url = urlOf(origin);
  const plain =
    url?.protocol === "https:" &&
    url.port === "" &&
    url.username === "" &&
    url.password === "" &&
    url.origin === origin.replace(/\/$/, "") &&
    isHostName(url.hostname);
  if (!url || !plain) {
    throw new ShareError(
      "invalid",
      "The Mastodon server's address stored for this account is not one alsoshare can use. Link the account again.",
    );
  }
  return url.origin;
}

/** The URL a text is, or undefined when it is none. */
export function urlOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A DNS name with at least two labels (`mastodon.social`): not an IP address, not `localhost`. */
export function isHostName(hostname: string): boolean {
  const labels = hostname.split(".");
  return (
    hostname.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? "")
  );
}

const errorBody = z.object({ error: z.optional(z.string()), error_description: z.optional(z.string()) });

/**
 * Mastodon's answer when a call fails: the HTTP status says what happened, and `error` (with
 * `error_description` from the OAuth endpoints) says it in words (docs: entities/Error).
 */
function mastodonError(
  response: Response,
  answer: unknown,
  context: { host: string; now: number; mayHaveActed: boolean; notFound?: string },
): ShareError {
  const { status } = response;
  const { host } = context;
  const parsed = errorBody.safeParse(answer);
  const says = parsed.success ? (parsed.data.error_description ?? parsed.data.error)?.trim() : undefined;
  const details = { status, ...(says && { userMessage: says }) };
  if (status === 401) {
    return new ShareError(
      "auth",
      `${host} no longer accepts alsoshare's sign-in${says ? ` (${says})` : ""}.`,
      details,
    );
  }
  if (status === 403) {
    return new ShareError("permission", `${host} did not allow this${says ? `: ${says}` : "."}`, details);
  }
  if (status === 404) {
    return new ShareError(
      "invalid",
      context.notFound ??
        `${host} has no such part of Mastodon's API, so it may not be a Mastodon server. Check the server's address and link the account again.`,
      { status },
    );
  }
  if (status === 429) {
    return new ShareError("rate-limit", says ?? `${host} asked for fewer requests.`, {
      ...details,
      retryAfterMs: retryAfterMs(response.headers, context.now),
      // Mastodon counts requests per account (and per IP address): another account on the same
      // server has its own count.
      limits: "account",
    });
  }
  if (status >= 500) {
    return new ShareError("transient", `${host} failed (HTTP ${status}${says ? `: ${says}` : ""}).`, {
      ...details,
      outcomeUnknown: context.mayHaveActed,
    });
  }
  return new ShareError(
    "invalid",
    says ?? `${host} answered HTTP ${status} without an explanation.`,
    details,
  );
}

/**
 * How long Mastodon asks us to wait: until `X-RateLimit-Reset`, an ISO 8601 time with
 * microseconds (docs: api/rate-limits), or `Retry-After` seconds when a proxy in front says so.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const seconds = Number(headers.get("retry-after"));
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const reset = headers.get("x-ratelimit-reset");
  if (!reset) return undefined;
  // Date.parse takes milliseconds at most; Mastodon writes six digits.
  const at = Date.parse(reset.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Reads a Mastodon answer with its schema; one in another shape is a ShareError (lib/destinations/answers.ts). */
export const readAnswer = answerReader("Mastodon");

/** Ids as Mastodon writes them (decimal Snowflakes, larger than JavaScript numbers hold): kept as text. */
export const mastodonId = z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/));

/** An id as one segment of a path; one that could change the path is refused before any request. */
export function idSegment(id: string): string {
  if (mastodonId.safeParse(id).success) return id;
  throw new ShareError("invalid", "Refused a malformed Mastodon id.");
}
