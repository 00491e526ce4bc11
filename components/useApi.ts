import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { Responses } from "@/lib/messages/views";

/** How our pages talk to the background; tests pass a fake. */
export type Api = <T extends RequestType>(type: T, payload: RequestPayload<T>) => Promise<Responses[T]>;

/** The sentence to show for a failed request: the background's own words when it gave them. */
export function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
