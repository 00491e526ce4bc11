import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addJobsOnce, recentJobs } from "@/lib/db/jobs";
import { facebookDestinations } from "@/lib/facebook/destinations";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient } from "@/lib/facebook/graph";
import { MAX_ATTEMPTS } from "@/lib/queue/backoff";
import { createQueue } from "@/lib/queue/queue";
import { emptyDatabase } from "../../support/database";
import { jobFor, linkPage, photoPost } from "../../support/fixtures";

/**
 * What Facebook does with the next call. `*-posted` outcomes make the post and then fail to answer
 * (the caller cannot know it went through); `crash-*` never answer, and the worker that sent the
 * request is dropped, as a stopped MV3 worker is.
 */
type Outcome =
  | "ok"
  | "5xx"
  | "5xx-posted"
  | "5xx-posted-listed-late"
  | "timeout-posted"
  | "rate-limit"
  | "crash"
  | "crash-posted";

/** Captions repeat and may be empty, as real ones do: a post is never told apart by its text. */
const CAPTIONS = ["Fresh sourdough today", "", "Fresh sourdough today #bakery"];
/** How late Facebook lists a post made by a `-listed-late` outcome. */
const LISTED_LATE_MS = 5 * 60_000;

type Step =
  | { kind: "enqueue"; post: number; caption: number }
  | { kind: "run"; outcomes: Outcome[] }
  | { kind: "tick"; ms: number }
  | { kind: "restart" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("enqueue" as const),
    post: fc.integer({ min: 1, max: 4 }),
    caption: fc.integer({ min: 0, max: CAPTIONS.length - 1 }),
  }),
  fc.record({
    kind: fc.constant("run" as const),
    outcomes: fc.array(
      fc.constantFrom<Outcome>(
        "ok",
        "5xx",
        "5xx-posted",
        "5xx-posted-listed-late",
        "timeout-posted",
        "rate-limit",
        "crash",
        "crash-posted",
      ),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    kind: fc.constant("tick" as const),
    // Often a few seconds (a retry's back-off, well inside Facebook's late listing), sometimes minutes.
    ms: fc.oneof(fc.integer({ min: 1_000, max: 30_000 }), fc.integer({ min: 0, max: 10 * 60_000 })),
  }),
  fc.constant({ kind: "restart" as const }),
);

/**
 * A Page on Facebook that keeps its posts, answers the queue's calls, and follows the script. A
 * photo is uploaded unpublished, then posted by a feed post attaching it; the script decides what
 * happens to each feed post.
 */
function scriptedFacebook(now: () => number) {
  /** `url`: the photo's own CDN URL, unique per Instagram post: which share made which post. */
  const posts: {
    id: string;
    message: string;
    url: string;
    photoId: string;
    createdAt: number;
    listedAt: number;
  }[] = [];
  const uploads = new Map<string, string>();
  const script: Outcome[] = [];
  let crashed = false;
  const post = (message: string, photoId: string, listedLate = false) => {
    const id = `1001_${posts.length + 1}`;
    const url = uploads.get(photoId) ?? "";
    posts.push({
      id,
      message,
      url,
      photoId,
      createdAt: now(),
      listedAt: now() + (listedLate ? LISTED_LATE_MS : 0),
    });
    return id;
  };
  const client: GraphClient = {
    async call(request) {
      if (request.method === "GET") {
        const since = Number(request.params?.since ?? 0) * 1000;
        // Newest first, and a post made `-listed-late` only once Facebook lists it.
        const data = posts
          .filter((p) => p.createdAt >= since && p.listedAt <= now())
          .reverse()
          .map((p) => ({
            id: p.id,
            ...(p.message !== "" && { message: p.message }),
            created_time: new Date(p.createdAt).toISOString(),
            attachments: { data: [{ target: { id: p.photoId } }] },
          }));
        return { data };
      }
      if (request.params?.published === false) {
        const photoId = String(9000 + uploads.size);
        uploads.set(photoId, String(request.params.url));
        return { id: photoId };
      }
      const message = String(request.params?.message ?? "");
      const attached = JSON.parse(String(request.params?.attached_media ?? "[]")) as { media_fbid: string }[];
      const photoId = attached[0]?.media_fbid ?? "";
      const outcome = script.shift() ?? "ok";
      const unknown = { outcomeUnknown: true, status: 503 };
      switch (outcome) {
        case "ok":
          return { id: post(message, photoId) };
        case "5xx":
          throw new GraphError("transient", "An unexpected error has occurred.", unknown);
        case "5xx-posted":
          post(message, photoId);
          throw new GraphError("transient", "An unexpected error has occurred.", unknown);
        case "5xx-posted-listed-late":
          post(message, photoId, true);
          throw new GraphError("transient", "An unexpected error has occurred.", unknown);
        case "timeout-posted":
          post(message, photoId);
          throw new GraphError("transient", "Facebook did not answer in time.", { outcomeUnknown: true });
        case "rate-limit":
          throw new GraphError("rate-limit", "(#4) Application request limit reached", {
            code: 4,
            retryAfterMs: 60_000,
          });
        case "crash-posted":
          post(message, photoId);
          crashed = true;
          return new Promise(() => undefined);
        case "crash":
          crashed = true;
          return new Promise(() => undefined);
      }
    },
  };
  return {
    client,
    posts,
    script,
    /** True once a request hung: the worker that sent it is to be considered dead. */
    takeCrash: () => {
      const was = crashed;
      crashed = false;
      return was;
    },
  };
}

