import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { createGraphClient } from "@/lib/facebook/graph";
import { createHandlers } from "@/lib/handlers";
import { createRouter } from "@/lib/messages/router";
import { createNotifier } from "@/lib/queue/notify";
import { createQueue } from "@/lib/queue/queue";
import { createWaker, QUEUE_ALARM } from "@/lib/queue/wake";

export default defineBackground({
  type: "module",
  main() {
    const now = () => Date.now();
    const graph = createGraphClient((input, init) => fetch(input, init));
    const onJobChanged = createNotifier(browser);
    const queue = createQueue({
      graph,
      now,
      random: Math.random,
      owner: crypto.randomUUID(),
      onJobChanged,
      scheduleWake: createWaker(browser.alarms, () => void queue.kick(), now),
    });
    const route = createRouter(createHandlers({ graph, queue, now, onJobChanged }), {
      id: browser.runtime.id,
      origin: location.origin,
    });

    // Registered at the top of the worker's life, so a message or alarm that woke us is not missed.
    browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === QUEUE_ALARM) void queue.kick();
    });
    void queue.kick();
  },
});
