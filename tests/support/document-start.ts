import { afterEach, beforeEach } from "vitest";
import { offerBridge } from "@/lib/instagram/bridge";

/**
 * Runs each test as at document_start, before any page script: the only moment our bridge is
 * offered and taken (a test environment's document has long finished loading).
 */
export function asAtDocumentStart(doc: Document = document): void {
  beforeEach(() => {
    Object.defineProperty(doc, "readyState", { value: "loading", configurable: true });
  });
  afterEach(() => {
    Reflect.deleteProperty(doc, "readyState");
  });
}

/** The network observer's side of the bridge, sending objects as it sends their JSON. */
export function offerTestBridge(win: Window): (summary: unknown) => void {
  // The environment's own ports (a test DOM's MessageChannel need not be Node's MessagePort).
  const post = Object.getPrototypeOf(new MessageChannel().port1).postMessage;
  const bridge = offerBridge(win, post);
  if (!bridge) throw new Error("the bridge was not offered: not at document_start");
  return (summary) => bridge.send(JSON.stringify(summary));
}
