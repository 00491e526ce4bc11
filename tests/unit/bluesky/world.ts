import { createBlueskyDestination } from "@/lib/bluesky/destination";
import { jwtExpiresAt } from "@/lib/bluesky/session";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { NotShareableError, ShareError } from "@/lib/destinations/errors";
import { accountIdFor } from "@/lib/destinations/services";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { type BlueskyStandin, createBlueskyStandin, PDS_ORIGIN } from "../../support/bluesky-standin";
import { type Step, stepThrough } from "../../support/destination-step";
import { fakeAttempt, mediaBytes, queueSide } from "../../support/destination-world";
import { blueskyOverHttp } from "./over-http";

export const DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
export const HANDLE = "acme.bsky.social";
export const APP_PASSWORD = "abcd-efgh-ijkl-mnop";
export type { Step } from "../../support/destination-step";
export { image, mediaBytes, post, video } from "../../support/destination-world";

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
  let shrinkWorks = true;
  let downloadFailure: Error | undefined;
  const side = queueSide(clock, {
    id: accountIdFor("bluesky", DID),
    kind: "bluesky",
    name: "Acme Bakery",
    token: tokens.accessJwt,
    tokenExpiresAt: jwtExpiresAt(tokens.refreshJwt),
    status: "ok",
    linkedAt: clock.now,
    home: { origin: PDS_ORIGIN, userId: DID, handle: `@${HANDLE}`, refreshToken: tokens.refreshJwt },
  });
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

  const attemptOn = (job: JobRecord) => fakeAttempt(side, job);

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
    logs: side.logs,
    renewals: side.renewals,
    prepared: side.prepared,
    get account() {
      return side.account;
    },
    set account(value: AccountRecord) {
      side.account = value;
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
      side.stopped = true;
    },
    job: (shared: PublishedPost, message = shared.caption) =>
      createJob(shared, side.account, message, clock.now),
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
