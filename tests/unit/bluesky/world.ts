import { createBlueskyDestination } from "@/lib/bluesky/destination";
import { jwtExpiresAt } from "@/lib/bluesky/session";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { Attempt } from "@/lib/destinations/destination";
import { NotShareableError, type ShareError } from "@/lib/destinations/errors";
import { accountIdFor } from "@/lib/destinations/services";
import type { MediaItem, PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { type BlueskyStandin, createBlueskyStandin, PDS_ORIGIN } from "../../support/bluesky-standin";
import { type Step, stepThrough } from "../../support/destination-step";
import { blueskyOverHttp } from "./over-http";

export const DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
export const HANDLE = "acme.bsky.social";
export const APP_PASSWORD = "abcd-efgh-ijkl-mnop";
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

export type { Step } from "../../support/destination-step";

/**
 * The Bluesky stand-in served on a local port, a linked account, the destination over the
 * stand-in with Instagram's files as a map, and a small stand-in for the queue: it keeps one
 * job's record as the queue's contract says (what `prepared` stores, whether the job must be
 * looked for first) and takes one step at a time. The clock moves only when told.
 */
export async function blueskyWorld(options: { now?: number } = {}) {
  const clock = { now: options.now ?? Date.UTC(2026, 8, 1, 9, 0) };
  const bluesky: BlueskyStandin = createBlueskyStandin({ now: () => clock.now });
  const fetch = await blueskyOverHttp(bluesky);
  bluesky.addAccount({ did: DID, handle: HANDLE, appPassword: APP_PASSWORD, displayName: "Acme Bakery" });
  const tokens = bluesky.signIn(DID);
  /** Instagram's files by URL; any other photo is a 200 kB JPEG, any other video a 5 MB MP4. */
  const files = new Map<string, Blob>();
  const downloads: string[] = [];
  const shrinks: { size: number; maxBytes: number }[] = [];
  const logs: string[] = [];
  const renewals: { token: string; refreshToken?: string; tokenExpiresAt?: number }[] = [];
  const prepared: { photoIds?: string[]; videoId?: string }[] = [];
  let shrinkWorks = true;
  let downloadFailure: Error | undefined;
  let account: AccountRecord = {
    id: accountIdFor("bluesky", DID),
    kind: "bluesky",
    name: "Acme Bakery",
    token: tokens.accessJwt,
    tokenExpiresAt: jwtExpiresAt(tokens.refreshJwt),
    status: "ok",
    linkedAt: clock.now,
    home: { origin: PDS_ORIGIN, userId: DID, handle: `@${HANDLE}`, refreshToken: tokens.refreshJwt },
  };
  let stopped = false;
  const destination = createBlueskyDestination({
    fetch,
    download: async (url) => {
      downloads.push(url);
      if (downloadFailure) throw downloadFailure;
      return (
        files.get(url) ?? (url.includes(".mp4") ? mediaBytes("mp4", 5_000_000) : mediaBytes("jpeg", 200_000))
      );
    },
    shrinkImage: async (blob, maxBytes) => {
      shrinks.push({ size: blob.size, maxBytes });
      if (!shrinkWorks) throw new Error("could not decode the image");
      return mediaBytes("jpeg", Math.floor(maxBytes * 0.9));
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
        if (stopped)
          throw new NotShareableError(
            "This share was stopped while it was being sent; nothing was published.",
          );
        prepared.push(made);
        job.made = {
          since: job.made?.since ?? clock.now,
          photoIds: [...(job.made?.photoIds ?? []), ...(made.photoIds ?? [])],
          videoId: made.videoId ?? job.made?.videoId,
        };
      },
      postMade: async () => undefined,
      mayPostAgain: () => true,
      sharedJobs: async () => [],
      log: async (message) => {
        logs.push(message);
      },
      async renewedSignIn(signIn) {
        renewals.push(signIn);
        account = {
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

  /** One attempt at the job, as the queue makes it. */
  function step(job: JobRecord): Promise<Step> {
    return stepThrough(destination, job, attemptOn(job));
  }

  return {
    clock,
    bluesky,
    fetch,
    destination,
    files,
    downloads,
    shrinks,
    logs,
    renewals,
    prepared,
    get account() {
      return account;
    },
    set account(value: AccountRecord) {
      account = value;
    },
    /** The shrinking fails, as for an image the browser cannot decode. */
    breakShrinking() {
      shrinkWorks = false;
    },
    /** Instagram's files can no longer be had: every download throws this. */
    failDownloads(error: Error) {
      downloadFailure = error;
    },
    /** The user stops the share while it is being sent: `prepared` throws, as the queue's does. */
    stop() {
      stopped = true;
    },
    job: (shared: PublishedPost, message = shared.caption) => createJob(shared, account, message, clock.now),
    attemptOn,
    step,
    /** The XRPC calls that reached the stand-in, as `METHOD host nsid`. */
    calls: () => bluesky.requests().map((request) => `${request.method} ${request.host} ${request.nsid}`),
  };
}

/** The error of a step that failed; any other step fails the test. */
export function failure(step: Step): ShareError | NotShareableError {
  if (!("error" in step)) throw new Error(`expected a failure, got ${JSON.stringify(step)}`);
  return step.error;
}
