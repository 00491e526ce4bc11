import { describe, expect, it } from "vitest";
import type { Browser } from "wxt/browser";
import { type PagePush, WATCH_PORT } from "@/lib/messages/pushes";
import { createWatchHub } from "@/lib/messages/watch";
import { contentSender, OUR_ID, OUR_IDENTITY, pageSender, type Sender } from "../../support/senders";

/** A port as `runtime.onConnect` hands it over: what was posted on it, and whether it was closed. */
function fakePort(sender: Sender | undefined, name = WATCH_PORT) {
  const posted: unknown[] = [];
  const onDisconnect: (() => void)[] = [];
  let disconnected = false;
  const port = {
    name,
    sender,
    postMessage: (message: unknown) => {
      if (disconnected) throw new Error("Attempting to use a disconnected port object");
      posted.push(message);
    },
    disconnect: () => {
      disconnected = true;
    },
    onDisconnect: { addListener: (listener: () => void) => onDisconnect.push(listener) },
  };
  return {
    port: port as unknown as Browser.runtime.Port,
    posted,
    disconnected: () => disconnected,
    /** The page closed: the browser tells the background's side. */
    close: () => {
      disconnected = true;
      for (const listener of onDisconnect) listener();
    },
  };
}

const push: PagePush = { type: "data.replaced", payload: {} };

describe("pages watching the background", () => {
  it("pushes to our own popup and options page", () => {
    const hub = createWatchHub(OUR_IDENTITY);
    const popup = fakePort(pageSender("popup.html"));
    const options = fakePort(pageSender("options.html"));
    hub.accept(popup.port);
    hub.accept(options.port);
    hub.broadcast(push);
    expect(popup.posted).toEqual([push]);
    expect(options.posted).toEqual([push]);
    expect(popup.disconnected()).toBe(false);
  });

  it.each([
    ["a web page", { url: "https://evil.example/" }],
    ["another extension's page", { id: "someoneelse", url: "chrome-extension://someoneelse/popup.html" }],
    ["our content script on Instagram", contentSender()],
    ["a port with no sender", undefined],
    ["our page with another port name", pageSender("popup.html"), "other"],
  ] as [string, Sender | undefined, string?][])(
    "disconnects %s at once and pushes it nothing",
    (_who, sender, name) => {
      const hub = createWatchHub(OUR_IDENTITY);
      const stranger = fakePort(sender, name);
      hub.accept(stranger.port);
      expect(stranger.disconnected()).toBe(true);
      hub.broadcast(push);
      expect(stranger.posted).toEqual([]);
      expect(hub.watching()).toBe(0);
    },
  );

  it("forgets a page once it closes", () => {
    const hub = createWatchHub(OUR_IDENTITY);
    const popup = fakePort({ id: OUR_ID, url: pageSender().url });
    hub.accept(popup.port);
    expect(hub.watching()).toBe(1);
    popup.close();
    expect(hub.watching()).toBe(0);
    expect(() => hub.broadcast(push)).not.toThrow();
    expect(popup.posted).toEqual([]);
  });
});
