import { type Browser, browser } from "wxt/browser";
import type { Reply, RequestPayload, RequestType } from "./protocol";
import { pagePushes, parsePush, type Subscribe, WATCH_PORT } from "./pushes";
import type { Responses } from "./views";

/** Asks the background; resolves with its data or rejects with its sentence. */
export async function request<T extends RequestType>(
  type: T,
  payload: RequestPayload<T>,
): Promise<Responses[T]> {
  const reply = (await browser.runtime.sendMessage({ type, payload })) as Reply<Responses[T]> | undefined;
  if (!reply) throw new Error("The extension did not answer. Reload the page and try again.");
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.data;
}

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
