import type { Browser } from "wxt/browser";

/**
 * To the Instagram tab that asked for a share: that post's shares changed. It names the post only;
 * the tab reads the shares with `share.status`, so all it takes from us is answers to its requests.
 */
export type TabPush = { type: "share.update"; payload: { pk: string } };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/**
 * A push to the composer content script, if it is one: only our own background (not a tab, not
 * another extension) may send it, and only in exactly this shape; anything else is undefined.
 * Checked by hand, not with zod, so that every Instagram page does not load zod for one post id.
 */
export function receiveTabPush(
  message: unknown,
  sender: Browser.runtime.MessageSender,
  ourId: string,
): TabPush | undefined {
  if (sender.id !== ourId || sender.tab) return undefined;
  if (!isRecord(message) || message.type !== "share.update" || !isRecord(message.payload)) return undefined;
  const { payload } = message;
  const pk = payload.pk;
  if (Object.keys(payload).length !== 1 || typeof pk !== "string" || !/^\d{1,30}$/.test(pk)) return undefined;
  return { type: "share.update", payload: { pk } };
}
