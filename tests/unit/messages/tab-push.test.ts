import { describe, expect, it } from "vitest";
import { receiveTabPush } from "@/lib/messages/tab-push";
import { contentSender, OUR_ID, type Sender } from "../../support/senders";

const background: Sender = { id: OUR_ID };
const update = { type: "share.update", payload: { pk: "3141592653589793238" } };

describe("the composer content script's receiver", () => {
  it("takes a share update from our own background", () => {
    expect(receiveTabPush(update, background, OUR_ID)).toEqual(update);
  });

  it.each([
    ["a tab (a page or content script)", contentSender()],
    ["another extension", { id: "someoneelse" }],
  ])("ignores a well-formed update from %s", (_who, sender) => {
    expect(receiveTabPush(update, sender, OUR_ID)).toBeUndefined();
  });

  it.each([
    ["no envelope", "share.update"],
    ["the old unenveloped shape", { type: "share.update", pk: "1" }],
    ["an unknown type", { type: "share.delete", payload: { pk: "1" } }],
    ["a prototype key", { type: "__proto__", payload: {} }],
    ["a post id that is not one", { ...update, payload: { pk: "1; alert(1)" } }],
    ["a post id that is not a string", { ...update, payload: { pk: 1 } }],
    // The shares themselves are read with share.status, as an answer of ours: a push cannot carry them.
    [
      "shares carried in the push",
      {
        ...update,
        payload: { ...update.payload, jobs: [{ state: "shared", postUrl: "javascript:alert(1)" }] },
      },
    ],
  ])("ignores %s", (_what, message) => {
    expect(receiveTabPush(message, background, OUR_ID)).toBeUndefined();
  });
});
