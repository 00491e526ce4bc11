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
    const report = (url: string, answer: unknown, requestBody: unknown) => {
      const summary = summarizeConfigureAnswer(url, answer, requestBody);
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
        const body = init?.body instanceof URLSearchParams ? init.body.toString() : init?.body;
        pending
          .then((response) => response.clone().json())
          .then((answer) => report(url, answer, body))
          .catch(() => undefined);
      }
      return pending;
    };

    // The body each configure XHR was sent with, for Instagram's own share-to-Facebook fields.
    const sentBodies = new WeakMap<XMLHttpRequest, unknown>();
    const pageOpen = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (
      this: XMLHttpRequest,
      ...args: Parameters<XMLHttpRequest["open"]>
    ) {
      const url = String(args[1]);
      if (isConfigure(url)) {
        sentBodies.set(this, undefined);
        this.addEventListener("load", () => {
          try {
            const answer = this.responseType === "json" ? this.response : JSON.parse(this.responseText);
            report(url, answer, sentBodies.get(this));
          } catch {
            // Not JSON: not a configure answer we can read.
          }
        });
      }
      return pageOpen.apply(this, args);
    } as XMLHttpRequest["open"];

    const pageSend = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (
      this: XMLHttpRequest,
      body?: Document | XMLHttpRequestBodyInit | null,
    ) {
      if (sentBodies.has(this))
        sentBodies.set(this, body instanceof URLSearchParams ? body.toString() : body);
      return pageSend.call(this, body);
    };
  },
});
