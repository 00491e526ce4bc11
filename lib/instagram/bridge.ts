import { type PublishedPost, publishedPostSchema } from "./post";

/**
 * The private channel from Instagram's JS world (MAIN) to our isolated world. Both scripts run at
 * document_start, before any page script, and hand over a MessagePort with synchronous DOM events:
 * whoever starts second completes the handshake, and the port is gone from the DOM before the page
 * runs. Anything that arrives later on these event names is the page's, and is ignored.
 */
const PORT_EVENT = "alsoshare:bridge-port";
const READY_EVENT = "alsoshare:bridge-ready";

/** MAIN world: returns a function that sends one configure summary to the isolated world. */
export function offerBridge(win: Window): (summary: unknown) => void {
  const channel = new MessageChannel();
  const nonce = crypto.randomUUID();
  const handOver = () =>
    // Our isolated world takes the port by cancelling the event; nobody else can be listening yet.
    !win.dispatchEvent(new MessageEvent(PORT_EVENT, { data: nonce, ports: [channel.port2], cancelable: true }));
  if (!handOver()) {
    const onReady = () => {
      if (handOver()) win.removeEventListener(READY_EVENT, onReady);
    };
    win.addEventListener(READY_EVENT, onReady);
  }
  return (summary) => channel.port1.postMessage(JSON.stringify({ nonce, summary }));
}

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
  win.addEventListener(PORT_EVENT, onPort);
  win.dispatchEvent(new Event(READY_EVENT));
  // The handshake happens before any page script; later offers can only be forgeries.
  queueMicrotask(() => win.removeEventListener(PORT_EVENT, onPort));
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
