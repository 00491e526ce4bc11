import { facebookDestinations } from "@/lib/facebook/destinations";
import type { GraphClient } from "@/lib/facebook/graph";
import { createHandlers } from "@/lib/handlers";
import { createRouter } from "@/lib/messages/router";
import { createQueue, type QueueDeps } from "@/lib/queue/queue";
import { scriptedGraph } from "../../support/fixtures";
import { OUR_IDENTITY } from "../../support/senders";

/**
 * The real queue with nothing real around it: the Graph client given, no downloads, no tabs,
 * online, a fixed clock. Tests that attack the background use it with the real handlers.
 */
export function quietQueue(graph: GraphClient, overrides: Partial<QueueDeps> = {}) {
  const opened: string[] = [];
  const queue = createQueue({
    destinations: facebookDestinations({
      graph,
      download: () => Promise.reject(new Error("no downloads in this test")),
      openTab: async (url) => {
        opened.push(url);
      },
      appId: async () => undefined,
    }),
    isOnline: () => true,
    now: () => 1_000,
    random: () => 0.5,
    owner: "worker",
    onJobChanged: () => undefined,
    onAccountsChanged: () => undefined,
    scheduleWake: () => undefined,
    ...overrides,
  });
  return { queue, opened };
}

/**
 * The real router and handlers over the quiet queue and a scripted Graph (answering `script` first), telling no one of
 * changes: what a sender's message does to storage, and nothing else.
 */
export function quietBackground(script: unknown[] = []) {
  const graph = scriptedGraph(script);
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
  return { graph, queue, route };
}
