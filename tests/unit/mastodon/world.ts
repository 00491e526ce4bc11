import { onTestFinished } from "vitest";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import type { PublishedPost } from "@/lib/instagram/post";
import { createMastodonDestination } from "@/lib/mastodon/destination";
import { createJob } from "@/lib/queue/lifecycle";
import { type Step, stepThrough } from "../../support/destination-step";
import { fakeAttempt, queueSide } from "../../support/destination-world";
import {
  createMastodonStandin,
  type MastodonRelease,
  type MastodonStandin,
  serveMastodonStandin,
} from "../../support/mastodon-standin";

export const HOST = "mastodon.example";
export const ORIGIN = `https://${HOST}`;

export type { Step } from "../../support/destination-step";
export { image, post, video } from "../../support/destination-world";

/**
 * The Mastodon stand-in served on a local port, a linked account, the destination over the
 * stand-in, and a small stand-in for the queue: it keeps one job's record as the queue's contract
 * says (a fresh attempt starts its note of what it made; `prepared` adds to it; an answer that may
 * have been lost makes the job looked for first) and takes one step at a time. The clock moves
 * only when told, or when the destination waits.
 */
export async function mastodonWorld(options: { release?: MastodonRelease } = {}) {
  const clock = { now: Date.UTC(2026, 8, 1, 9, 0) };
  const mastodon: MastodonStandin = createMastodonStandin({ now: () => clock.now, host: HOST });
  if (options.release) mastodon.settings.release = options.release;
  const served = await serveMastodonStandin(mastodon);
  onTestFinished(() => served.close());
  const user = mastodon.addAccount({ username: "acmebakery", displayName: "Acme Bakery" });
  const token = mastodon.signIn(user.id);
  const slept: number[] = [];
  const downloads: string[] = [];
  /** Files the CDN serves by URL; any other Instagram URL answers a small file of its kind. */
  const files = new Map<string, Blob>();
  const side = queueSide(clock, {
    id: accountIdFor("mastodon", `${user.id}@${HOST}`),
    kind: "mastodon",
    name: "Acme Bakery",
    token,
    status: "ok",
    linkedAt: clock.now,
    home: { origin: ORIGIN, userId: user.id, handle: `@acmebakery@${HOST}` },
  });
  const destination = createMastodonDestination({
    fetch: served.fetch,
    download: async (url) => {
      downloads.push(url);
      return (
        files.get(url) ??
        new Blob([new Uint8Array(2048)], { type: url.includes(".mp4") ? "video/mp4" : "image/jpeg" })
      );
    },
    sleep: async (ms) => {
      slept.push(ms);
      clock.now += ms;
    },
  });

  const attemptOn = (job: JobRecord) => fakeAttempt(side, job);

  /** One attempt at the job, as the queue makes it. */
  function step(job: JobRecord): Promise<Step> {
    // The queue's claim: a fresh attempt starts the note of what it makes (lifecycle "claimed").
    if (!job.made && !job.needsReconcile) job.made = { since: clock.now, photoIds: [] };
    return stepThrough(destination, job, attemptOn(job), (done) => {
      side.shared = [...side.shared, done];
    });
  }

  return {
    clock,
    mastodon,
    destination,
    user,
    token,
    slept,
    logs: side.logs,
    downloads,
    files,
    fetch: served.fetch,
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
    /** The requests that reached the server, as `METHOD /path`. */
    calls: () => mastodon.requests().map((request) => `${request.method} ${request.path}`),
    /** Statuses on the server, deleted ones left out. */
    posts: () => mastodon.statuses().filter((status) => !status.deleted),
  };
}
