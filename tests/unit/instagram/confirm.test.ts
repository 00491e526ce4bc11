import { describe, expect, it } from "vitest";
import {
  CONFIRM_LOOK_AGAIN_MS,
  type ConfirmDeps,
  confirmWithInstagram,
  readOwnPost,
} from "@/lib/instagram/confirm";
import { readMediaInfo } from "@/lib/instagram/media-info";

const USER = "5723140019";
const PK = "3141592653589793238";
const PRESSED_AT = Date.UTC(2026, 11, 1, 12, 0, 0);
const CDN = "https://scontent.cdninstagram.com/v/t51.2885-15/17000000000001_n.jpg?stp=dst-jpg_e35";

/** A media/info item as Instagram answers it: pk a number (it overflows), the full id a string. */
function media(overrides: Record<string, unknown> = {}) {
  return {
    pk: Number(PK),
    id: `${PK}_${USER}`,
    code: "DAbCdEfGhIj",
    media_type: 1,
    product_type: "feed",
    taken_at: PRESSED_AT / 1000 + 3,
    user: { pk: Number(USER), username: "acme.bakery" },
    caption: { text: "Instagram's own caption" },
    image_versions2: { candidates: [{ url: CDN, width: 1080, height: 1080 }] },
    ...overrides,
  };
}

type Answer = { status: number; body?: unknown; date?: number } | "network-error";

/** Instagram's answers, one per look; records each request and each wait. */
function instagram(answers: Answer[], overrides: Partial<ConfirmDeps> = {}) {
  const requests: { url: string; init?: RequestInit }[] = [];
  const waits: number[] = [];
  const deps: ConfirmDeps = {
    fetch: async (input, init) => {
      requests.push({ url: String(input), init });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)] ?? "network-error";
      if (answer === "network-error") throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify(answer.body ?? {}), {
        status: answer.status,
        headers: { date: new Date(answer.date ?? PRESSED_AT + 5_000).toUTCString() },
      });
    },
    origin: "https://www.instagram.com",
    now: () => PRESSED_AT + 5_000,
    wait: async (ms) => {
      waits.push(ms);
    },
    signedInUser: () => USER,
    // The background's answer to instagram.readMedia, by the function that gives it.
    readMedia: async (answer) => readMediaInfo(answer),
    ...overrides,
  };
  return {
    deps,
    requests,
    waits,
    confirm: () => confirmWithInstagram(PK, PRESSED_AT, deps),
    readOwn: () => readOwnPost(PK, deps),
  };
}

const found = (item = media(), date?: number): Answer => ({
  status: 200,
  body: { items: [item], status: "ok" },
  date,
});
const unknown: Answer = { status: 400, body: { message: "Media not found or unavailable", status: "fail" } };

