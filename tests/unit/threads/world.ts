import { onTestFinished } from "vitest";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { Attempt } from "@/lib/destinations/destination";
import { accountIdFor } from "@/lib/destinations/services";
import type { MediaItem, PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { THREADS_ORIGIN } from "@/lib/threads/client";
import { createThreadsDestination } from "@/lib/threads/destination";
import { type Step, stepThrough } from "../../support/destination-step";
import {
  createThreadsStandin,
  serveThreadsStandin,
  type ThreadsMediaLookup,
  type ThreadsStandin,
} from "../../support/threads-standin";

/** Bigger than Number.MAX_SAFE_INTEGER, as real Threads user ids are. */
export const USER_ID = "17841400123456789";
const cdn = (name: string) =>
  `https://scontent.cdninstagram.com/v/t51.2885-15/${name}?_nc_ht=scontent.cdninstagram.com`;
export const image = (name: string, alt?: string): MediaItem => ({
  type: "image",
  url: cdn(`${name}.jpg`),
  ...(alt && { alt }),
});
export const video = (name: string, duration?: number): MediaItem => ({
  type: "video",
  url: cdn(`${name}.mp4`),
  ...(duration !== undefined && { duration }),
});

export function post(kind: PublishedPost["kind"], media: MediaItem[], caption = `A ${kind} from the bakery`) {
  return { pk: "3141592653589793238", code: "C9xYz_AbCdE", kind, caption, media } satisfies PublishedPost;
}

export type { Step } from "../../support/destination-step";

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
  const logs: string[] = [];
  const renewals: { token: string; tokenExpiresAt?: number }[] = [];
  let account: AccountRecord = {
    id: accountIdFor("threads", USER_ID),
    kind: "threads",
    name: "Acme Bakery",
    token,
    tokenExpiresAt: clock.now + 5_183_944_000,
    status: "ok",
    linkedAt: clock.now,
    home: { origin: THREADS_ORIGIN, userId: USER_ID, handle: "@acme.bakery" },
  };
  let shared: JobRecord[] = [];
  const destination = createThreadsDestination({
    fetch: served.fetch,
    sleep: async (ms) => {
      slept.push(ms);
      clock.now += ms;
    },
  });

  function attemptOn(job: JobRecord): Attempt {
    return {
      job,
      get account() {
        return account;
      },
      now: () => clock.now,
      async prepared(made) {
        // As the queue stores it: the newest container replaces an older one.
        job.made = {
          since: job.made?.since ?? clock.now,
          photoIds: [...(job.made?.photoIds ?? []), ...(made.photoIds ?? [])],
          videoId: made.videoId ?? job.made?.videoId,
          containerId: made.containerId ?? job.made?.containerId,
        };
      },
      postMade: async () => undefined,
      mayPostAgain: () => true,
      sharedJobs: async () => shared,
      log: async (message) => {
        logs.push(message);
      },
      async renewedSignIn(signIn) {
        renewals.push(signIn);
        account = { ...account, token: signIn.token, tokenExpiresAt: signIn.tokenExpiresAt };
      },
      failure: async () => {
        throw new Error("not expected: the destination words no failure of its own");
      },
    };
  }

  /** One attempt at the job, as the queue makes it. */
  function step(job: JobRecord): Promise<Step> {
    return stepThrough(destination, job, attemptOn(job), (done) => {
      shared = [...shared, done];
    });
  }

  return {
    clock,
    threads,
    destination,
    slept,
    logs,
    renewals,
    get account() {
      return account;
    },
    set account(value: AccountRecord) {
      account = value;
    },
    job: (shared: PublishedPost, message = shared.caption) => createJob(shared, account, message, clock.now),
    attemptOn,
    step,
    /** The requests that reached graph.threads.net, as `METHOD /path`. */
    calls: () => threads.requests().map((request) => `${request.method} ${request.path}`),
  };
}
