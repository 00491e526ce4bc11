// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { startComposer } from "@/entrypoints/composer.content/controller";
import { offerBridge } from "@/lib/instagram/bridge";
import type { RequestType } from "@/lib/messages/protocol";
import type { ComposerContext } from "@/lib/messages/views";
import { asAtDocumentStart } from "../../support/document-start";
import { giveConsent, linkPage, photoPost } from "../../support/fixtures";
import { contentSender, pageSender } from "../../support/senders";
import { userPress } from "../../support/user-press";
import { portalFrom } from "../instagram/composer-fixtures";
import { quietBackground } from "./background";

let stop = new AbortController();
afterEach(() => {
  stop.abort();
  stop = new AbortController();
  document.body.replaceChildren();
});

const settle = async () => {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe("the background before and after the user's consent", () => {
  const share = (route: ReturnType<typeof quietBackground>["route"], pk: string) =>
    route(
      { type: "share.request", payload: { post: photoPost(pk), targets: ["1001"], message: "Fresh bread" } },
      contentSender(),
    );

  it("gives the composer nothing and refuses every share until the user allows it", async () => {
    await linkPage();
    const { route } = quietBackground();
    expect(await route({ type: "composer.context", payload: {} }, contentSender())).toEqual({
      ok: true,
      data: { consent: false },
    });
    expect(await share(route, "101")).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringMatching(/Allow it in alsoshare’s options/) },
    });
    expect(
      await route({ type: "composer.unrecognized", payload: { reason: "x" } }, contentSender()),
    ).toMatchObject({ ok: false });

    await giveConsent();
    expect(await route({ type: "composer.context", payload: {} }, contentSender())).toMatchObject({
      ok: true,
      data: { consent: true, proposedTargets: ["1001"] },
    });
    expect(await share(route, "102")).toMatchObject({ ok: true });
  });

  it("refuses shares again once consent is withdrawn in the options", async () => {
    await giveConsent();
    await linkPage();
    const { route } = quietBackground();
    const withdrawn = await route(
      { type: "settings.update", payload: { patch: { consent: { readInstagram: false, at: 5 } } } },
      pageSender("options.html"),
    );
    expect(withdrawn).toMatchObject({ ok: true, data: { consent: { readInstagram: false } } });
    expect(await share(route, "103")).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("does not take a consent an Instagram tab claims to give", async () => {
    const { route } = quietBackground();
    const claimed = await route(
      { type: "settings.update", payload: { patch: { consent: { readInstagram: true } } } },
      contentSender(),
    );
    expect(claimed).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await route({ type: "composer.context", payload: {} }, contentSender())).toMatchObject({
      data: { consent: false },
    });
  });
});

describe("the composer in Instagram's page, as the background answers about consent", () => {
  asAtDocumentStart();

  /** Both our scripts at document_start, then Instagram's composer at its caption step. */
  async function loadInstagram(context: () => ComposerContext) {
    const asked: RequestType[] = [];
    // The MAIN world's end, as the network observer holds it.
    const post = Object.getPrototypeOf(new MessageChannel().port1).postMessage;
    const main = offerBridge(window, post);
    startComposer(window, stop.signal, {
      request: async (type) => {
        asked.push(type);
        if (type !== "composer.context") throw new Error(`${type} was not expected`);
        return context() as never;
      },
      t: (key) => key,
      now: Date.now,
      confirm: () => Promise.reject(new Error("nothing to confirm")),
    });
    await settle();
    Reflect.deleteProperty(document, "readyState");
    document.dispatchEvent(new Event("DOMContentLoaded"));
    // The user presses Next; Instagram shows its caption step.
    userPress();
    document.body.append(portalFrom("caption-step-en", document));
    await settle();
    const switchShown = () =>
      document.querySelector("alsoshare-panel")?.shadowRoot?.querySelector('[role="switch"]') != null;
    return { asked, reading: () => main?.reading() ?? false, switchShown };
  }

  const consented: ComposerContext = {
    consent: true,
    accounts: [{ id: "1001", kind: "page", name: "Acme Bakery", status: "ok" }] as never,
    settings: {
      autoShare: { photo: false, carousel: false, video: false, reel: false, story: false },
      caption: undefined as never,
      delayMinutes: 0,
    },
    proposedTargets: ["1001"],
  };

  it("shows no switch, lets the network observer read nothing, and sends nothing without consent", async () => {
    const page = await loadInstagram(() => ({ consent: false }));
    expect(page.switchShown()).toBe(false);
    expect(page.reading()).toBe(false);
    expect(page.asked).toEqual(["composer.context"]);
  });

  it("shows the switch and lets the network observer read once the user has consented", async () => {
    const page = await loadInstagram(() => consented);
    expect(page.switchShown()).toBe(true);
    expect(page.reading()).toBe(true);
  });

  it("takes the switch away and stops the reading when consent is withdrawn while the page is open", async () => {
    let answer: ComposerContext = consented;
    const page = await loadInstagram(() => answer);
    expect(page.switchShown()).toBe(true);
    answer = { consent: false };
    document.body.replaceChildren();
    await settle();
    // The user presses Next; Instagram shows its caption step.
    userPress();
    document.body.append(portalFrom("caption-step-en", document));
    await settle();
    expect(page.switchShown()).toBe(false);
    expect(page.reading()).toBe(false);
  });
});
