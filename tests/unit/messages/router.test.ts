import { describe, expect, it, vi } from "vitest";
import type { Handlers } from "@/lib/messages/router";
import { createRouter } from "@/lib/messages/router";
import { contentSender, OUR_ID, OUR_ORIGIN, pageSender, type Sender } from "../../support/senders";

const popupSender = () => pageSender("popup.html");

function routerWithSpies() {
  const handlers = new Proxy({} as Record<string, ReturnType<typeof vi.fn>>, {
    get: (target, key: string) => {
      target[key] ??= vi.fn(async () => `handled ${key}`);
      return target[key];
    },
  });
  const route = createRouter(handlers as unknown as Handlers, { id: OUR_ID, origin: OUR_ORIGIN });
  return { route, handlers };
}

describe("the message router", () => {
  it("answers our popup's request for the accounts", async () => {
    const { route } = routerWithSpies();
    await expect(route({ type: "accounts.list", payload: {} }, popupSender())).resolves.toEqual({
      ok: true,
      data: "handled accounts.list",
    });
  });

  it.each([
    ["another extension", { ...popupSender(), id: "someoneelse" } as Sender],
    ["a web page", { id: OUR_ID, url: "https://evil.example/" } as Sender],
    ["our content script in a sub-frame", contentSender({ frameId: 3 })],
    ["our content script on another site", contentSender({ url: "https://www.instagram.com.evil.example/" })],
    ["our content script on Instagram", contentSender()],
  ])("refuses token-linking asked by %s, and does nothing", async (_who, sender) => {
    const { route, handlers } = routerWithSpies();
    const reply = await route({ type: "accounts.linkToken", payload: { token: "EAAGabcdefghijkl" } }, sender);
    expect(reply).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(handlers["accounts.linkToken"]).not.toHaveBeenCalled();
  });

  it("refuses a share request from our own pages (only the composer may ask)", async () => {
    const { route } = routerWithSpies();
    const reply = await route({ type: "share.retry", payload: { pk: "1" } }, popupSender());
    expect(reply).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it.each([
    ["no envelope", "hello"],
    ["an unknown type", { type: "fetch", payload: { url: "https://evil.example" } }],
    ["a prototype key", { type: "__proto__", payload: {} }],
    ["an extra field", { type: "share.retry", payload: { pk: "1", extra: true } }],
    ["a wrong type", { type: "share.retry", payload: { pk: 1 } }],
  ])("refuses %s with a typed error", async (_what, message) => {
    const { route } = routerWithSpies();
    const reply = await route(message, contentSender());
    expect(reply).toMatchObject({ ok: false, error: { code: "bad-request" } });
  });

  it("never lets a handler's exception escape", async () => {
    const route = createRouter(
      new Proxy({}, { get: () => async () => Promise.reject(new Error("disk full")) }) as Handlers,
      { id: OUR_ID, origin: OUR_ORIGIN },
    );
    await expect(route({ type: "accounts.list", payload: {} }, popupSender())).resolves.toEqual({
      ok: false,
      error: { code: "failed", message: "disk full" },
    });
  });
});
