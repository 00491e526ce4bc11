import { afterEach, describe, expect, it, vi } from "vitest";
import type { Browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { WATCH_PORT, type WatchEvent } from "@/lib/messages/pushes";
import { subscribe } from "@/lib/messages/subscribe";

/** The page's end of a port: the test speaks as the background, or drops it as a stopped worker would. */
function pagePort(name: string) {
  const onMessage: ((message: unknown) => void)[] = [];
  const onDisconnect: (() => void)[] = [];
  let closedByPage = false;
  const port = {
    name,
    onMessage: { addListener: (listener: (message: unknown) => void) => onMessage.push(listener) },
    onDisconnect: { addListener: (listener: () => void) => onDisconnect.push(listener) },
    disconnect: () => {
      closedByPage = true;
    },
  };
  return {
    port: port as unknown as Browser.runtime.Port,
    send: (message: unknown) => {
      for (const listener of onMessage) listener(message);
    },
    drop: () => {
      for (const listener of onDisconnect) listener();
    },
    closedByPage: () => closedByPage,
  };
}

function watchedPorts() {
  const ports: ReturnType<typeof pagePort>[] = [];
  vi.spyOn(fakeBrowser.runtime, "connect").mockImplementation(((info?: { name?: string }) => {
    const port = pagePort(info?.name ?? "");
    ports.push(port);
    return port.port;
  }) as typeof fakeBrowser.runtime.connect);
  return ports;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a page watching the background", () => {
  it("connects its named port and hears only well-formed pushes", () => {
    const ports = watchedPorts();
    const events: WatchEvent[] = [];
    subscribe((event) => events.push(event));
    expect(ports.map((port) => port.port.name)).toEqual([WATCH_PORT]);

    ports[0]?.send({ type: "data.replaced", payload: {} });
    ports[0]?.send({ type: "job.changed", payload: { job: { id: "1", state: "hacked" } } });
    ports[0]?.send({ type: "watch.resumed" });
    expect(events).toEqual([{ type: "data.replaced", payload: {} }]);
  });

  it("connects again when the worker is stopped, and says pushes may have been missed", () => {
    vi.useFakeTimers();
    const ports = watchedPorts();
    const events: WatchEvent[] = [];
    subscribe((event) => events.push(event));
    ports[0]?.drop();
    expect(ports).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(ports).toHaveLength(2);
    expect(events).toEqual([{ type: "watch.resumed" }]);
  });

  it("once stopped, closes its port and never connects again", () => {
    vi.useFakeTimers();
    const ports = watchedPorts();
    const stop = subscribe(() => undefined);
    stop();
    expect(ports[0]?.closedByPage()).toBe(true);
    ports[0]?.drop();
    vi.advanceTimersByTime(60_000);
    expect(ports).toHaveLength(1);
  });
});
