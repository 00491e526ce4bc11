import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { Attempt, PreparedIds } from "@/lib/destinations/destination";
import { NotShareableError } from "@/lib/destinations/errors";
import type { MediaItem, PublishedPost } from "@/lib/instagram/post";
import { createQueue, type QueueDeps } from "@/lib/queue/queue";

/*
 * What the destinations' own unit tests share (tests/unit/{bluesky,mastodon,threads,tumblr}): the
 * Instagram post a job carries, the queue's side of an attempt as its contract says, and the real
 * queue for the tests that run it (tests/unit/destinations, tests/unit/bluesky/queue.test.ts).
 */

const cdn = (file: string) =>
  `https://scontent.cdninstagram.com/v/t51.2885-15/${file}?_nc_ht=scontent.cdninstagram.com`;

export const image = (name: string, extra: Partial<MediaItem> = {}): MediaItem => ({
  type: "image",
  url: cdn(`${name}.jpg`),
  ...extra,
});

export const video = (name: string, extra: Partial<MediaItem> = {}): MediaItem => ({
  type: "video",
  url: cdn(`${name}.mp4`),
  ...extra,
});

export function post(kind: PublishedPost["kind"], media: MediaItem[], caption = `A ${kind} from the bakery`) {
  return { pk: "3141592653589793238", code: "C9xYz_AbCdE", kind, caption, media } satisfies PublishedPost;
}

/** Bytes as Instagram's CDN serves them: a JPEG or an MP4 by their first bytes, of the given size. */
export function mediaBytes(kind: "jpeg" | "mp4", size: number): Blob {
  const bytes = new Uint8Array(size);
  bytes.set(kind === "jpeg" ? [0xff, 0xd8, 0xff, 0xe0] : [0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]);
  return new Blob([bytes], { type: kind === "jpeg" ? "image/jpeg" : "video/mp4" });
}

export type RenewedSignIn = Parameters<Attempt["renewedSignIn"]>[0];

/** What a test world's queue keeps across attempts, and what the test reads back. */
export interface QueueSide {
  clock: { now: number };
  account: AccountRecord;
  logs: string[];
  renewals: RenewedSignIn[];
  prepared: PreparedIds[];
  /** The account's other shares that are done. */
  shared: JobRecord[];
  /** The user stopped the share: `prepared` refuses, as the queue's does, so no final call is made. */
  stopped: boolean;
}

export function queueSide(clock: { now: number }, account: AccountRecord): QueueSide {
  return { clock, account, logs: [], renewals: [], prepared: [], shared: [], stopped: false };
}

/** One attempt at `job`, its record kept as the queue keeps it (lifecycle's "prepared", renewSignIn). */
export function fakeAttempt(side: QueueSide, job: JobRecord): Attempt {
  return {
    job,
    get account() {
      return side.account;
    },
    now: () => side.clock.now,
    async prepared(made) {
      if (side.stopped) {
        throw new NotShareableError("This share was stopped while it was being sent; nothing was published.");
      }
      side.prepared.push(made);
      job.made = {
        since: job.made?.since ?? side.clock.now,
        photoIds: [...(job.made?.photoIds ?? []), ...(made.photoIds ?? [])],
        videoId: made.videoId ?? job.made?.videoId,
        containerId: made.containerId ?? job.made?.containerId,
      };
    },
    postMade: async () => undefined,
    mayPostAgain: () => true,
    sharedJobs: async () => side.shared,
    log: async (message) => {
      side.logs.push(message);
    },
    async renewedSignIn(signIn) {
      side.renewals.push(signIn);
      const { account } = side;
      side.account = {
        ...account,
        token: signIn.token,
        tokenExpiresAt: signIn.tokenExpiresAt ?? account.tokenExpiresAt,
        ...(account.home && {
          home: { ...account.home, refreshToken: signIn.refreshToken ?? account.home.refreshToken },
        }),
      };
    },
    failure: async () => {
      throw new Error("not expected: the destination words no failure of its own");
    },
  };
}

/** The real queue over these destinations, on a test clock, telling no one: for the destinations' queue tests. */
export function queueOver(destinations: QueueDeps["destinations"], now: () => number) {
  return createQueue({
    destinations,
    isOnline: () => true,
    now,
    random: () => 0.5,
    owner: "worker-1",
    onJobChanged: () => undefined,
    onAccountsChanged: () => undefined,
    scheduleWake: () => undefined,
  });
}
