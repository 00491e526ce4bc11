import { describe, expect, it } from "vitest";
import { recentEvents } from "@/lib/db/events";
import { jobsOfPost } from "@/lib/db/jobs";
import { giveConsent, linkPage, photoPost } from "../../support/fixtures";
import { contentSender } from "../../support/senders";
import { quietBackground } from "../security/background";

const BAKERY = "1001";
const CAFE = "1002";

/** The real handlers behind the real router, consent given, with the Bakery and the Café linked. */
async function background() {
  await giveConsent();
  await linkPage({ id: BAKERY, name: "Acme Bakery" });
  await linkPage({ id: CAFE, name: "Acme Café" });
  const { route } = quietBackground();
  const share = (instagramSharedTo?: unknown) =>
    route(
      {
        type: "share.request",
        payload: { post: photoPost(), targets: [BAKERY, CAFE], message: "Fresh bread", instagramSharedTo },
      },
      contentSender(),
    );
  return { share };
}

const targetsWithJobs = async () => (await jobsOfPost(photoPost().pk)).map((job) => job.targetId).sort();

describe("a share of a post Instagram cross-posted itself", () => {
  it("sends nothing to the Page Instagram posted to, lists it as Instagram's share, and keeps the other Page", async () => {
    const { share } = await background();
    const answer = await share({ type: "page", id: BAKERY, postId: "122100000000000001" });
    expect(answer).toMatchObject({ ok: true });
    const jobs = await jobsOfPost(photoPost().pk);
    const bakery = jobs.find((job) => job.targetId === BAKERY);
    expect(bakery).toMatchObject({
      state: "shared",
      sharedByInstagram: true,
      result: { url: "https://www.facebook.com/122100000000000001" },
    });
    // The Café's share goes to the queue as any other (it may already be on its way).
    const cafe = jobs.find((job) => job.targetId === CAFE);
    expect(cafe?.sharedByInstagram).toBeUndefined();
    expect(cafe?.state).not.toBe("shared");
    const skipped =
      "Instagram already shared this post to Acme Bakery; alsoshare did not post it there again.";
    expect((await recentEvents(5)).map((event) => event.message)).toContain(skipped);

    // The same announcement again: the log says it once, as the share it describes exists once.
    await share({ type: "page", id: BAKERY, postId: "122100000000000001" });
    expect((await recentEvents(10)).filter((event) => event.message === skipped)).toHaveLength(1);
  });

  it("still shares to every chosen Page when Instagram posted to the personal profile only", async () => {
    const { share } = await background();
    const answer = await share({ type: "user" });
    expect(answer).toMatchObject({ ok: true });
    expect(await targetsWithJobs()).toEqual([BAKERY, CAFE]);
    expect((await jobsOfPost(photoPost().pk)).some((job) => job.sharedByInstagram)).toBe(false);
  });

  it("still shares to every chosen Page when Instagram posted to a Page that was not chosen", async () => {
    const { share } = await background();
    await share({ type: "page", id: "1003" });
    expect(await targetsWithJobs()).toEqual([BAKERY, CAFE]);
  });

  it("refuses a cross-post claim of any other shape, creating nothing", async () => {
    const { share } = await background();
    const answer = await share({ type: "page", id: "../1001" });
    expect(answer).toMatchObject({ ok: false });
    expect(await targetsWithJobs()).toEqual([]);
  });
});
