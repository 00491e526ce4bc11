import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import { receiveTabPush } from "@/lib/messages/pushes";
import { startComposer } from "./controller";

/** Our isolated world on instagram.com: the switch in the composer and the status of its share. */
export default defineContentScript({
  matches: ["https://www.instagram.com/*"],
  // document_start, to take the private channel from the network observer before the page runs.
  runAt: "document_start",
  main(ctx) {
    const composer = startComposer(window, ctx.signal, {
      request,
      t: translate,
    });
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      const push = receiveTabPush(message, sender, browser.runtime.id);
      if (push?.type === "share.update") composer.onShareUpdate(push.payload.pk, push.payload.jobs);
    });
  },
});
