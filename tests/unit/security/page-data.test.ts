import { describe, expect, it } from "vitest";
import { giveConsent, photoPost } from "../../support/fixtures";
import { contentSender, pageSender, type Sender } from "../../support/senders";
import { quietBackground } from "./background";

const USER = "5723140019";
const PK = "3141592653589793238";
const CDN = "https://scontent.cdninstagram.com/v/t51.2885-15/17000000000001_n.jpg?stp=dst-jpg_e35";

/** A media/info item as Instagram answers it: pk a number (it overflows), the full id a string. */
function media(overrides: Record<string, unknown> = {}) {
  return {
    pk: Number(PK),
    id: `${PK}_${USER}`,
    code: "DAbCdEfGhIj",
    media_type: 1,
    taken_at: 1_780_000_000,
    user: { pk: Number(USER) },
    caption: { text: "Instagram's own caption" },
    image_versions2: { candidates: [{ url: CDN, width: 1080, height: 1080 }] },
    ...overrides,
  };
}

/** Asks the real background, as our content script in an Instagram tab does (or as `sender`). */
async function ask(type: "instagram.readPublish" | "instagram.readMedia", payload: unknown, sender?: Sender) {
  const { route } = quietBackground();
  return route({ type, payload }, sender ?? contentSender());
}

const readPublish = async (summary: unknown) => {
  await giveConsent();
  const reply = await ask("instagram.readPublish", { summary });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.data;
};

const offCdn = (url: string) => ({ ...photoPost(), media: [{ type: "image", url }] });

describe("the background reads what the network observer reported of a publish", () => {
  it("reads a summary in our shape as the post it names", async () => {
    expect(await readPublish(photoPost())).toEqual({ post: photoPost() });
  });

  it("drops anything a summary adds: the page cannot choose targets or the Facebook text", async () => {
    const summary = { ...photoPost("111"), targets: ["1001"], message: "page's words", share: true };
    expect(await readPublish(summary)).toEqual({ post: photoPost("111") });
  });

  it.each([
    ["media off Instagram's CDN", offCdn("https://evil.example/cdninstagram.com/a.jpg")],
    ["a look-alike CDN host", offCdn("https://scontent.cdninstagram.com.evil.example/a.jpg")],
    ["plain http media", offCdn("http://scontent.cdninstagram.com/a.jpg")],
    ["a post id that is not one", { ...photoPost(), pk: "1; alert(1)" }],
    ["no media", { ...photoPost(), media: [] }],
    ["no summary at all", undefined],
  ])("reads no post from %s, so nothing is shared", async (_what, summary) => {
    expect(await readPublish(summary)).toBeNull();
  });

  it("keeps a cross-post it can read, and takes one it cannot as none: the post is still shared", async () => {
    const shared = { type: "page", id: "1001", postId: "1001555" };
    expect(await readPublish({ ...photoPost(), instagramSharedTo: shared })).toEqual({
      post: photoPost(),
      instagramSharedTo: shared,
    });
    for (const forged of [
      { type: "page", id: "all" },
      { type: "everyone" },
      "page",
      { type: "page", postId: "x" },
    ]) {
      expect(await readPublish({ ...photoPost(), instagramSharedTo: forged })).toEqual({ post: photoPost() });
    }
  });
});

describe("the background reads Instagram's media/info answer the tab fetched", () => {
  const readMedia = async (answer: unknown) => {
    await giveConsent();
    const reply = await ask("instagram.readMedia", { answer });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.data;
  };

  it("reads which post it is, whose, when it was taken, and the post as Instagram tells it", async () => {
    expect(await readMedia({ status: "ok", items: [media()] })).toEqual({
      pk: PK,
      owner: USER,
      takenAt: 1_780_000_000_000,
      post: {
        pk: PK,
        code: "DAbCdEfGhIj",
        kind: "photo",
        caption: "Instagram's own caption",
        media: [{ type: "image", url: CDN, width: 1080, height: 1080 }],
      },
    });
  });

  it.each([
    ["items that are not a list", { status: "ok", items: "nope" }],
    ["no items", { status: "ok", items: [] }],
    ["a failed status", { status: "fail", items: [media()] }],
    ["no time it was taken", { status: "ok", items: [media({ taken_at: "today" })] }],
    ["no owner", { status: "ok", items: [media({ user: undefined })] }],
    ["text that was not JSON", undefined],
  ])("reads nothing from %s", async (_what, answer) => {
    expect(await readMedia(answer)).toBeNull();
  });

  it("reads no post to share from media off Instagram's CDN, though it says whose it is", async () => {
    const answer = {
      status: "ok",
      items: [media({ image_versions2: { candidates: [{ url: "https://evil.example/a.jpg" }] } })],
    };
    expect(await readMedia(answer)).toMatchObject({ pk: PK, owner: USER, post: null });
  });
});

describe("who may ask the background to read page data", () => {
  it.each(["instagram.readPublish", "instagram.readMedia"] as const)(
    "%s: only our Instagram tab's top frame, and only with consent",
    async (type) => {
      const payload = type === "instagram.readPublish" ? { summary: photoPost() } : { answer: {} };
      expect(await ask(type, payload)).toMatchObject({ ok: false, error: { code: "forbidden" } });
      await giveConsent();
      expect(await ask(type, payload, pageSender())).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await ask(type, payload, contentSender({ frameId: 3 }))).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await ask(type, { ...payload, extra: 1 })).toMatchObject({
        ok: false,
        error: { code: "bad-request" },
      });
      expect(await ask(type, payload)).toMatchObject({ ok: true });
    },
  );
});
