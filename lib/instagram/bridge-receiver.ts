import { PORT_EVENT, READY_EVENT, startedBeforePage } from "./bridge";
import {
  type InstagramSharedTo,
  instagramSharedToSchema,
  type PublishedPost,
  publishedPostSchema,
} from "./post";

/** One publish the network observer saw: the post, and where Instagram itself cross-posted it. */
export type ObservedPublish = { post: PublishedPost; instagramSharedTo: InstagramSharedTo | undefined };

/**
 * Isolated world: takes the first port offered and calls `onPublish` for each summary that carries
 * this load's nonce and passes the schema. Everything from the page is treated as hostile. Answers
 * false when the page's scripts ran before ours, and so no channel can be trusted in this tab.
 */
export function acceptBridge(
  win: Window,
  onPublish: (publish: ObservedPublish) => void,
  signal: AbortSignal,
): boolean {
  if (!startedBeforePage(win.document)) return false;
  const onPort = (event: Event) => {
    const port = event instanceof MessageEvent ? event.ports[0] : undefined;
    const nonce = event instanceof MessageEvent ? event.data : undefined;
    if (!port || typeof nonce !== "string") return;
    event.preventDefault();
    win.removeEventListener(PORT_EVENT, onPort);
    port.onmessage = (message) => {
      const publish = readSummary(message.data, nonce);
      if (publish) onPublish(publish);
    };
    signal.addEventListener("abort", () => port.close(), { once: true });
  };
  // Only the first offer is taken. Both scripts run before any page script, so the first offer is
  // the network observer's, whichever of the two started first; any later one is a forgery.
  win.addEventListener(PORT_EVENT, onPort);
  win.dispatchEvent(new Event(READY_EVENT));
  return true;
}

function readSummary(data: unknown, nonce: string): ObservedPublish | undefined {
  if (typeof data !== "string" || data.length > 1_000_000) return undefined;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message !== "object" || message === null || !("nonce" in message) || message.nonce !== nonce) {
      return undefined;
    }
    const summary: unknown = "summary" in message ? message.summary : undefined;
    const parsed = publishedPostSchema.safeParse(summary);
    if (!parsed.success) return undefined;
    // A cross-post we cannot read is no cross-post: we then share as the user chose.
    const sharedTo = instagramSharedToSchema.safeParse(
      typeof summary === "object" && summary !== null && "instagramSharedTo" in summary
        ? summary.instagramSharedTo
        : undefined,
    );
    return { post: parsed.data, instagramSharedTo: sharedTo.success ? sharedTo.data : undefined };
  } catch {
    return undefined;
  }
}
