import { defineContentScript } from "wxt/utils/define-content-script";
import { offerBridge } from "@/lib/instagram/bridge";
import { CONFIGURE_PATH, summarizeConfigureAnswer } from "@/lib/instagram/configure";

/**
 * Instagram's JS world: watches its own requests for the configure answer that proves a post was
 * published. It only reads; it takes no command and never changes a request or an answer.
 */
export default defineContentScript({
  matches: ["https://www.instagram.com/*"],
  world: "MAIN",
  runAt: "document_start",
  main() {
    const send = offerBridge(window);
    const report = (url: string, answer: unknown) => {
      const summary = summarizeConfigureAnswer(url, answer);
      if (summary) send(summary);
    };
    const isConfigure = (url: string) => {
      try {
        const parsed = new URL(url, location.href);
        return parsed.origin === location.origin && CONFIGURE_PATH.test(parsed.pathname);
      } catch {
        return false;
      }
    };

    const pageFetch = window.fetch;
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const pending = pageFetch.call(this, input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (isConfigure(url)) {
        pending
          .then((response) => response.clone().json())
          .then((answer) => report(url, answer))
          .catch(() => undefined);
      }
      return pending;
    };

    const pageOpen = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (
      this: XMLHttpRequest,
      ...args: Parameters<XMLHttpRequest["open"]>
    ) {
      const url = String(args[1]);
      if (isConfigure(url)) {
        this.addEventListener("load", () => {
          try {
            const answer = this.responseType === "json" ? this.response : JSON.parse(this.responseText);
            report(url, answer);
          } catch {
            // Not JSON: not a configure answer we can read.
          }
        });
      }
      return pageOpen.apply(this, args);
    } as XMLHttpRequest["open"];
  },
});
