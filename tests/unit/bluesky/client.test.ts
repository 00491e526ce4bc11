import { describe, expect, it } from "vitest";
import { BlueskyError, classifyXrpcError } from "@/lib/bluesky/errors";
import { facetsOf } from "@/lib/bluesky/richtext";
import { encodeTid, isTid, postKeyFor } from "@/lib/bluesky/tid";
import { createXrpcClient } from "@/lib/bluesky/xrpc";
import { ShareError } from "@/lib/destinations/errors";

const PDS = "https://pds.host.bsky.network";

function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    requests.push({ url: String(url), init });
    return answer();
  }) as unknown as typeof fetch;
  return { fetchImpl, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("record keys", () => {
  it("writes TIDs as the spec's examples say", () => {
    expect(encodeTid(0n, 0)).toBe("2222222222222");
    for (const valid of ["3jzfcijpj2z2a", "7777777777777", "3zzzzzzzzzzzz", "2222222222222"]) {
      expect(isTid(valid)).toBe(true);
    }
    for (const invalid of [
      "3jzfcijpj2z21",
      "0000000000000",
      "3JZFCIJPJ2Z2A",
      "3jzfcijpj2z2aa",
      "3jzf-cij-pj2z-2a",
      "zzzzzzzzzzzzz",
    ]) {
      expect(isTid(invalid)).toBe(false);
    }
    // 63 bits at most, the top one 0: the first of 13 base32 digits stays within "234567ab".
    expect(encodeTid(2n ** 53n - 1n, 1023)).toBe("bzzzzzzzzzzzz");
    expect(() => encodeTid(2n ** 53n, 0)).toThrow(RangeError);
  });

  it("derives a job's key from the job alone: the same at every attempt, another for another job", () => {
    const job = {
      id: "3141592653589793238:bluesky:did:plc:ewvi7nxzyoun6zhxrhs64oiz",
      createdAt: Date.UTC(2026, 8, 1, 9),
    };
    const key = postKeyFor(job);
    expect(isTid(key)).toBe(true);
    expect(postKeyFor({ ...job })).toBe(key);
    expect(postKeyFor({ ...job, id: "3141592653589793238:bluesky:did:plc:other" })).not.toBe(key);
    // Its time is the job's, to the millisecond, as TIDs sort by time.
    const value = [...key].reduce(
      (sum, char) => sum * 32n + BigInt("234567abcdefghijklmnopqrstuvwxyz".indexOf(char)),
      0n,
    );
    expect(Number(value >> 10n) / 1000).toBeCloseTo(job.createdAt, -1);
  });
});

describe("facets", () => {
  it("covers each link and hashtag by its UTF-8 bytes", () => {
    const text = "🍞 fresh #rye — https://acme.example/bread, and #crème";
    const facets = facetsOf(text);
    const bytes = Buffer.from(text);
    expect(
      facets.map((facet) => bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString()),
    ).toEqual(["#rye", "https://acme.example/bread", "#crème"]);
  });

  it("leaves sentence punctuation out of a link, but keeps a bracket the link opened", () => {
    const [wiki, plain] = facetsOf(
      "See https://en.wikipedia.org/wiki/Rye_(grain)). Or https://acme.example!",
    );
    expect(wiki?.features[0]).toEqual({
      $type: "app.bsky.richtext.facet#link",
      uri: "https://en.wikipedia.org/wiki/Rye_(grain)",
    });
    expect(plain?.features[0]).toEqual({
      $type: "app.bsky.richtext.facet#link",
      uri: "https://acme.example/",
    });
  });

  it("links a www. address over https, marks no @mention, and skips a tag longer than Bluesky takes", () => {
    const facets = facetsOf(`www.acme.example @chef.anna #${"a".repeat(65)} #ok`);
    expect(facets.map((facet) => facet.features[0])).toEqual([
      { $type: "app.bsky.richtext.facet#link", uri: "https://www.acme.example/" },
      { $type: "app.bsky.richtext.facet#tag", tag: "ok" },
    ]);
  });
});

describe("the XRPC client", () => {
  it("calls the PDS's XRPC path with the token in the Authorization header only, and no cookie", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, { ok: true }));
    await createXrpcClient(fetchImpl).call({
      origin: PDS,
      method: "GET",
      nsid: "com.atproto.repo.getRecord",
      token: "SECRET-JWT",
      params: { repo: "did:plc:x", rkey: "3jzfcijpj2z2a" },
    });
    const [request] = requests;
    expect(request?.url).toBe(`${PDS}/xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Ax&rkey=3jzfcijpj2z2a`);
    expect(request?.url).not.toContain("SECRET-JWT");
    expect(new Headers(request?.init.headers).get("authorization")).toBe("Bearer SECRET-JWT");
    expect(request?.init.credentials).toBe("omit");
    expect(request?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it("refuses an origin that is not plain https, or a method name that is not one, without a call", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, {}));
    const client = createXrpcClient(fetchImpl);
    const bad = [
      { origin: "http://pds.example", nsid: "com.atproto.repo.getRecord" },
      { origin: "https://user:pw@pds.example", nsid: "com.atproto.repo.getRecord" },
      { origin: "https://pds.example/evil", nsid: "com.atproto.repo.getRecord" },
      { origin: PDS, nsid: "../../admin" },
      { origin: PDS, nsid: "com.atproto.repo.getRecord?x=1" },
    ];
    for (const request of bad) {
      await expect(client.call({ ...request, method: "GET" })).rejects.toBeInstanceOf(BlueskyError);
    }
    expect(requests).toHaveLength(0);
  });

  it("sends a blob as the body with its own type", async () => {
    const { fetchImpl, requests } = recordingFetch(() => json(200, {}));
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" });
    await createXrpcClient(fetchImpl).call({
      origin: PDS,
      method: "POST",
      nsid: "com.atproto.repo.uploadBlob",
      blob: photo,
    });
    expect(requests[0]?.init.body).toBe(photo);
    expect(new Headers(requests[0]?.init.headers).get("content-type")).toBe("image/jpeg");
  });

  it("takes a timeout as a transient failure that may have done its work, and no answer as a network error", async () => {
    const timeout = createXrpcClient(async () => {
      throw new DOMException("The operation timed out.", "TimeoutError");
    });
    await expect(
      timeout.call({ origin: PDS, method: "POST", nsid: "com.atproto.repo.createRecord" }),
    ).rejects.toMatchObject({
      kind: "transient",
      message: "Bluesky did not answer in time.",
      details: { outcomeUnknown: true, networkError: false },
    });
    const offline = createXrpcClient(async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(
      offline.call({ origin: PDS, method: "POST", nsid: "com.atproto.repo.createRecord" }),
    ).rejects.toMatchObject({
      kind: "transient",
      details: { outcomeUnknown: true, networkError: true },
    });
  });

  it("lets the fetch's own refusal through: no access to the host means nothing was sent", async () => {
    const refusal = new ShareError("transient", "alsoshare can't reach pds.host.bsky.network", {
      hostAccessMissing: true,
    });
    const client = createXrpcClient(async () => {
      throw refusal;
    });
    await expect(client.call({ origin: PDS, method: "GET", nsid: "app.bsky.actor.getProfile" })).rejects.toBe(
      refusal,
    );
  });

  it("takes a 200 that is not JSON as a failure that may have done its work", async () => {
    const client = createXrpcClient(async () => new Response("<html>ok</html>", { status: 200 }));
    await expect(
      client.call({ origin: PDS, method: "POST", nsid: "com.atproto.repo.createRecord" }),
    ).rejects.toMatchObject({
      kind: "transient",
      details: { status: 200, outcomeUnknown: true },
    });
  });

  it("reads the wait of a rate limit from ratelimit-reset, counted from the answer's own date", async () => {
    const answeredAt = Date.UTC(2026, 8, 1, 9, 0, 0);
    const client = createXrpcClient(
      async () =>
        json(
          429,
          { error: "RateLimitExceeded", message: "Rate Limit Exceeded" },
          {
            "ratelimit-reset": String(answeredAt / 1000 + 120),
            "ratelimit-remaining": "0",
            date: new Date(answeredAt).toUTCString(),
          },
        ),
      // The device's clock is an hour off; the wait is still the PDS's.
      () => answeredAt + 3_600_000,
    );
    await expect(
      client.call({ origin: PDS, method: "POST", nsid: "com.atproto.repo.createRecord" }),
    ).rejects.toMatchObject({
      kind: "rate-limit",
      details: { retryAfterMs: 120_000, limits: "account", xrpcError: "RateLimitExceeded" },
    });
  });
});

