// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { PORT_EVENT } from "@/lib/instagram/bridge";
import { acceptBridge } from "@/lib/instagram/bridge-receiver";
import type { PublishedPost } from "@/lib/instagram/post";
import { asAtDocumentStart, offerTestBridge } from "../../support/document-start";
import { photoPost } from "../../support/fixtures";

const stop = new AbortController();
afterEach(() => stop.abort());
asAtDocumentStart();

/** The isolated world's receiver, recording the summaries it hands on (for the background to read). */
function receiver() {
  const accepted: PublishedPost[] = [];
  acceptBridge(window, (summary) => void accepted.push(summary as PublishedPost), stop.signal).setReading(
    true,
  );
  return accepted;
}

/** Plays the MAIN world by hand: offers a port with a nonce, returns the sending end. */
function offerPort(nonce: string): MessagePort {
  const channel = new MessageChannel();
  window.dispatchEvent(
    new MessageEvent(PORT_EVENT, { data: nonce, ports: [channel.port2], cancelable: true }),
  );
  return channel.port1;
}

/** Port messages arrive in a later task; wait until a control message has made it through. */
async function settle(accepted: PublishedPost[], count: number) {
  for (let tries = 0; tries < 100 && accepted.length < count; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the bridge from Instagram's page world", () => {
  it("accepts a summary from the network observer's own channel", async () => {
    const accepted = receiver();
    const send = offerTestBridge(window);
    send(photoPost());
    await settle(accepted, 1);
    expect(accepted).toEqual([photoPost()]);
  });

  it.each([
    ["a wrong nonce", (post: PublishedPost) => JSON.stringify({ nonce: "guessed", summary: post })],
    ["no nonce", (post: PublishedPost) => JSON.stringify({ summary: post })],
    ["a non-string message", (post: PublishedPost) => ({ nonce: "n-1", summary: post })],
    [
      "a message over 1 MB",
      (post: PublishedPost) => JSON.stringify({ nonce: "n-1", summary: post, pad: "x".repeat(1_000_001) }),
    ],
    ["text that is not JSON", () => "{nonce: n-1"],
  ])("ignores %s", async (_what, forge) => {
    const accepted = receiver();
    const port = offerPort("n-1");
    port.postMessage(forge(photoPost("111")));
    // A valid message after the forgery proves the channel was listening all along.
    port.postMessage(JSON.stringify({ nonce: "n-1", summary: photoPost("222") }));
    await settle(accepted, 1);
    expect(accepted.map((post) => post.pk)).toEqual(["222"]);
  });

  it("takes only the first port: a page's later offer is never heard", async () => {
    const accepted = receiver();
    const send = offerTestBridge(window);
    const forged = offerPort("page-nonce");
    forged.postMessage(JSON.stringify({ nonce: "page-nonce", summary: photoPost("666") }));
    send(photoPost("222"));
    await settle(accepted, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted.map((post) => post.pk)).toEqual(["222"]);
  });
});
