import type { Browser } from "wxt/browser";
import { type PagePush, WATCH_PORT } from "./pushes";
import { senderKind } from "./senders";

type Port = Browser.runtime.Port;

export type WatchHub = ReturnType<typeof createWatchHub>;

/**
 * The open pages that watch the background, each through a port, and the one way to tell them
 * all. Only our own pages may watch: any other port is disconnected at once and hears nothing.
 */
export function createWatchHub(identity: { id: string; origin: string }) {
  const ports = new Set<Port>();

  function accept(port: Port): void {
    const ours =
      port.name === WATCH_PORT &&
      port.sender !== undefined &&
      senderKind(port.sender, identity.id, identity.origin) === "extension";
    if (!ours) {
      port.disconnect();
      return;
    }
    ports.add(port);
    port.onDisconnect.addListener(() => ports.delete(port));
  }

  function broadcast(push: PagePush): void {
    for (const port of ports) {
      try {
        port.postMessage(push);
      } catch {
        // The page went away between its disconnect and our send.
        ports.delete(port);
      }
    }
  }

  return { accept, broadcast, watching: () => ports.size };
}
