import { describe, expect, it } from "vitest";
import { recentEvents } from "@/lib/db/events";
import { countJobsByState } from "@/lib/db/jobs";
import { SHARES_PER_PAGE_LOAD, SHARES_PER_TAB_PER_HOUR } from "@/lib/handlers/composer";
import { giveConsent, linkPage, photoPost } from "../../support/fixtures";
import { contentSender } from "../../support/senders";
import { quietBackground } from "../security/background";

/** The real background with a Page linked; sends a share request as Instagram tab `tab`, page load `documentId`. */
async function background() {
  await giveConsent();
  await linkPage({ id: "1001", name: "Acme Bakery" });
  const { route } = quietBackground();
  return (pk: string, tab = 7, documentId = "load-1") =>
    route(
      { type: "share.request", payload: { post: photoPost(pk), targets: ["1001"], message: "Fresh bread" } },
      contentSender({ tab: { id: tab } as never, documentId }),
    );
}

const pks = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => `31415926535897${String(from + index).padStart(5, "0")}`);

describe("the background's brake on shares from one Instagram tab", () => {
  it("refuses, in words and in the activity log, the share past the cap of one page load", async () => {
    const share = await background();
    for (const pk of pks(SHARES_PER_PAGE_LOAD)) expect(await share(pk)).toMatchObject({ ok: true });
    const over = await share(pks(1, 99)[0] as string);
    expect(over).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringMatching(/reload/) },
    });
    expect(await countJobsByState(["queued", "sending", "shared", "failed"])).toBe(SHARES_PER_PAGE_LOAD);
    expect((await recentEvents(1))[0]?.type).toBe("share-refused");
  });

  it("does not count the same post twice, and a new page load gets its own cap", async () => {
    const share = await background();
    for (const pk of pks(SHARES_PER_PAGE_LOAD)) await share(pk);
    expect(await share(pks(1)[0] as string)).toMatchObject({ ok: true });
    expect(await share(pks(1, 50)[0] as string, 7, "load-2")).toMatchObject({ ok: true });
  });

  it("in Firefox, which names no document, a reload still gets its own cap, by the load's own id", async () => {
    await giveConsent();
    await linkPage({ id: "1001", name: "Acme Bakery" });
    const { route } = quietBackground();
    const firefoxShare = (pk: string, loadId: string) =>
      route(
        {
          type: "share.request",
          payload: { post: photoPost(pk), targets: ["1001"], message: "Fresh bread", loadId },
        },
        contentSender({ tab: { id: 7 } as never }),
      );
    const first = crypto.randomUUID();
    for (const pk of pks(SHARES_PER_PAGE_LOAD))
      expect(await firefoxShare(pk, first)).toMatchObject({ ok: true });
    expect(await firefoxShare(pks(1, 60)[0] as string, first)).toMatchObject({ ok: false });
    // The user did as told: reloaded the page.
    expect(await firefoxShare(pks(1, 61)[0] as string, crypto.randomUUID())).toMatchObject({ ok: true });
  });

  it("caps a tab's shares in an hour across reloads, and leaves other tabs alone", async () => {
    const share = await background();
    const all = pks(SHARES_PER_TAB_PER_HOUR + 1);
    for (const [index, pk] of all.slice(0, -1).entries()) {
      expect(await share(pk, 7, `load-${Math.floor(index / SHARES_PER_PAGE_LOAD)}`)).toMatchObject({
        ok: true,
      });
    }
    expect(await share(all.at(-1) as string, 7, "load-new")).toMatchObject({ ok: false });
    expect(await share(all.at(-1) as string, 8, "other-tab")).toMatchObject({ ok: true });
  });

  it("keeps the hour's count when the worker restarts", async () => {
    const share = await background();
    for (const [index, pk] of pks(SHARES_PER_TAB_PER_HOUR).entries()) {
      await share(pk, 7, `load-${Math.floor(index / SHARES_PER_PAGE_LOAD)}`);
    }
    // A new worker: new handlers, nothing in memory, the same shares stored.
    const restarted = await background();
    expect(await restarted(pks(1, 90)[0] as string, 7, "load-after-restart")).toMatchObject({ ok: false });
  });
});
