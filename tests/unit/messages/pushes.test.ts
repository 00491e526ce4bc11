import { describe, expect, it } from "vitest";
import { pagePushes, parsePush, receiveTabPush } from "@/lib/messages/pushes";
import type { ShareStatusView } from "@/lib/messages/views";
import { contentSender, OUR_ID, type Sender } from "../../support/senders";

const background: Sender = { id: OUR_ID };
const status: ShareStatusView = {
  id: "3141592653589793238:1001",
  state: "shared",
  targetName: "Acme Bakery",
  service: "Facebook",
  postUrl: "https://www.facebook.com/1001_5",
};
const update = { type: "share.update", payload: { pk: "3141592653589793238", jobs: [status] } };

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
    ["the old unenveloped shape", { type: "share.update", pk: "1", jobs: [] }],
    ["an unknown type", { type: "share.delete", payload: { pk: "1", jobs: [] } }],
    ["a prototype key", { type: "__proto__", payload: {} }],
    ["a post id that is not one", { ...update, payload: { ...update.payload, pk: "1; alert(1)" } }],
    [
      "a job in an unknown state",
      { ...update, payload: { ...update.payload, jobs: [{ ...status, state: "hacked" }] } },
    ],
    [
      "a job with an extra field",
      { ...update, payload: { ...update.payload, jobs: [{ ...status, token: "EAAG" }] } },
    ],
    ["jobs that are not a list", { ...update, payload: { ...update.payload, jobs: "all" } }],
  ])("ignores %s", (_what, message) => {
    expect(receiveTabPush(message, background, OUR_ID)).toBeUndefined();
  });
});

describe("what our pages accept from their watch port", () => {
  it("parses a known push and drops anything else", () => {
    expect(parsePush(pagePushes, { type: "data.replaced", payload: {} })).toEqual({
      type: "data.replaced",
      payload: {},
    });
    expect(parsePush(pagePushes, { type: "settings.changed", payload: { settings: { version: 2 } } })).toBe(
      undefined,
    );
    expect(parsePush(pagePushes, { type: "share.update", payload: update.payload })).toBeUndefined();
  });
});
