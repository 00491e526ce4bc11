import { describe, expect, it } from "vitest";
import { jobsOfPost } from "@/lib/db/jobs";
import { createHandlers } from "@/lib/handlers";
import { createRouter } from "@/lib/messages/router";
import { linkPage, photoPost, scriptedGraph } from "../../support/fixtures";
import { contentSender, OUR_ID, OUR_ORIGIN } from "../../support/senders";
import { quietQueue } from "../security/background";

const BAKERY = "1001";
const CAFE = "1002";

/** The real handlers behind the real router, with the Bakery and the Café linked. */
async function background() {
  await linkPage({ id: BAKERY, name: "Acme Bakery" });
  await linkPage({ id: CAFE, name: "Acme Café" });
  const graph = scriptedGraph();
  const { queue } = quietQueue(graph.client);
  const handlers = createHandlers({
    graph: graph.client,
    queue,
    now: () => 1_000,
    onJobChanged: () => undefined,
    onAccountsChanged: () => undefined,
    onSettingsChanged: () => undefined,
    onDataReplaced: () => undefined,
  });
  const route = createRouter(handlers, { id: OUR_ID, origin: OUR_ORIGIN });
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
  it("makes no job for the Page Instagram posted to, keeps the other Page, and names the one skipped", async () => {
    const { share } = await background();
    const answer = await share({ type: "page", id: BAKERY });
    expect(answer).toMatchObject({
      ok: true,
      data: { sharedByInstagram: ["Acme Bakery"], jobs: [{ targetId: CAFE }] },
    });
    expect(await targetsWithJobs()).toEqual([CAFE]);
  });

  it("still shares to every chosen Page when Instagram posted to the personal profile only", async () => {
    const { share } = await background();
    const answer = await share({ type: "user" });
    expect(answer).toMatchObject({ ok: true, data: { sharedByInstagram: [] } });
    expect(await targetsWithJobs()).toEqual([BAKERY, CAFE]);
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