describe("confirming an announced post with Instagram itself", () => {
  it("asks media/info with the web app's id and the user's session, and shares what Instagram says", async () => {
    const { confirm, requests } = instagram([found()]);
    const confirmation = await confirm();
    expect(confirmation).toMatchObject({
      confirmed: true,
      post: {
        pk: PK,
        code: "DAbCdEfGhIj",
        kind: "photo",
        caption: "Instagram's own caption",
        media: [{ url: CDN }],
      },
    });
    expect(requests[0]?.url).toBe(`https://www.instagram.com/api/v1/media/${PK}/info/`);
    expect(requests[0]?.init?.credentials).toBe("include");
    expect(requests[0]?.init?.headers).toEqual({ "X-IG-App-ID": "936619743392459" });
  });

  it("looks again while a new post is not readable yet, and confirms it once it is", async () => {
    const { confirm, waits } = instagram([unknown, unknown, found()]);
    expect(await confirm()).toMatchObject({ confirmed: true });
    expect(waits).toEqual(CONFIRM_LOOK_AGAIN_MS.slice(0, 2));
  });

  it("a post Instagram never knew (a forged id) is not confirmed, after a bounded number of looks", async () => {
    const { confirm, requests } = instagram([unknown]);
    expect(await confirm()).toEqual({ confirmed: false, reason: "not-found" });
    expect(requests).toHaveLength(CONFIRM_LOOK_AGAIN_MS.length + 1);
  });

  it("someone else's post is not confirmed, nor any post when who is signed in cannot be trusted", async () => {
    const theirs = media({ id: `${PK}_9990001111`, user: { pk: 9990001111 } });
    expect(await instagram([found(theirs)]).confirm()).toEqual({ confirmed: false, reason: "not-yours" });
    const unknownUser = instagram([found()], { signedInUser: () => undefined });
    expect(await unknownUser.confirm()).toEqual({ confirmed: false, reason: "not-yours" });
  });

  it("the user's own post from before the press is not confirmed, whatever this computer's clock says", async () => {
    const old = media({ taken_at: PRESSED_AT / 1000 - 3 * 86_400 });
    expect(await instagram([found(old)]).confirm()).toEqual({ confirmed: false, reason: "not-new" });
    // This computer's clock a day behind Instagram's: a post made just now is still new...
    const behind = instagram([
      found(media({ taken_at: (PRESSED_AT + 86_400_000) / 1000 }), PRESSED_AT + 86_405_000),
    ]);
    expect(await behind.confirm()).toMatchObject({ confirmed: true });
    // ...and a day ahead, an hour-old post is still old.
    const ahead = instagram([
      found(media({ taken_at: (PRESSED_AT - 86_400_000 - 3_600_000) / 1000 }), PRESSED_AT - 86_395_000),
    ]);
    expect(await ahead.confirm()).toEqual({ confirmed: false, reason: "not-new" });
  });

  it("Instagram down or unreachable on every look is said so, to be tried again", async () => {
    expect(await instagram(["network-error"]).confirm()).toEqual({ confirmed: false, reason: "unreachable" });
    expect(await instagram([{ status: 503 }]).confirm()).toEqual({ confirmed: false, reason: "unreachable" });
    expect(await instagram([{ status: 429 }, found()]).confirm()).toMatchObject({ confirmed: true });
  });

  it("a garbled answer, or one about another post, is not confirmed", async () => {
    expect(await instagram([{ status: 200, body: { items: "nope", status: "ok" } }]).confirm()).toEqual({
      confirmed: false,
      reason: "unreadable",
    });
    const other = media({ pk: Number("3999999999999999999"), id: `3999999999999999999_${USER}` });
    expect(await instagram([found(other)]).confirm()).toEqual({ confirmed: false, reason: "unreadable" });
    const offCdn = media({ image_versions2: { candidates: [{ url: "https://evil.example/a.jpg" }] } });
    expect(await instagram([found(offCdn)]).confirm()).toEqual({ confirmed: false, reason: "unreadable" });
  });
});

describe("reading the user's own post for its post page's button", () => {
  const old = () => media({ taken_at: PRESSED_AT / 1000 - 30 * 86_400 });

  it("an old post of the user's own is read, as Instagram tells it, in one look", async () => {
    const { readOwn, requests, waits } = instagram([found(old())]);
    expect(await readOwn()).toMatchObject({
      confirmed: true,
      post: { pk: PK, code: "DAbCdEfGhIj", caption: "Instagram's own caption", media: [{ url: CDN }] },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.init?.headers).toEqual({ "X-IG-App-ID": "936619743392459" });
    expect(waits).toEqual([]);
  });

  it("someone else's post is not the user's, nor any post once the signed-in user changed", async () => {
    const theirs = media({ id: `${PK}_9990001111`, user: { pk: 9990001111 } });
    expect(await instagram([found(theirs)]).readOwn()).toEqual({ confirmed: false, reason: "not-yours" });
    const changed = instagram([found(old())], { signedInUser: () => undefined });
    expect(await changed.readOwn()).toEqual({ confirmed: false, reason: "not-yours" });
  });

  it("a post Instagram does not know, or cannot be asked about, is not read (and not looked for again)", async () => {
    const missing = instagram([unknown]);
    expect(await missing.readOwn()).toEqual({ confirmed: false, reason: "not-found" });
    expect(missing.requests).toHaveLength(1);
    expect(await instagram(["network-error"]).readOwn()).toEqual({ confirmed: false, reason: "unreachable" });
  });

  it("a garbled answer, one about another post, or media off Instagram's CDN is unreadable", async () => {
    const garbled: Answer = { status: 200, body: { items: "nope", status: "ok" } };
    expect(await instagram([garbled]).readOwn()).toEqual({ confirmed: false, reason: "unreadable" });
    const other = media({ pk: Number("3999999999999999999"), id: `3999999999999999999_${USER}` });
    expect(await instagram([found(other)]).readOwn()).toEqual({ confirmed: false, reason: "unreadable" });
    const offCdn = media({ image_versions2: { candidates: [{ url: "https://evil.example/a.jpg" }] } });
    expect(await instagram([found(offCdn)]).readOwn()).toEqual({ confirmed: false, reason: "unreadable" });
  });
});