describe("the XRPC error table", () => {
  it.each([
    [400, "ExpiredToken", "Token has expired", "auth"],
    [400, "InvalidToken", "Token could not be verified", "auth"],
    [401, "AuthMissing", "Authentication Required", "auth"],
    [401, "AccountTakedown", "Account has been taken down", "auth"],
    [401, "AccountDeactivated", "Account is deactivated", "auth"],
    [401, undefined, "Unauthorized", "auth"],
    [429, "RateLimitExceeded", "Rate Limit Exceeded", "rate-limit"],
    [429, undefined, "Too Many Requests", "rate-limit"],
    [400, "InvalidRequest", "Invalid app.bsky.feed.post record: …", "invalid"],
    [413, "PayloadTooLarge", "request entity too large", "invalid"],
    [400, "BlobTooLarge", "This file is too large", "invalid"],
    [400, "InvalidSwap", "Record was at bafyrei…", "duplicate"],
    [400, "InvalidRequest", "Record already exists", "duplicate"],
    [403, "Forbidden", "Forbidden", "permission"],
    [500, "InternalServerError", "Internal Server Error", "transient"],
    [502, undefined, "Bad Gateway", "transient"],
    [504, "UpstreamTimeout", "Upstream Timeout", "transient"],
  ] as const)("HTTP %i %s is %s", (status, error, message, kind) => {
    expect(classifyXrpcError(status, error, message)).toBe(kind);
  });
});
