import { describe, expect, it } from "vitest";
import { pagePushes, parsePush } from "@/lib/messages/pushes";

describe("what our pages accept from their watch port", () => {
  it("parses a known push and drops anything else", () => {
    expect(parsePush(pagePushes, { type: "data.replaced", payload: {} })).toEqual({
      type: "data.replaced",
      payload: {},
    });
    expect(parsePush(pagePushes, { type: "settings.changed", payload: { settings: { version: 2 } } })).toBe(
      undefined,
    );
    // The Instagram tab's push is not a page's.
    expect(parsePush(pagePushes, { type: "share.update", payload: { pk: "1" } })).toBeUndefined();
  });
});
