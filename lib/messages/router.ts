import type { Browser } from "wxt/browser";

type MessageSender = Browser.runtime.MessageSender;

import {
  envelopeSchema,
  MessageError,
  type Reply,
  type RequestPayload,
  type RequestType,
  requests,
} from "./protocol";
import { type SenderKind, senderKind } from "./senders";
import type { Responses } from "./views";

/** IndexedDB refused a write for lack of room; the transaction was undone, so nothing was lost. */
const STORAGE_FULL =
  "alsoshare could not save this: the browser's storage is full. Free some disk space, then try again; everything saved before is kept.";

export type Handlers = {
  [T in RequestType]: (payload: RequestPayload<T>, sender: MessageSender) => Promise<Responses[T]>;
};

/**
 * One listener for every request. It checks the sender, then the shape, and only then calls the
 * handler; anything wrong is answered with a typed error and nothing happens. It never throws.
 */
export function createRouter(handlers: Handlers, identity: { id: string; origin: string }) {
  return async (message: unknown, sender: MessageSender): Promise<Reply<unknown>> => {
    try {
      const kind: SenderKind | undefined = senderKind(sender, identity.id, identity.origin);
      if (!kind) throw new MessageError("forbidden", "Unknown sender.");
      const envelope = envelopeSchema.safeParse(message);
      if (!envelope.success || !Object.hasOwn(requests, envelope.data.type)) {
        throw new MessageError("bad-request", "Unknown message.");
      }
      const type = envelope.data.type as RequestType;
      const definition = requests[type];
      if (definition.from !== kind) throw new MessageError("forbidden", "This sender may not ask that.");
      const payload = definition.payload.safeParse(envelope.data.payload);
      if (!payload.success) throw new MessageError("bad-request", `Malformed ${type} message.`);
      const handler = handlers[type] as (payload: unknown, sender: MessageSender) => Promise<unknown>;
      return { ok: true, data: await handler(payload.data, sender) };
    } catch (error) {
      if (error instanceof MessageError)
        return { ok: false, error: { code: error.code, message: error.message } };
      if (error instanceof Error && error.name === "QuotaExceededError") {
        return { ok: false, error: { code: "failed", message: STORAGE_FULL } };
      }
      return {
        ok: false,
        error: { code: "failed", message: error instanceof Error ? error.message : "Failed." },
      };
    }
  };
}
