import { getAccount, putAccount } from "../db/accounts";
import { logEvent } from "../db/events";
import { claimDueJob, moveJobsOfTarget, nextDueAt, recoverOrphanedJobs, settleJob } from "../db/jobs";
import type { AccountRecord, JobRecord } from "../db/schema";
import { GraphError } from "../facebook/errors";
import type { GraphClient } from "../facebook/graph";
import { findPostSince, type PublishedFacebookPost, publishPhotoByUrl } from "../facebook/pages";
import { BLOCKED_WAIT_MS, backoffMs, MAX_ATTEMPTS, RATE_LIMIT_DEFAULT_WAIT_MS } from "./backoff";

export interface QueueDeps {
  graph: GraphClient;
  now: () => number;
  random: () => number;
  /** This worker's identity: leases held by any other owner are from a worker that is gone. */
  owner: string;
  onJobChanged: (job: JobRecord) => void;
  /** Wake the queue at this time (or never, when undefined). */
  scheduleWake: (at: number | undefined) => void;
}

/** Longer than one attempt can take (a few requests, each with a 15 s client timeout). */
const LEASE_MS = 2 * 60_000;

export function createQueue(deps: QueueDeps) {
  let running: Promise<void> | undefined;
  let rerun = false;

  async function drain(): Promise<void> {
    await recoverOrphanedJobs(deps.owner, deps.now());
    for (;;) {
      const job = await claimDueJob(deps.owner, deps.now(), LEASE_MS);
      if (!job) break;
      deps.onJobChanged(job);
      const settled = await attempt(job);
      if (settled) deps.onJobChanged(settled);
    }
    deps.scheduleWake(await nextDueAt());
  }

  async function attempt(job: JobRecord): Promise<JobRecord | undefined> {
    const account = await getAccount(job.targetId);
    if (!account?.token) {
      return settle(job, {
        state: "failed",
        lastError: error("unlinked", `${job.targetName} is no longer linked.`),
      });
    }
    if (account.status === "needs-signin") return settle(job, { state: "needs-signin" });
    const target = { pageId: account.id, token: account.token };
    try {
      const found = job.needsReconcile
        ? await findPostSince(deps.graph, target, { message: job.message, sinceMs: job.createdAt })
        : undefined;
      const posted = found ?? (await publish(job, target));
      return settle(job, shared(posted));
    } catch (cause) {
      return settle(job, await failure(job, account, cause));
    }
  }

  function publish(
    job: JobRecord,
    target: { pageId: string; token: string },
  ): Promise<PublishedFacebookPost> {
    const photo = job.post.media[0];
    if (job.post.kind !== "photo" || !photo || photo.type !== "image") {
      throw new GraphError("invalid", `Sharing ${job.post.kind}s to Facebook is not supported yet.`);
    }
    return publishPhotoByUrl(deps.graph, target, { url: photo.url, message: job.message });
  }

  async function failure(
    job: JobRecord,
    account: AccountRecord,
    cause: unknown,
  ): Promise<Partial<JobRecord>> {
    const graphError =
      cause instanceof GraphError
        ? cause
        : new GraphError("transient", "Something went wrong while sharing.");
    const now = deps.now();
    const retryAt = (waitMs: number): Partial<JobRecord> => ({
      state: "queued",
      nextAttemptAt: now + waitMs,
      needsReconcile: job.needsReconcile || graphError.details.outcomeUnknown,
      lastError: error(graphError.kind, graphError.message),
    });
    switch (graphError.kind) {
      case "transient":
        if (job.attempts >= MAX_ATTEMPTS) {
          return {
            state: "failed",
            lastError: error("transient", `Facebook kept failing (${graphError.message}). Try again later.`),
          };
        }
        return retryAt(backoffMs(job.attempts, deps.random));
      case "rate-limit": {
        const waitMs = graphError.details.retryAfterMs ?? RATE_LIMIT_DEFAULT_WAIT_MS;
        await slowTarget(job.targetId, now + waitMs);
        return retryAt(waitMs);
      }
      case "blocked":
        return retryAt(BLOCKED_WAIT_MS);
      case "auth":
        await pauseAccount(account);
        return {
          state: "needs-signin",
          lastError: error(
            "auth",
            `${account.name} needs you to sign in again before anything more is shared.`,
          ),
        };
      case "duplicate": {
        const found = await findPostSince(
          deps.graph,
          { pageId: account.id, token: account.token ?? "" },
          { message: job.message, sinceMs: job.createdAt },
        ).catch(() => undefined);
        if (found) return shared(found);
        return {
          state: "failed",
          lastError: error("duplicate", `Facebook refused this as a duplicate post.`),
        };
      }
      default:
        return {
          state: "failed",
          lastError: error(graphError.kind, graphError.details.userMessage ?? graphError.message),
        };
    }
  }

  function settle(job: JobRecord, patch: Partial<JobRecord>) {
    return settleJob(job.id, deps.owner, patch, deps.now());
  }

  function shared(post: PublishedFacebookPost): Partial<JobRecord> {
    return { state: "shared", result: post, needsReconcile: false, lastError: undefined };
  }

  function error(kind: string, message: string) {
    return { kind, message, at: deps.now() };
  }

  /** A rate limit is per Page: every queued job of that Page waits as long. */
  async function slowTarget(targetId: string, until: number) {
    await moveJobsOfTarget(targetId, ["queued"], (job) => ({
      ...job,
      nextAttemptAt: Math.max(job.nextAttemptAt, until),
    }));
  }

  /** A dead token: the account and all its waiting jobs pause until the user signs in again. */
  async function pauseAccount(account: AccountRecord) {
    if (account.status !== "needs-signin") {
      await putAccount({ ...account, status: "needs-signin" });
      await logEvent("share-failed", `${account.name}: Facebook no longer accepts its sign-in.`);
    }
    const paused = await moveJobsOfTarget(account.id, ["queued"], (job) => ({
      ...job,
      state: "needs-signin",
      updatedAt: deps.now(),
    }));
    for (const job of paused) deps.onJobChanged(job);
  }

  return {
    /**
     * Takes back what a dead worker left mid-way, then runs every due job; calls made while it
     * runs make it look again when done.
     */
    kick(): Promise<void> {
      if (running) {
        rerun = true;
        return running;
      }
      running = (async () => {
        do {
          rerun = false;
          await drain();
        } while (rerun);
      })().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
