import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { finishReel, startReel, uploadReel } from "@/lib/facebook/pages";
import type { PublishedPost } from "@/lib/instagram/post";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { graphOverHttp } from "../../support/graph-over-http";
import { quietQueue } from "../security/background";

const HOUR = 60 * 60_000;
const CLIP = "https://scontent.cdninstagram.com/v/t50.2886-16/clip.mp4";
const PAGE = { pageId: "1001", token: PAGE_TOKEN };

function reelPost(seconds: number | undefined, pk = "4200000000000000001"): PublishedPost {
  return {
    ...photoPost(pk, "Morning bake"),
    kind: "reel",
    media: [{ type: "video", url: CLIP, width: 720, height: 1280, duration: seconds }],
  };
}

async function facebookWithAcmeBakery(clock: { now: number }) {
  const standin = await graphOverHttp(clock);
  standin.graph.addPage({ id: "1001", name: "Acme Bakery", token: PAGE_TOKEN });
  return standin;
}

/** Another app (or an earlier day of ours) publishes a reel on the Page, straight through the API. */
async function publishReelElsewhere(standin: Awaited<ReturnType<typeof facebookWithAcmeBakery>>) {
  const videoId = await startReel(standin.client, PAGE);
  await uploadReel(standin.client, PAGE, { videoId, url: CLIP }, () => Promise.reject(new Error("no")));
  await finishReel(standin.client, PAGE, { videoId, description: "elsewhere" });
}

describe("Facebook's limits on Page reels", () => {
  it("a reel longer than 90 seconds is refused in plain words before anything is sent to Facebook", async () => {
    const page = await linkPage();
    const clock = { now: 1_000_000 };
    const standin = await facebookWithAcmeBakery(clock);
    const long = reelPost(130.2);
    await addJobsOnce([jobFor(long, page, clock.now)]);

    await quietQueue(standin.client, { now: () => clock.now }).queue.kick();

    expect(await getJob(`${long.pk}:1001`)).toMatchObject({
      state: "failed",
      lastError: {
        message: "Facebook takes reels of 3 to 90 seconds; this one is 2 min 11 s, so it was not sent.",
      },
    });
    expect(standin.graph.requests).toEqual([]);
  });

  it("a reel shorter than 3 seconds is refused the same way; one of 3 to 90 seconds goes out", async () => {
    const page = await linkPage();
    const clock = { now: 1_000_000 };
    const standin = await facebookWithAcmeBakery(clock);
    const short = reelPost(2.5, "4200000000000000002");
    const fine = reelPost(90, "4200000000000000003");
    await addJobsOnce([jobFor(short, page, clock.now), jobFor(fine, page, clock.now)]);

    await quietQueue(standin.client, { now: () => clock.now }).queue.kick();

    expect((await getJob(`${short.pk}:1001`))?.lastError?.message).toBe(
      "Facebook takes reels of 3 to 90 seconds; this one is 2.5 s, so it was not sent.",
    );
    expect(await getJob(`${fine.pk}:1001`)).toMatchObject({ state: "shared" });
    expect(standin.graph.reels).toHaveLength(1);
  });

  it("the Graph stand-in refuses a Page's 31st API reel within 24 hours as Facebook does, and takes it once the window moved", async () => {
    const clock = { now: 1_000_000_000 };
    const standin = await facebookWithAcmeBakery(clock);
    for (let reel = 0; reel < 30; reel++) {
      await publishReelElsewhere(standin);
      clock.now += 10 * 60_000;
    }

    const refused = publishReelElsewhere(standin);
    await expect(refused).rejects.toMatchObject({
      kind: "publish-limit",
      details: { code: 9, status: 400 },
    });
    // The oldest of the 30 leaves the moving window 24 hours after it was published.
    clock.now = 1_000_000_000 + 24 * HOUR + 1;
    await expect(publishReelElsewhere(standin)).resolves.toBeUndefined();
  });

  it("a reel over the Page's daily limit waits once, in words, until the window has room, then goes out as the same reel", async () => {
    const page = await linkPage();
    const clock = { now: 2_000_000_000 };
    const standin = await facebookWithAcmeBakery(clock);
    for (let reel = 0; reel < 30; reel++) await publishReelElsewhere(standin);
    clock.now += HOUR;
    const reel = reelPost(45);
    await addJobsOnce([jobFor(reel, page, clock.now)]);
    const { queue } = quietQueue(standin.client, { now: () => clock.now });

    await queue.kick();

    const waiting = await getJob(`${reel.pk}:1001`);
    // None of the 30 are ours, so the window surely has room a day from now.
    expect(waiting).toMatchObject({ state: "queued", nextAttemptAt: clock.now + 24 * HOUR });
    expect(waiting?.lastError?.message).toMatch(
      /^Acme Bakery has reached Facebook's limit of 30 reels published through the API in 24 hours; alsoshare will try again at .+\.$/,
    );
    const finishes = () =>
      standin.graph.requests.filter(
        (request) => request.params.upload_phase === "finish" && request.params.description === reel.caption,
      ).length;
    expect(finishes()).toBe(1);

    // Nothing more is sent before then, however often the queue runs.
    clock.now += HOUR;
    await queue.kick();
    expect(finishes()).toBe(1);

    clock.now = waiting?.nextAttemptAt ?? 0;
    await queue.kick();
    expect(await getJob(`${reel.pk}:1001`)).toMatchObject({ state: "shared" });
    // The upload session stored before the refusal is the one published: no second reel.
    expect(standin.graph.reels.filter((item) => item.description === reel.caption)).toHaveLength(1);
  });

  it("a reel still over the limit after its wait fails clearly instead of waiting again and again", async () => {
    const page = await linkPage();
    const clock = { now: 3_000_000_000 };
    const standin = await facebookWithAcmeBakery(clock);
    const reel = reelPost(45);
    await addJobsOnce([jobFor(reel, page, clock.now)]);
    const { queue } = quietQueue(standin.client, { now: () => clock.now });
    // Other apps keep the Page at its limit all along.
    const full = async () => {
      while (true) {
        try {
          await publishReelElsewhere(standin);
        } catch {
          return;
        }
      }
    };

    await full();
    await queue.kick();
    clock.now = (await getJob(`${reel.pk}:1001`))?.nextAttemptAt ?? 0;
    await full();
    await queue.kick();

    const failed = await getJob(`${reel.pk}:1001`);
    expect(failed?.state).toBe("failed");
    expect(failed?.lastError?.message).toBe(
      "Acme Bakery is still at Facebook's limit of 30 reels published through the API in 24 hours, so this was not sent. Press Retry later.",
    );
  });
});
