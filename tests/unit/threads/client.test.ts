import { describe, expect, it } from "vitest";
import { ShareError } from "@/lib/destinations/errors";
import { createThreadsClient, THREADS_ORIGIN, THREADS_VERSION } from "@/lib/threads/client";
import { classifyThreadsError, ThreadsError } from "@/lib/threads/errors";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    requests.push({ url: String(url), init });
    return answer();
  }) as unknown as typeof fetch;
  return { fetchImpl, requests };
}

const threadsError = (code: number, subcode?: number, extra: Record<string, unknown> = {}) => ({
  error: {
    message: "boom",
    type: "THApiException",
    code,
    error_subcode: subcode,
    fbtrace_id: "AbC",
    ...extra,
  },
});

async function failureOf(response: Response): Promise<ThreadsError> {
  const { fetchImpl } = recordingFetch(() => response);
  const error = await createThreadsClient(fetchImpl)
    .call({ method: "POST", path: "/me/threads_publish", token: "t" })
    .catch((caught: unknown) => caught);
  if (!(error instanceof ThreadsError)) throw new Error(`expected a ThreadsError, got ${String(error)}`);
  return error;
}

describe("the Threads client", () => {
  it("talks only to the pinned host and version, the token in the header and the parameters in the body", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, { id: "1" }));
    await createThreadsClient(fetchImpl).call({
      method: "POST",
      path: "/me/threads",
      token: "SECRET-TOKEN",
      params: {
        media_type: "IMAGE",
        image_url: "https://scontent.cdninstagram.com/a.jpg",
        alt_text: undefined,
      },
    });
    const [request] = requests;
    expect(request?.url).toBe(`${THREADS_ORIGIN}/${THREADS_VERSION}/me/threads`);
    expect(new Headers(request?.init.headers).get("authorization")).toBe("Bearer SECRET-TOKEN");
    expect(request?.init.credentials).toBe("omit");
    expect(request?.init.signal).toBeInstanceOf(AbortSignal);
    const body = request?.init.body as URLSearchParams;
    expect(Object.fromEntries(body)).toEqual({
      media_type: "IMAGE",
      image_url: "https://scontent.cdninstagram.com/a.jpg",
    });
    expect(request?.url).not.toContain("SECRET-TOKEN");
    expect(body.toString()).not.toContain("SECRET-TOKEN");
  });

  it("puts a GET's parameters in the query, never the token", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, { id: "1" }));
    await createThreadsClient(fetchImpl).call({
      method: "GET",
      path: "/me",
      token: "SECRET",
      params: { fields: "id" },
    });
    expect(requests[0]?.url).toBe(`${THREADS_ORIGIN}/${THREADS_VERSION}/me?fields=id`);
  });

  it("refuses a path that could leave the Threads API", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, {}));
    const client = createThreadsClient(fetchImpl);
    await expect(client.call({ method: "GET", path: "//evil.example/x", token: "t" })).rejects.toBeInstanceOf(
      ThreadsError,
    );
    await expect(client.call({ method: "GET", path: "/me?x=@evil", token: "t" })).rejects.toBeInstanceOf(
      ThreadsError,
    );
    expect(requests).toHaveLength(0);
  });

  it("says a network failure may have reached Threads", async () => {
    const fetchImpl = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    const error = await createThreadsClient(fetchImpl)
      .call({ method: "POST", path: "/me/threads_publish", token: "t" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: "transient",
      message: "Could not reach Threads (network error).",
      details: { outcomeUnknown: true, networkError: true },
    });
  });

  it("lets the host-access refusal through as it is: nothing was sent", async () => {
    const refusal = new ShareError("transient", "alsoshare can't reach graph.threads.net", {
      hostAccessMissing: true,
    });
    const fetchImpl = (async () => {
      throw refusal;
    }) as unknown as typeof fetch;
    await expect(
      createThreadsClient(fetchImpl).call({ method: "GET", path: "/me", token: "t" }),
    ).rejects.toBe(refusal);
  });

  it("takes a 200 that is not JSON as an answer that may have done its work", async () => {
    const error = await failureOf(new Response("<html>ok</html>", { status: 200 }));
    expect(error).toMatchObject({ kind: "transient", details: { outcomeUnknown: true, status: 200 } });
  });

  it("takes a load balancer's HTML 502 as a lost answer", async () => {
    const error = await failureOf(new Response("<h1>502 Bad Gateway</h1>", { status: 502 }));
    expect(error).toMatchObject({
      kind: "transient",
      message: "Threads answered HTTP 502 without an explanation.",
      details: { outcomeUnknown: true },
    });
  });

  it("never takes a 5xx for a refusal, even with a permission code: Threads has answered so for a post it made", async () => {
    const error = await failureOf(json(500, threadsError(10)));
    expect(error).toMatchObject({ kind: "transient", details: { code: 10, outcomeUnknown: true } });
  });

  it("reads the wait of a rate limit from Retry-After or from the usage header's minutes", async () => {
    const byHeader = await failureOf(json(429, threadsError(17), { "retry-after": "30" }));
    expect(byHeader).toMatchObject({
      kind: "rate-limit",
      details: { retryAfterMs: 30_000, limits: "account" },
    });
    const byUsage = await failureOf(
      json(403, threadsError(4), {
        "x-business-use-case-usage": JSON.stringify({
          "1784": [{ type: "threads", estimated_time_to_regain_access: 12 }],
        }),
      }),
    );
    expect(byUsage).toMatchObject({
      kind: "rate-limit",
      details: { retryAfterMs: 12 * 60_000, limits: "every-account" },
    });
  });

  it("keeps Threads' words for the user", async () => {
    const error = await failureOf(
      json(400, threadsError(100, undefined, { error_user_msg: "The text is too long." })),
    );
    expect(error).toMatchObject({
      kind: "invalid",
      details: { userMessage: "The text is too long.", code: 100 },
    });
  });

  it("knows Threads' “Media Not Found” for a container it cannot find", async () => {
    const error = await failureOf(json(400, threadsError(24, 4279009)));
    expect(error.kind).toBe("transient");
    expect(error.containerNotFound).toBe(true);
    expect(error.details.outcomeUnknown).toBe(false);
  });
});

describe("Threads' error table", () => {
  it.each([
    [190, undefined, 400, "auth"],
    [102, undefined, 400, "auth"],
    [undefined, undefined, 401, "auth"],
    [10, undefined, 403, "permission"],
    [200, undefined, 403, "permission"],
    [4, undefined, 403, "rate-limit"],
    [17, undefined, 403, "rate-limit"],
    [613, undefined, 400, "rate-limit"],
    [undefined, undefined, 429, "rate-limit"],
    [9, 2207042, 400, "publish-limit"],
    [9004, 2207052, 400, "media-unreachable"],
    [1, undefined, 400, "transient"],
    [2, undefined, 503, "transient"],
    [368, undefined, 400, "blocked"],
    [100, 33, 400, "invalid"],
    [undefined, undefined, 400, "invalid"],
    [10, undefined, 500, "transient"],
  ] as const)("code %s / subcode %s / HTTP %s is %s", (code, subcode, status, kind) => {
    expect(classifyThreadsError(code, subcode, status, undefined)).toBe(kind);
  });

  it("takes Threads' own is_transient flag for an error it has no other word on", () => {
    expect(classifyThreadsError(100, undefined, 400, true)).toBe("transient");
  });
});
