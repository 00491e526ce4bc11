import type { GraphClient } from "@/lib/facebook/graph";
import { createQueue, type QueueDeps } from "@/lib/queue/queue";

/**
 * The real queue with nothing real around it: the Graph client given, no downloads, no tabs,
 * online, a fixed clock. Tests that attack the background use it with the real handlers.
 */
export function quietQueue(graph: GraphClient, overrides: Partial<QueueDeps> = {}) {
  const opened: string[] = [];
  const queue = createQueue({
    graph,
    download: () => Promise.reject(new Error("no downloads in this test")),
    openTab: async (url) => {
      opened.push(url);
    },
    isOnline: () => true,
    appId: async () => undefined,
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
