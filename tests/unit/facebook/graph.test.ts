import { describe, expect, it } from "vitest";
import { classifyGraphError, GraphError } from "@/lib/facebook/errors";
import { createGraphClient, GRAPH_ORIGIN, GRAPH_VERSION } from "@/lib/facebook/graph";
import { fetchIdentity, publishAttachedPhotos, uploadUnpublishedPhoto } from "@/lib/facebook/pages";

const noDownload = () => Promise.reject(new Error("not expected to download"));

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function recordingFetch(answer: (url: URL) => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    requests.push({ url: String(url), init });
    return answer(url);
  }) as unknown as typeof fetch;
  return { fetchImpl, requests };
}

const metaError = (code: number, subcode?: number, message = "boom") => ({
  error: { message, type: "OAuthException", code, error_subcode: subcode, fbtrace_id: "AbC" },
});

describe("the Graph client", () => {
  it("talks only to the pinned Graph host and version, with the token out of the URL", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, { id: "1001", name: "Acme Bakery" }));
    const graph = createGraphClient(fetchImpl);
    await expect(fetchIdentity(graph, "SECRET-TOKEN")).resolves.toEqual({ id: "1001", name: "Acme Bakery" });
    const [request] = requests;
    expect(request?.url).toBe(`${GRAPH_ORIGIN}/${GRAPH_VERSION}/me?fields=id%2Cname`);
    expect(request?.url).not.toContain("SECRET-TOKEN");
    expect(new Headers(request?.init.headers).get("authorization")).toBe("Bearer SECRET-TOKEN");
  });

  it("refuses a path that could leave the Graph API", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, {}));
    const graph = createGraphClient(fetchImpl);
    await expect(graph.call({ method: "GET", path: "//evil.example/x", token: "t" })).rejects.toBeInstanceOf(
      GraphError,
    );
    await expect(graph.call({ method: "GET", path: "/me?x=@evil", token: "t" })).rejects.toBeInstanceOf(
      GraphError,
    );
    expect(requests).toHaveLength(0);
  });

  it("uploads a photo by URL, unpublished, then posts it with the caption as the message, form-encoded", async () => {
    const { fetchImpl, requests } = recordingFetch((url) =>
      url.pathname.endsWith("/photos") ? json(200, { id: "55" }) : json(200, { id: "1001_56" }),
    );
    const graph = createGraphClient(fetchImpl);
    const target = { pageId: "1001", token: "t" };
    const photoId = await uploadUnpublishedPhoto(
      graph,
      target,
      { url: "https://scontent.cdninstagram.com/a.jpg" },
      noDownload,
    );
    const result = await publishAttachedPhotos(graph, target, {
      photoIds: [photoId],
      message: "Hello 👋\nworld",
    });
    expect(result).toEqual({ postId: "1001_56", url: "https://www.facebook.com/1001_56" });
    const upload = requests[0]?.init.body as URLSearchParams;
    expect(upload.get("url")).toBe("https://scontent.cdninstagram.com/a.jpg");
    expect(upload.get("published")).toBe("false");
    const feed = requests[1]?.init.body as URLSearchParams;
    expect(feed.get("message")).toBe("Hello 👋\nworld");
    expect(JSON.parse(feed.get("attached_media") ?? "")).toEqual([{ media_fbid: "55" }]);
  });

  it("turns Meta's error JSON into a typed error with Facebook's words and wait time", async () => {
    const { fetchImpl } = recordingFetch(() =>
      json(400, metaError(4, undefined, "(#4) Application request limit reached"), {
        "x-business-use-case-usage": JSON.stringify({
          "1001": [{ type: "pages", estimated_time_to_regain_access: 7 }],
        }),
      }),
    );
    const error = await createGraphClient(fetchImpl)
      .call({ method: "POST", path: "/1001/photos", token: "t" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ kind: "rate-limit", message: "(#4) Application request limit reached" });
    expect((error as GraphError).details.retryAfterMs).toBe(7 * 60_000);
  });

  it("reports a garbled answer as an unknown outcome, never as success", async () => {
    const { fetchImpl } = recordingFetch(() => new Response("<html>oops</html>", { status: 200 }));
    const error = await publishAttachedPhotos(
      createGraphClient(fetchImpl),
      { pageId: "1", token: "t" },
      { photoIds: ["55"], message: "m" },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "transient", details: { outcomeUnknown: true } });
  });

  it("gives up on a request that takes longer than the client timeout", async () => {
    const fetchImpl = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    const error = await createGraphClient(fetchImpl, 20)
      .call({ method: "GET", path: "/me", token: "t" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "transient", message: "Facebook did not answer in time." });
  });
});

describe("the Graph error table", () => {
  it.each([
    [1, undefined, 500, "transient"],
    [2, undefined, 503, "transient"],
    [4, undefined, 400, "rate-limit"],
    [17, undefined, 400, "rate-limit"],
    [32, undefined, 400, "rate-limit"],
    [613, undefined, 400, "rate-limit"],
    [80001, undefined, 400, "rate-limit"],
    [100, 1390008, 400, "rate-limit"],
    [190, 463, 400, "auth"],
    [190, 460, 400, "auth"],
    [10, undefined, 403, "permission"],
    [200, undefined, 403, "permission"],
    [100, 492, 400, "permission"],
    [368, undefined, 400, "blocked"],
    [506, undefined, 400, "duplicate"],
    [100, 1366051, 400, "duplicate"],
    [9, undefined, 400, "publish-limit"],
    [100, undefined, 400, "invalid"],
    [324, undefined, 400, "media-unreachable"],
    [undefined, undefined, 502, "transient"],
    [undefined, undefined, 404, "invalid"],
    // A 429 from a proxy or load balancer carries no Facebook error body; it is still a rate limit.
    [undefined, undefined, 429, "rate-limit"],
  ] as const)("code %s subcode %s (HTTP %s) is %s", (code, subcode, status, kind) => {
    expect(classifyGraphError(code, subcode, status)).toBe(kind);
  });
});
