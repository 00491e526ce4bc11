import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import type { ShareUpdate } from "@/lib/messages/views";
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
      // Only our background (not a tab, not another extension) may tell us how a share went.
      if (sender.id !== browser.runtime.id || sender.tab) return;
      const update = message as Partial<ShareUpdate> | null;
      if (update?.type === "share.update" && typeof update.pk === "string" && Array.isArray(update.jobs)) {
        composer.onShareUpdate(update.pk, update.jobs);
      }
    });
  },
});
