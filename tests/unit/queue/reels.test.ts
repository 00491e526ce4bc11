import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import type { PublishedPost } from "@/lib/instagram/post";
import { jobFor, linkPage, photoPost } from "../../support/fixtures";
import { quietQueue } from "../security/background";

const CLIP = "https://scontent.cdninstagram.com/v/t50.2886-16/clip.mp4";

function reelPost(pk = "4100000000000000001", caption = "Morning bake, in 30 seconds"): PublishedPost {
  return { ...photoPost(pk, caption), kind: "reel", media: [{ type: "video", url: CLIP }] };
}

type Phase = "not_started" | "in_progress" | "complete" | "error";

/**
 * Facebook's Reels route as its documents describe it: a start gives the upload session's id; the
 * upload host takes the hosted file by its URL; finish publishes; the video's status then goes
 * through processing to published, some status reads later. Faults answer after the work was done.
 */
function reelsFacebook(options: { statusReadsToPublish?: number; processingError?: string } = {}) {
  const calls: GraphRequest[] = [];
  const reels = new Map<
    string,
    { uploaded: boolean; finished: boolean; reads: number; description?: string }
  >();
  const lostAnswers: string[] = [];
  let ids = 900;
  const status = (id: string) => {
    const reel = reels.get(id);
    if (!reel) throw new GraphError("invalid", "Unsupported get request.", { code: 100, status: 400 });
    if (reel.finished) reel.reads += 1;
    const published = reel.finished && reel.reads > (options.statusReadsToPublish ?? 0);
    const processing: Phase = !reel.uploaded
      ? "not_started"
      : options.processingError
        ? "error"
        : published
          ? "complete"
          : "in_progress";
    const publishing: Phase = !reel.finished ? "not_started" : published ? "complete" : "in_progress";
    return {
      id,
      status: {
        video_status: published ? "ready" : "processing",
        uploading_phase: { status: reel.uploaded ? "complete" : "not_started" },
        processing_phase: {
          status: processing,
          ...(options.processingError && { errors: [{ code: 1363040, message: options.processingError }] }),
        },
        publishing_phase: { status: options.processingError ? "not_started" : publishing },
      },
    };
  };
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      const answer = (() => {
        if (request.host === "rupload") {
          const reel = reels.get(request.path.slice(1));
          if (!reel || request.headers?.file_url !== CLIP)
            throw new GraphError("invalid", "Bad upload.", { status: 400 });
          reel.uploaded = true;
          return { success: true };
        }
        if (request.method === "GET" && request.path.endsWith("/published_posts")) return { data: [] };
        if (request.method === "GET") return status(request.path.slice(1));
        if (request.path === "/1001/video_reels" && request.params?.upload_phase === "start") {
          const id = String(++ids);
          reels.set(id, { uploaded: false, finished: false, reads: 0 });
          return { video_id: id, upload_url: `https://rupload.facebook.com/video-upload/v26.0/${id}` };
        }
        if (request.path === "/1001/video_reels" && request.params?.upload_phase === "finish") {
          const reel = reels.get(String(request.params.video_id));
          if (!reel?.uploaded)
            throw new GraphError("invalid", "The video was not uploaded.", { code: 100, status: 400 });
          reel.finished = true;
          reel.description = String(request.params.description);
          return { success: true };
        }
        throw new GraphError("invalid", `unexpected ${request.method} ${request.path}`, { status: 400 });
      })();
      const step = request.host === "rupload" ? "upload" : String(request.params?.upload_phase ?? "");
      const lost = lostAnswers.indexOf(step);
      if (lost >= 0) {
        lostAnswers.splice(lost, 1);
        // Facebook did the work; the answer never arrived.
        throw new GraphError("transient", "An unexpected error has occurred.", {
          code: 2,
          status: 500,
          outcomeUnknown: true,
        });
      }
      return answer;
    },
  };
  return {
    client,
    calls,
    reels,
    loseAnswerTo: (step: "start" | "upload" | "finish") => lostAnswers.push(step),
    starts: () => calls.filter((call) => call.params?.upload_phase === "start").length,
  };
}

