import { defineContentScript } from "wxt/utils/define-content-script";
import { offerBridge } from "@/lib/instagram/bridge";
import { CONFIGURE_PATH, summarizeConfigureAnswer } from "@/lib/instagram/configure";

/**
 * Instagram's JS world: watches its own requests for the configure answer that announces a post.
 * It only reads, and only once our isolated world said the user consented (the one word it hears,
 * over the private port); it never changes a request or an answer. The page can still
 * lie to it in ways no script in this world can prevent, so what it reports only names a post for
 * the isolated world to confirm with Instagram itself.
 */
export default defineContentScript({
  matches: ["https://www.instagram.com/*"],
  world: "MAIN",
  runAt: "document_start",
  main() {
    // Taken before any page script runs: a page that later replaces one of these cannot reach what
    // we read through it. Every call below goes through `call`, never through the page's prototypes.
    const call = Reflect.apply;
    const parse = JSON.parse;
    const stringify = JSON.stringify;
    const then = Promise.prototype.then;
    const cloneResponse = Response.prototype.clone;
    const readText = Response.prototype.text;
    const getter = (prototype: object, name: string) =>
      Object.getOwnPropertyDescriptor(prototype, name)?.get as (this: unknown) => unknown;
    const fetchedUrl = getter(Response.prototype, "url");
    const responseText = getter(XMLHttpRequest.prototype, "responseText");
    const responseType = getter(XMLHttpRequest.prototype, "responseType");
    const responseOf = getter(XMLHttpRequest.prototype, "response");
    const responseUrl = getter(XMLHttpRequest.prototype, "responseURL");
    const listen = EventTarget.prototype.addEventListener;
    const pageOrigin = location.origin;
    const pageUrl = location.href;
    const PristineURL = URL;
    const pathnameOf = getter(URL.prototype, "pathname");
    const originOf = getter(URL.prototype, "origin");
    const bridge = offerBridge(window, MessagePort.prototype.postMessage);
    // The page's scripts ran before ours (a tab Firefox injected into late): nothing here is ours.
    if (!bridge) return;

    // `url` is the address the browser really fetched (the answer's own), never what the page named:
    // a page can name one URL to us and another to the browser.
    const report = (url: unknown, text: unknown, requestBody: unknown) => {
      if (!bridge.reading() || typeof url !== "string" || typeof text !== "string" || !isConfigure(url))
        return;
      try {
        const summary = summarizeConfigureAnswer(url, call(parse, JSON, [text]), requestBody);
        if (summary) bridge.send(call(stringify, JSON, [summary]) as string);
      } catch {
        // Not JSON: not a configure answer we can read.
      }
    };
    const isConfigure = (url: string) => {
      try {
        const parsed = new PristineURL(url, pageUrl);
        return (
          call(originOf, parsed, []) === pageOrigin &&
          CONFIGURE_PATH.test(call(pathnameOf, parsed, []) as string)
        );
      } catch {
        return false;
      }
    };
    const bodyText = (body: unknown) => (body instanceof URLSearchParams ? String(body) : body);

    const pageFetch = window.fetch;
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const pending = call(pageFetch, this, [input, init]) as Promise<Response>;
      // Without consent, not even the address is looked at.
      if (!bridge.reading()) return pending;
      const url = input instanceof Request ? input.url : String(input);
      if (isConfigure(url)) {
        const body = bodyText(init?.body);
        call(then, pending, [
          (response: Response) => {
            const text = call(readText, call(cloneResponse, response, []), []) as Promise<string>;
            const answeredUrl = call(fetchedUrl, response, []);
            call(then, text, [(answer: string) => report(answeredUrl, answer, body), () => undefined]);
          },
          () => undefined,
        ]);
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
      if (bridge.reading() && isConfigure(String(args[1]))) {
        sentBodies.set(this, undefined);
        call(listen, this, [
          "load",
          (event: Event) => {
            // Only the browser's own load: a page can dispatch a synthetic one on any XHR.
            if (!event.isTrusted || !sentBodies.has(this)) return;
            const type = call(responseType, this, []);
            const text =
              type === "json"
                ? call(stringify, JSON, [call(responseOf, this, [])])
                : type === "" || type === "text"
                  ? call(responseText, this, [])
                  : undefined;
            report(call(responseUrl, this, []), text, sentBodies.get(this));
          },
        ]);
      }
      return call(pageOpen, this, args);
    } as XMLHttpRequest["open"];

    const pageSend = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (
      this: XMLHttpRequest,
      body?: Document | XMLHttpRequestBodyInit | null,
    ) {
      if (sentBodies.has(this)) sentBodies.set(this, bodyText(body));
      return call(pageSend, this, [body]);
    };
  },
});
