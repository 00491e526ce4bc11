import { browser } from "wxt/browser";
import type { Reply, RequestPayload, RequestType } from "./protocol";
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
