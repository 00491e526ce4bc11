import { onTestFinished } from "vitest";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { THREADS_ORIGIN } from "@/lib/threads/client";
import { createThreadsDestination } from "@/lib/threads/destination";
import { type Step, stepThrough } from "../../support/destination-step";
import { fakeAttempt, queueSide } from "../../support/destination-world";
import {
  createThreadsStandin,
  serveThreadsStandin,
  type ThreadsMediaLookup,
  type ThreadsStandin,
} from "../../support/threads-standin";

/** Bigger than Number.MAX_SAFE_INTEGER, as real Threads user ids are. */
export const USER_ID = "17841400123456789";

export type { Step } from "../../support/destination-step";
export { image, post, video } from "../../support/destination-world";

/**
 * The Threads stand-in served on a local port, a linked profile, the destination over the
 * stand-in, and a small stand-in for the queue: it keeps one job's record as the queue's contract
 * says (what `prepared` stores, whether the job must be looked for first) and takes one step at a
 * time. The clock moves only when told, or when the destination waits.
 */
export async function threadsWorld(options: { lookupMedia?: ThreadsMediaLookup; now?: number } = {}) {
  const clock = { now: options.now ?? Date.UTC(2026, 8, 1, 9, 0) };
  const threads: ThreadsStandin = createThreadsStandin({
    now: () => clock.now,
    lookupMedia: options.lookupMedia,
  });
  const served = await serveThreadsStandin(threads);
  onTestFinished(() => served.close());
  threads.addUser({ id: USER_ID, username: "acme.bakery", name: "Acme Bakery" });
  const token = threads.signIn(USER_ID);
  const slept: number[] = [];
  const side = queueSide(clock, {
    id: accountIdFor("threads", USER_ID),
    kind: "threads",
    name: "Acme Bakery",
    token,
    tokenExpiresAt: clock.now + 5_183_944_000,
    status: "ok",
    linkedAt: clock.now,
    home: { origin: THREADS_ORIGIN, userId: USER_ID, handle: "@acme.bakery" },
  });
  const destination = createThreadsDestination({
    fetch: served.fetch,
    sleep: async (ms) => {
      slept.push(ms);
      clock.now += ms;
    },
  });

  const attemptOn = (job: JobRecord) => fakeAttempt(side, job);

  /** One attempt at the job, as the queue makes it. */
  function step(job: JobRecord): Promise<Step> {
    return stepThrough(destination, job, attemptOn(job), (done) => {
      side.shared = [...side.shared, done];
    });
  }

  return {
    clock,
    threads,
    destination,
    slept,
    logs: side.logs,
    renewals: side.renewals,
    get account() {
      return side.account;
    },
    set account(value: AccountRecord) {
      side.account = value;
    },
    job: (shared: PublishedPost, message = shared.caption) =>
      createJob(shared, side.account, message, clock.now),
    attemptOn,
    step,
    /** The requests that reached graph.threads.net, as `METHOD /path`. */
    calls: () => threads.requests().map((request) => `${request.method} ${request.path}`),
  };
}
