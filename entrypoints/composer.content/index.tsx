import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import { translate } from "@/lib/i18n";
import { type ConfirmDeps, confirmWithInstagram, readOwnPost, signedInUserOf } from "@/lib/instagram/confirm";
import { request as send } from "@/lib/messages/client";
import { receiveTabPush } from "@/lib/messages/tab-push";
import { startComposer } from "./controller";
import type { InPageApi } from "./in-page";
import { startPostPage } from "./post-page";

/**
 * Our isolated world on instagram.com: the switch in the composer, the button on the user's own
 * post pages, and the status of their shares.
 */
export default defineContentScript({
  matches: ["https://www.instagram.com/*"],
  // document_start, to take the private channel from the network observer before the page runs.
  runAt: "document_start",
  main(ctx) {
    // Read before the page's scripts run: a page that rewrites the cookie later changes who it claims
    // is signed in, and then nothing is confirmed.
    const userAtStart = signedInUserOf(document);
    // Firefox: the page's own fetch through Xray, so the request is the page's (its cookies, its
    // origin) while the page's scripts cannot touch it. Chrome's isolated world fetch already is.
    const pageWindow = (globalThis as { content?: Window }).content;
    const instagramFetch = pageWindow ? pageWindow.fetch.bind(pageWindow) : fetch.bind(globalThis);
    // This page load's own name, for the background's cap on shares per load (Firefox tells the
    // background no document id): made here, where no page script reaches.
    const loadId = crypto.randomUUID();
    const request: InPageApi["request"] = (type, payload) =>
      send(type, (type === "share.request" ? { ...(payload as object), loadId } : payload) as typeof payload);
    const instagram: ConfirmDeps = {
      fetch: instagramFetch,
      origin: location.origin,
      now: Date.now,
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      signedInUser: () => {
        const user = signedInUserOf(document);
        return user === userAtStart ? user : undefined;
      },
      readMedia: (answer) => request("instagram.readMedia", { answer }),
    };
    const api = { request, t: translate, now: Date.now };
    const { status } = startComposer(window, ctx.signal, {
      ...api,
      confirm: (pk, pressedAt) => confirmWithInstagram(pk, pressedAt, instagram),
    });
    // One status line for the page: the composer's shares and the post pages' follow it alike.
    startPostPage(window, ctx.signal, { ...api, readOwnPost: (pk) => readOwnPost(pk, instagram) }, status);
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      const push = receiveTabPush(message, sender, browser.runtime.id);
      if (push) status.changed(push.payload.pk);
    });
  },
});
