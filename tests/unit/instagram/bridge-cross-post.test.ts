// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { acceptBridge } from "@/lib/instagram/bridge-receiver";
import { asAtDocumentStart, offerTestBridge } from "../../support/document-start";
import { giveConsent, photoPost } from "../../support/fixtures";
import { contentSender } from "../../support/senders";
import { quietBackground } from "../security/background";

const stop = new AbortController();
afterEach(() => stop.abort());
asAtDocumentStart();

/** Both worlds in one page, and the background: how it reads each summary sent over the bridge. */
async function received(summaries: unknown[]): Promise<unknown[]> {
  await giveConsent();
  const { route } = quietBackground();
  const read: Promise<unknown>[] = [];
  acceptBridge(
    window,
    (summary) => read.push(route({ type: "instagram.readPublish", payload: { summary } }, contentSender())),
    stop.signal,
  ).setReading(true);
  const send = offerTestBridge(window);
  for (const summary of summaries) send(summary);
  for (let tries = 0; tries < 100 && read.length < summaries.length; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Promise.all(read);
}

describe("Instagram's own cross-post, over the bridge", () => {
  it("arrives with the post it belongs to", async () => {
    const [reply] = await received([{ ...photoPost(), instagramSharedTo: { type: "page", id: "1001" } }]);
    expect(reply).toEqual({
      ok: true,
      data: { post: photoPost(), instagramSharedTo: { type: "page", id: "1001" } },
    });
  });

  it("a claim we cannot read is dropped, and the post is still shared as the user chose", async () => {
    const [reply] = await received([{ ...photoPost(), instagramSharedTo: { type: "page", id: "all" } }]);
    expect(reply).toEqual({ ok: true, data: { post: photoPost() } });
  });
});
