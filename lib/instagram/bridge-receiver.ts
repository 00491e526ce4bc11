import { PORT_EVENT, READY_EVENT } from "./bridge";
import { type PublishedPost, publishedPostSchema } from "./post";

/**
 * Isolated world: takes the first port offered and calls `onPost` for each summary that carries
 * this load's nonce and passes the schema. Everything from the page is treated as hostile.
 */
export function acceptBridge(win: Window, onPost: (post: PublishedPost) => void, signal: AbortSignal): void {
  const onPort = (event: Event) => {
    const port = event instanceof MessageEvent ? event.ports[0] : undefined;
    const nonce = event instanceof MessageEvent ? event.data : undefined;
    if (!port || typeof nonce !== "string") return;
    event.preventDefault();
    win.removeEventListener(PORT_EVENT, onPort);
    port.onmessage = (message) => {
      const post = readSummary(message.data, nonce);
      if (post) onPost(post);
    };
    signal.addEventListener("abort", () => port.close(), { once: true });
  };
  // Only the first offer is taken. Both scripts run before any page script, so the first offer is
  // the network observer's, whichever of the two started first; any later one is a forgery.
  win.addEventListener(PORT_EVENT, onPort);
  win.dispatchEvent(new Event(READY_EVENT));
}

function readSummary(data: unknown, nonce: string): PublishedPost | undefined {
  if (typeof data !== "string" || data.length > 1_000_000) return undefined;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message !== "object" || message === null || !("nonce" in message) || message.nonce !== nonce) {
      return undefined;
    }
    const parsed = publishedPostSchema.safeParse("summary" in message ? message.summary : undefined);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
