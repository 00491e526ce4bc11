import type { Api } from "@/components/useApi";
import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { Responses } from "@/lib/messages/views";
import { pageSender } from "../../support/senders";
import { quietBackground } from "../security/background";

/**
 * Our real router and handlers over fake-indexeddb, and the `api` one of our pages would have:
 * what a component sends goes through the same checks and storage as in the extension.
 */
export function realBackground() {
  const { graph, route } = quietBackground();
  const apiOf = (page: string): Api =>
    (async <T extends RequestType>(type: T, payload: RequestPayload<T>) => {
      const reply = await route({ type, payload }, pageSender(page));
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data as Responses[T];
    }) as Api;
  return { apiOf, graph };
}