function worker(graph: GraphClient, clock: { now: number }) {
  return quietQueue(graph, { owner: "worker-1", now: () => clock.now }).queue;
}

/** Runs the queue whenever the share is due, as its alarm would, until it settles or `rounds` run out. */
async function runUntilSettled(
  queue: ReturnType<typeof worker>,
  clock: { now: number },
  id: string,
  rounds = 12,
) {
  for (let round = 0; round < rounds; round++) {
    await queue.kick();
    const job = await getJob(id);
    if (job?.state !== "queued") return job;
    clock.now = Math.max(clock.now, job.nextAttemptAt);
  }
  return getJob(id);
}

describe("reels reach a Page as Reels", () => {
  it("go through Facebook's Reels route by URL, and are Shared only once Facebook says they are published", async () => {
    const page = await linkPage();
    const reel = reelPost();
    const facebook = reelsFacebook({ statusReadsToPublish: 2 });
    const clock = { now: 1_000_000 };
    await addJobsOnce([jobFor(reel, page, clock.now)]);
    const queue = worker(facebook.client, clock);

    await queue.kick();
    const processing = await getJob(`${reel.pk}:1001`);
    expect(processing?.state).toBe("queued");
    expect(processing?.lastError?.message).toMatch(/^Facebook is still processing the reel/);

    const done = await runUntilSettled(queue, clock, `${reel.pk}:1001`);

    expect(done).toMatchObject({
      state: "shared",
      result: { postId: "901", url: "https://www.facebook.com/reel/901" },
    });
    expect(facebook.starts()).toBe(1);
    const upload = facebook.calls.find((call) => call.host === "rupload");
    expect(upload).toMatchObject({ method: "POST", path: "/901", headers: { file_url: CLIP } });
    expect(upload?.body).toBeUndefined();
    expect(facebook.reels.get("901")?.description).toBe(reel.caption);
    expect(facebook.calls.some((call) => call.path.endsWith("/videos"))).toBe(false);
  });

  it("a finish whose answer was lost is not a second reel: the same upload session is followed to published", async () => {
    const page = await linkPage();
    const reel = reelPost();
    const facebook = reelsFacebook();
    facebook.loseAnswerTo("finish");
    const clock = { now: 1_000_000 };
    await addJobsOnce([jobFor(reel, page, clock.now)]);

    const done = await runUntilSettled(worker(facebook.client, clock), clock, `${reel.pk}:1001`);

    expect(done).toMatchObject({ state: "shared", result: { postId: "901" } });
    expect(facebook.starts()).toBe(1);
    expect(facebook.reels.size).toBe(1);
  });

  it("an upload whose answer was lost is carried on, not started again", async () => {
    const page = await linkPage();
    const reel = reelPost();
    const facebook = reelsFacebook();
    facebook.loseAnswerTo("upload");
    const clock = { now: 1_000_000 };
    await addJobsOnce([jobFor(reel, page, clock.now)]);

    const done = await runUntilSettled(worker(facebook.client, clock), clock, `${reel.pk}:1001`);

    expect(done).toMatchObject({ state: "shared", result: { postId: "901" } });
    expect(facebook.reels.size).toBe(1);
  });

  it("a video Facebook cannot process fails in plain words, and is not sent again by itself", async () => {
    const page = await linkPage();
    const reel = reelPost();
    const facebook = reelsFacebook({
      processingError: "The video's aspect ratio is not supported for Reels.",
    });
    const clock = { now: 1_000_000 };
    await addJobsOnce([jobFor(reel, page, clock.now)]);

    const done = await runUntilSettled(worker(facebook.client, clock), clock, `${reel.pk}:1001`);

    expect(done?.state).toBe("failed");
    expect(done?.lastError?.message).toBe(
      "Facebook could not publish the reel: The video's aspect ratio is not supported for Reels. Check the video on Instagram, then press Retry to send it again.",
    );
    expect(facebook.starts()).toBe(1);
  });
});