/** Lets a kick run until it is done, or until its worker is stuck on a request that never answers. */
async function runUntilSettledOrStuck(kick: Promise<void>) {
  await Promise.race([kick, new Promise((resolve) => setTimeout(resolve, 50))]);
}

describe("the queue, under random crashes, faults and time (model-based)", () => {
  it("never loses a share, never posts one twice, and gives up after a bounded number of attempts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        await emptyDatabase();
        let clock = 1_000_000;
        const now = () => clock;
        const facebook = scriptedFacebook(now);
        const page = await linkPage();
        let workers = 0;
        const newQueue = () =>
          createQueue({
            destinations: facebookDestinations({
              graph: facebook.client,
              download: () => Promise.reject(new Error("not used")),
              openTab: () => Promise.reject(new Error("not used")),
              appId: async () => undefined,
            }),
            isOnline: () => true,
            now,
            random: () => 0.5,
            owner: `worker-${++workers}`,
            onJobChanged: () => undefined,
            onAccountsChanged: () => undefined,
            scheduleWake: () => undefined,
          });
        let queue = newQueue();
        const asked = new Set<number>();

        for (const action of steps) {
          if (action.kind === "enqueue") {
            asked.add(action.post);
            const caption = CAPTIONS[action.caption] ?? "";
            await addJobsOnce([jobFor(photoPost(String(action.post), caption), page, clock)]);
          } else if (action.kind === "run") {
            facebook.script.push(...action.outcomes);
            await runUntilSettledOrStuck(queue.kick());
            if (facebook.takeCrash()) queue = newQueue();
          } else if (action.kind === "tick") {
            clock += action.ms;
          } else {
            queue = newQueue();
          }
        }

        // Then Facebook behaves, time passes, and a fresh worker finishes whatever is left.
        facebook.script.length = 0;
        queue = newQueue();
        for (let round = 0; round < 12; round += 1) {
          clock += 20 * 60_000;
          await queue.kick();
        }

        const jobs = await recentJobs(100);
        expect(new Set(jobs.map((job) => Number(job.post.pk)))).toEqual(asked);
        for (const job of jobs) {
          const made = facebook.posts.filter((post) => post.url === job.post.media[0]?.url);
          expect(made.length).toBeLessThanOrEqual(1);
          expect(job.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS + 1);
          if (job.state === "shared") {
            // Its own post: never another share's link.
            expect(made).toHaveLength(1);
            expect(job.result?.postId).toBe(made[0]?.id);
          } else expect({ state: job.state, posts: made.length }).toEqual({ state: "failed", posts: 0 });
        }
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
