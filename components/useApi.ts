import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { Responses } from "@/lib/messages/views";

/** How our pages talk to the background; tests pass a fake. */
export type Api = <T extends RequestType>(type: T, payload: RequestPayload<T>) => Promise<Responses[T]>;
