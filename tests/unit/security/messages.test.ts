import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { addJobsOnce } from "@/lib/db/jobs";
import { openDatabase } from "@/lib/db/open";
import { type RequestType, requests } from "@/lib/messages/protocol";
import { giveConsent, jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { contentSender, OUR_ID, pageSender, type Sender } from "../../support/senders";
import { quietBackground } from "./background";

const TYPES = Object.keys(requests) as RequestType[];
const INSTAGRAM_TYPES = TYPES.filter((type) => requests[type].from === "instagram");
const EXTENSION_TYPES = TYPES.filter((type) => requests[type].from === "extension");

const popupSender = () => pageSender("popup.html");

/** The real handlers over fake-indexeddb, consent given, a Page linked and one share in its history. */
async function realBackground() {
  await giveConsent();
  const page = await linkPage();
  const post = photoPost();
  await addJobsOnce([{ ...jobFor(post, page, 5), state: "failed" }]);
  const { route, graph } = quietBackground();
  return { route, graph, post };
}

/** Every record of every store, keys included: equal snapshots mean nothing was written. */
async function snapshot(): Promise<unknown> {
  const db = await openDatabase();
  const stores = ["accounts", "settings", "jobs", "events"] as const;
  const dump: Record<string, unknown> = {};
  for (const store of stores) {
    dump[store] = { keys: await db.getAllKeys(store), values: await db.getAll(store) };
  }
  return dump;
}

const anyPayload = fc.oneof(fc.jsonValue(), fc.object(), fc.anything());

describe("every handler, fed random messages through the router", () => {
  it("answers each with a reply, never a throw, and changes nothing unless the payload is valid", async () => {
    const { route, graph } = await realBackground();
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPES),
        anyPayload,
        fc.constantFrom(popupSender(), contentSender()),
        async (type, payload, sender) => {
          const valid = requests[type].payload.safeParse(payload).success;
          fc.pre(!valid);
          const reply = await route({ type, payload }, sender);
          expect(reply.ok).toBe(false);
          expect(graph.calls).toHaveLength(0);
          expect(await snapshot()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers random envelopes (not even a message) with a typed refusal", async () => {
    const { route, graph } = await realBackground();
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        anyPayload,
        fc.constantFrom(popupSender(), contentSender()),
        async (message, sender) => {
          const reply = await route(message, sender);
          expect(reply).toMatchObject({ ok: false });
          expect(graph.calls).toHaveLength(0);
        },
      ),
      { numRuns: 300 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it("keeps valid-looking share requests for accounts that are not linked from creating anything", async () => {
    const { route, graph } = await realBackground();
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.stringMatching(/^[0-9]{1,20}$/).filter((id) => id !== "1001"),
          { minLength: 1, maxLength: 5 },
        ),
        fc.string({ maxLength: 300 }),
        async (targets, message) => {
          const reply = await route(
            { type: "share.request", payload: { post: photoPost("777"), targets, message } },
            contentSender(),
          );
          expect(reply).toMatchObject({ ok: false, error: { code: "bad-request" } });
        },
      ),
      { numRuns: 100 },
    );
    expect(graph.calls).toHaveLength(0);
    expect(await snapshot()).toEqual(before);
  });
});

describe("forged senders, against the real handlers", () => {
  const forged: [string, Sender][] = [
    ["another extension", { ...popupSender(), id: "someoneelse" }],
    ["another extension's page", { id: "someoneelse", url: "chrome-extension://someoneelse/popup.html" }],
    [
      "a web page (no extension id)",
      { url: "https://www.instagram.com/", tab: { id: 7 } as Sender["tab"], frameId: 0 },
    ],
    ["our content script in a sub-frame", contentSender({ frameId: 3 })],
    ["our content script on another site", contentSender({ url: "https://evil.example/" })],
    ["a look-alike host", contentSender({ url: "https://www.instagram.com.evil.example/" })],
    ["Instagram over plain http", contentSender({ url: "http://www.instagram.com/" })],
    ["a userinfo trick", contentSender({ url: "https://www.instagram.com@evil.example/" })],
    ["an Instagram sender outside any tab", contentSender({ tab: undefined })],
    ["a sender with no URL", { id: OUR_ID }],
  ];

  it.each(forged)("refuses every message from %s and does nothing", async (_who, sender) => {
    const { route, graph } = await realBackground();
    const before = await snapshot();
    for (const type of TYPES) {
      const reply = await route({ type, payload: {} }, sender);
      expect(reply, type).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(graph.calls).toHaveLength(0);
    expect(await snapshot()).toEqual(before);
  });

  it.each(EXTENSION_TYPES)("refuses the privileged %s to the composer content script", async (type) => {
    const { route, graph } = await realBackground();
    const before = await snapshot();
    const payloads = [
      {},
      { token: "EAAGforgedtoken0123456789" },
      { id: "1001", queuedJobs: "cancel" },
      { limit: 10 },
      { id: "3141592653589793238:1001" },
    ];
    for (const payload of payloads) {
      expect(await route({ type, payload }, contentSender())).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
    expect(graph.calls).toHaveLength(0);
    expect(await snapshot()).toEqual(before);
  });
});

describe("what the composer content script can learn", () => {
  it("never includes a Page token in any answer to an Instagram sender", async () => {
    const { route, post } = await realBackground();
    // A valid payload per composer message; a new one must be added here to be checked.
    const valid: Partial<Record<RequestType, unknown>> = {
      "composer.context": {},
      "share.request": { post: photoPost("888"), targets: ["1001"], message: "hello" },
      "share.declined": { pk: "889" },
      "share.retry": { pk: post.pk },
      "share.status": { pk: post.pk },
      "composer.unrecognized": { reason: "no caption box" },
      "instagram.readPublish": {
        summary: { ...photoPost("890"), instagramSharedTo: { type: "page", id: "1001" } },
      },
      "instagram.readMedia": { answer: { status: "ok", items: [] } },
    };
    const replies = [];
    for (const type of INSTAGRAM_TYPES) {
      expect(valid[type], `a valid ${type} payload for this test`).toBeDefined();
      const reply = await route({ type, payload: valid[type] }, contentSender());
      expect(reply, type).toMatchObject({ ok: true });
      replies.push(reply);
    }
    // Errors too: a share for an unlinked Page, and a malformed one.
    replies.push(
      await route(
        { type: "share.request", payload: { post: photoPost("889"), targets: ["9"], message: "" } },
        contentSender(),
      ),
    );
    replies.push(await route({ type: "share.retry", payload: { pk: PAGE_TOKEN } }, contentSender()));
    const text = JSON.stringify(replies);
    expect(text).toContain("Acme Bakery");
    expect(text).not.toContain(PAGE_TOKEN);
    expect(text).not.toMatch(/"token"/);
  });
});

describe("what leaves through export and diagnostics", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps the Page token out of an export unless the user asks for it", async () => {
    const { route } = await realBackground();
    const without = await route({ type: "data.export", payload: { includeTokens: false } }, popupSender());
    expect(without).toMatchObject({ ok: true });
    expect(JSON.stringify(without)).not.toContain(PAGE_TOKEN);
    const withTokens = await route({ type: "data.export", payload: { includeTokens: true } }, popupSender());
    expect(JSON.stringify(withTokens)).toContain(PAGE_TOKEN);
  });

  it("keeps the Page token out of the diagnostics report, even when an error message carried it", async () => {
    const { route } = await realBackground();
    const page = await linkPage();
    await addJobsOnce([
      {
        ...jobFor(photoPost("555"), page, 6),
        state: "failed",
        lastError: { kind: "invalid", message: `Graph said: bad access_token=${PAGE_TOKEN}`, at: 7 },
      },
    ]);
    vi.stubGlobal("navigator", { userAgent: "Firefox/153.0" });
    vi.spyOn(fakeBrowser.runtime, "getManifest").mockReturnValue({
      manifest_version: 3,
      name: "alsoshare",
      version: "0.1.0",
    });
    const reply = await route({ type: "data.diagnostics", payload: {} }, popupSender());
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
    expect(JSON.stringify(reply)).toContain("Graph said");
    expect(JSON.stringify(reply)).not.toContain(PAGE_TOKEN);
  });
});
