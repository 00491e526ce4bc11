import { describe, expect, it } from "vitest";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import { finishReel, reelStatus, unschedulePost } from "@/lib/facebook/pages";

const TARGET = { pageId: "1001", token: "EAAGpagetoken0123456789abcdef" };

/** A Graph that answers each call from the list, in order, and keeps the calls. */
function answering(...answers: unknown[]) {
  const calls: GraphRequest[] = [];
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      return answers.shift();
    },
  };
  return { client, calls };
}

describe("scheduled Page posts", () => {
  it("finishes a reel for later as SCHEDULED with its time in seconds", async () => {
    const graph = answering({ success: true });
    await finishReel(graph.client, TARGET, {
      videoId: "901",
      description: "Rye",
      publishAt: 1_800_000_000_500,
    });
    expect(graph.calls[0]?.params).toMatchObject({
      video_state: "SCHEDULED",
      scheduled_publish_time: 1_800_000_000,
    });
  });

  it("takes a reel Facebook holds for later as done: Facebook publishes it, nothing is sent again", async () => {
    const graph = answering({
      id: "901",
      status: {
        video_status: "ready",
        uploading_phase: { status: "complete" },
        processing_phase: { status: "complete" },
        publishing_phase: { status: "not_started", publish_status: "scheduled" },
      },
    });
    expect(await reelStatus(graph.client, TARGET, "901")).toEqual({
      state: "published",
      post: { postId: "901", url: "https://www.facebook.com/reel/901" },
    });
  });

  it("reads a video's state as videos say it (`published`), a post's as posts do (`is_published`)", async () => {
    const video = answering({ id: "901", published: false }, { success: true });
    expect(await unschedulePost(video.client, TARGET, "901")).toBe("deleted");
    expect(video.calls.map((call) => [call.method, call.params?.fields])).toEqual([
      ["GET", "id,published"],
      ["DELETE", undefined],
    ]);
    const post = answering({ id: "1001_5" });
    // A post that does not say it is unpublished is taken as published: nothing is deleted.
    expect(await unschedulePost(post.client, TARGET, "1001_5")).toBe("published");
    expect(post.calls.map((call) => call.params?.fields)).toEqual(["id,is_published"]);
  });
});
