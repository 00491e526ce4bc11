import type { Browser } from "wxt/browser";

type MessageSender = Browser.runtime.MessageSender;

export type SenderKind = "instagram" | "extension";

const INSTAGRAM_ORIGIN = "https://www.instagram.com";

/**
 * Who sent a message, or undefined for anyone we do not answer: other extensions, web pages,
 * sub-frames, other sites. `extensionOrigin` is ours, e.g. `chrome-extension://<id>`.
 */
export function senderKind(
  sender: MessageSender,
  ourId: string,
  extensionOrigin: string,
): SenderKind | undefined {
  if (sender.id !== ourId || !sender.url) return undefined;
  // URL.origin is "null" for extension schemes in some engines, so our pages are matched by prefix.
  if (sender.url.startsWith(`${extensionOrigin}/`)) return "extension";
  let origin: string;
  try {
    origin = new URL(sender.url).origin;
  } catch {
    return undefined;
  }
  if (origin === INSTAGRAM_ORIGIN && sender.tab?.id !== undefined && sender.frameId === 0) return "instagram";
  return undefined;
}
