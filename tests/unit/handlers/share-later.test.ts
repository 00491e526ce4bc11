import { describe, expect, it } from "vitest";
import { getJob } from "@/lib/db/jobs";
import { updateSettings } from "@/lib/settings/store";
import { giveConsent, linkPage, photoPost } from "../../support/fixtures";
import { contentSender, pageSender } from "../../support/senders";
import { quietBackground } from "../security/background";

// The quiet background's clock.
const NOW = 1_000;
const HOUR = 60 * 60_000;
const JOB = `${photoPost().pk}:1001`;

async function background(script: unknown[] = []) {
  await giveConsent();
  await linkPage();
  const { route, queue, graph } = quietBackground(script);
  const share = (when?: unknown) =>
    route(
      {
        type: "share.request",
        payload: {
          post: photoPost(),
          targets: ["1001"],
          message: "Fresh bread",
          ...(when !== undefined && { when }),
        },
      },
      contentSender(),
    );
  const cancel = () => route({ type: "jobs.cancel", payload: { id: JOB } }, pageSender("options.html"));
  return { share, cancel, queue, graph };
}

describe("when a share reaches Facebook", () => {
  it("takes the time the user chose in the composer", async () => {
    const { share } = await background();
    expect(await share(NOW + 2 * HOUR)).toMatchObject({ ok: true });
    expect((await getJob(JOB))?.publishAt).toBe(NOW + 2 * HOUR);
  });

  it("takes the options' delay when the post chose nothing, and none when it chose now", async () => {
    await updateSettings({ delayMinutes: 30 });
    const { share } = await background();
    await share();
    expect((await getJob(JOB))?.publishAt).toBe(NOW + 30 * 60_000);

    await updateSettings({ delayMinutes: 30 });
    const other = await background();
    await other.share("now");
    // The same post and Page: one job, as the first request made it.
    expect((await getJob(JOB))?.publishAt).toBe(NOW + 30 * 60_000);
  });

  it("refuses a time further ahead than Facebook schedules, and keeps no job for it", async () => {
    const { share } = await background();
    expect(await share(NOW + 31 * 24 * HOUR)).toMatchObject({
      ok: false,
      error: { message: "Facebook schedules posts at most 30 days ahead." },
    });
    expect(await getJob(JOB)).toBeUndefined();
  });
});

describe("cancelling a scheduled share", () => {
  it("deletes the post Facebook holds, then the share is cancelled", async () => {
    const { share, cancel, queue, graph } = await background([
      { id: "1001_1" },
      { id: "1001_1", is_published: false },
      { success: true },
    ]);
    await share(NOW + 2 * HOUR);
    await queue.kick();
    expect(await getJob(JOB)).toMatchObject({ state: "shared", result: { postId: "1001_1" } });

    expect(await cancel()).toMatchObject({ ok: true, data: { state: "cancelled" } });
    expect(
      graph
        .sent()
        .slice(-2)
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(["GET /1001_1", "DELETE /1001_1"]);
    expect(await getJob(JOB)).toMatchObject({ state: "cancelled", result: undefined });
  });

  it("deletes nothing when Facebook has published it already, and says so", async () => {
    const { share, cancel, queue, graph } = await background([
      { id: "1001_1" },
      { id: "1001_1", is_published: true },
    ]);
    await share(NOW + 2 * HOUR);
    await queue.kick();

    const answer = await cancel();
    expect(answer).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("already published") },
    });
    expect(graph.sent().some((call) => call.method === "DELETE")).toBe(false);
    expect(await getJob(JOB)).toMatchObject({ state: "shared", result: { postId: "1001_1" } });
  });
});
