// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { acceptBridge, type ObservedPublish } from "@/lib/instagram/bridge-receiver";
import { asAtDocumentStart, offerTestBridge } from "../../support/document-start";
import { photoPost } from "../../support/fixtures";

const stop = new AbortController();
afterEach(() => stop.abort());
asAtDocumentStart();

/** Both worlds in one page: what the isolated world receives for each summary sent. */
async function received(summaries: unknown[]): Promise<ObservedPublish[]> {
  const accepted: ObservedPublish[] = [];
  acceptBridge(window, (publish) => accepted.push(publish), stop.signal).setReading(true);
  const send = offerTestBridge(window);
  for (const summary of summaries) send(summary);
  for (let tries = 0; tries < 100 && accepted.length < summaries.length; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return accepted;
}

describe("Instagram's own cross-post, over the bridge", () => {
  it("arrives with the post it belongs to", async () => {
    const [publish] = await received([{ ...photoPost(), instagramSharedTo: { type: "page", id: "1001" } }]);
    expect(publish).toEqual({ post: photoPost(), instagramSharedTo: { type: "page", id: "1001" } });
  });

  it("a claim we cannot read is dropped, and the post is still shared as the user chose", async () => {
    const [publish] = await received([{ ...photoPost(), instagramSharedTo: { type: "page", id: "all" } }]);
    expect(publish).toEqual({ post: photoPost(), instagramSharedTo: undefined });
  });
});
