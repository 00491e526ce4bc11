// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStatusLine } from "@/entrypoints/composer.content/in-page";
import { startPostPage } from "@/entrypoints/composer.content/post-page";
import type { Confirmation } from "@/lib/instagram/confirm";
import { shortcodeFromPk } from "@/lib/instagram/shortcode";
import type { RequestType } from "@/lib/messages/protocol";
import type { ComposerContext, ShareStatusView } from "@/lib/messages/views";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { photoPost } from "../../support/fixtures";
import { account, translate } from "./support";

const PK = "3100000000000000001";
const POST_PATH = `/p/${shortcodeFromPk(PK)}/`;
const CONSENTED: ComposerContext = {
  consent: true,
  accounts: [account()],
  settings: { autoShare: DEFAULT_SETTINGS.autoShare, caption: DEFAULT_SETTINGS.caption, delayMinutes: 0 },
  proposedTargets: ["1001"],
};

let stop = new AbortController();
afterEach(() => {
  stop.abort();
  stop = new AbortController();
  document.body.replaceChildren();
  history.replaceState(null, "", "/");
});

const settle = async () => {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** A post page as Instagram draws it: the media, then a section of icon buttons. */
function drawPostPage() {
  const buttons = ["Like", "Comment", "Share", "Save"]
    .map((label) => `<div role="button" tabindex="0"><svg aria-label="${label}"></svg></div>`)
    .join("");
  document.body.innerHTML = `<main><article><div role="img"></div><section>${buttons}</section>
    <div>The caption as the page shows it</div></article></main>`;
}

/** The content script's post page part, over a fake background and a fake Instagram. */
function start(options: { context?: ComposerContext; own?: Confirmation; jobs?: ShareStatusView[] } = {}) {
  const asked: RequestType[] = [];
  const looked: string[] = [];
  const api = {
    t: translate,
    now: Date.now,
    request: async (type: RequestType) => {
      asked.push(type);
      if (type === "composer.context") return options.context ?? CONSENTED;
      if (type === "share.status") return options.jobs ?? [];
      throw new Error(`${type} was not expected`);
    },
    readOwnPost: async (pk: string) => {
      looked.push(pk);
      return options.own ?? { confirmed: true, post: photoPost(PK) };
    },
  } as Parameters<typeof startPostPage>[2];
  startPostPage(window, stop.signal, api, createStatusLine(document, stop.signal, api));
  return { asked, looked };
}

const button = () => document.querySelector("alsoshare-post")?.shadowRoot?.querySelector("button");

describe("the inline button on a post page", () => {
  it("sits after Instagram's action bar on the user's own post, asked about by the URL's shortcode", async () => {
    history.replaceState(null, "", POST_PATH);
    drawPostPage();
    const { looked } = start();
    await settle();
    expect(looked).toEqual([PK]);
    expect(button()?.textContent).toBe("Share to Facebook");
    expect(document.querySelector("main section")?.nextElementSibling?.tagName).toBe("ALSOSHARE-POST");
  });

  it("ignores a page script's click: the choice opens only for the user's own", async () => {
    history.replaceState(null, "", POST_PATH);
    drawPostPage();
    start();
    await settle();
    button()?.click();
    await settle();
    expect(document.querySelector("alsoshare-post")?.shadowRoot?.querySelector("textarea")).toBeNull();
  });

  it("appears when the app opens the post in place (pushState, then a redraw)", async () => {
    start();
    await settle();
    expect(button()).toBeUndefined();
    history.pushState(null, "", POST_PATH);
    drawPostPage();
    await vi.waitFor(() => expect(button()?.textContent).toBe("Share to Facebook"));
    // And goes when the app leaves the post.
    history.pushState(null, "", "/");
    document.body.innerHTML = "<main></main>";
    await vi.waitFor(() => expect(document.querySelector("alsoshare-post")).toBeNull());
  });

  it("leaves a busy feed unobserved: the page's subtree is watched on a post page only", async () => {
    const observe = vi.spyOn(MutationObserver.prototype, "observe");
    const watchesSubtree = () => observe.mock.calls.some(([, options]) => options?.subtree === true);
    start();
    await settle();
    document.body.innerHTML = "<main><article></article></main>";
    await settle();
    expect(watchesSubtree()).toBe(false);
    history.pushState(null, "", POST_PATH);
    await vi.waitFor(() => expect(watchesSubtree()).toBe(true));
    observe.mockRestore();
  });

  it("is not offered on someone else's post, nor on a post Instagram cannot confirm", async () => {
    for (const reason of ["not-yours", "not-found", "unreachable"] as const) {
      history.replaceState(null, "", POST_PATH);
      drawPostPage();
      start({ own: { confirmed: false, reason } });
      await settle();
      expect(button(), reason).toBeUndefined();
      stop.abort();
      stop = new AbortController();
    }
  });

  it("without consent asks Instagram nothing and shows nothing", async () => {
    history.replaceState(null, "", POST_PATH);
    drawPostPage();
    const { asked, looked } = start({ context: { consent: false } });
    await settle();
    expect(asked).toEqual(["composer.context"]);
    expect(looked).toEqual([]);
    expect(button()).toBeUndefined();
  });

  it("shows a post already shared as shared, with its link, instead of offering it again", async () => {
    history.replaceState(null, "", POST_PATH);
    drawPostPage();
    start({
      jobs: [
        {
          id: `${PK}:1001`,
          state: "shared",
          targetName: "Acme Bakery",
          service: "Facebook",
          postUrl: "https://www.facebook.com/1",
        },
      ],
    });
    await settle();
    expect(button()).toBeUndefined();
    const status = document.querySelector("alsoshare-status")?.shadowRoot?.querySelector("[role=status]");
    expect(status?.textContent).toContain("Shared to Facebook");
    expect(status?.querySelector("a")?.getAttribute("href")).toBe("https://www.facebook.com/1");
  });
});
