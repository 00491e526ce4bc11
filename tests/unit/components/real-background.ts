import type { Api } from "@/components/useApi";
import { createHandlers } from "@/lib/handlers";
import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import { createRouter } from "@/lib/messages/router";
import type { Responses } from "@/lib/messages/views";
import { scriptedGraph } from "../../support/fixtures";
import { OUR_IDENTITY, pageSender } from "../../support/senders";
import { quietQueue } from "../security/background";

/**
 * Our real router and handlers over fake-indexeddb, and the `api` one of our pages would have:
 * what a component sends goes through the same checks and storage as in the extension.
 */
export function realBackground() {
  const graph = scriptedGraph();
  const { queue } = quietQueue(graph.client);
  const route = createRouter(
    createHandlers({
      graph: graph.client,
      queue,
      now: () => 1_000,
      onJobChanged: () => undefined,
      onAccountsChanged: () => undefined,
      onSettingsChanged: () => undefined,
      onDataReplaced: () => undefined,
    }),
    OUR_IDENTITY,
  );
  const apiOf = (page: string): Api =>
    (async <T extends RequestType>(type: T, payload: RequestPayload<T>) => {
      const reply = await route({ type, payload }, pageSender(page));
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data as Responses[T];
    }) as Api;
  return { apiOf, graph };
}
