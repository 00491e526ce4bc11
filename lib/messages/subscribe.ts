import { type Browser, browser } from "wxt/browser";
import { pagePushes, parsePush, type Subscribe, WATCH_PORT } from "./pushes";

// Apart from client.ts, whose `request` the Instagram content script ships: the pages' pushes and
// their schemas stay out of every Instagram page.

/** A worker stopped by the browser drops the port; this long after, the page connects again. */
const RECONNECT_MS = 1_000;

/**
 * Watches the background through a port and hands every well-formed push to `onEvent`. When the
 * port drops (the worker was stopped), it connects again and says "watch.resumed".
 */
export const subscribe: Subscribe = (onEvent) => {
  let port: Browser.runtime.Port | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    port = browser.runtime.connect({ name: WATCH_PORT });
    port.onMessage.addListener((message: unknown) => {
      const push = parsePush(pagePushes, message);
      if (push) onEvent(push);
    });
    port.onDisconnect.addListener(() => {
      if (stopped) return;
      timer = setTimeout(() => {
        connect();
        onEvent({ type: "watch.resumed" });
      }, RECONNECT_MS);
    });
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    port?.disconnect();
  };
};
