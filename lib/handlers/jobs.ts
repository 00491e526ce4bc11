import { getAccount } from "../db/accounts";
import { getJob, recentJobs, updateJob, updateJobs } from "../db/jobs";
import type { JobRecord } from "../db/schema";
import { unschedulePost } from "../facebook/pages";
import { MessageError } from "../messages/protocol";
import { jobView } from "../messages/views";
import { isScheduled, transition } from "../queue/lifecycle";
import type { HandlerDeps, HandlersFor } from "./deps";

/** The share history and what the user can do with each share. */
export function createJobsHandlers(
  deps: HandlerDeps,
): HandlersFor<"jobs.list" | "jobs.retry" | "jobs.retryFailed" | "jobs.confirmShared" | "jobs.cancel"> {
  const changed = (job: JobRecord | undefined, what: string) => {
    if (!job) throw new MessageError("not-found", `That share cannot be ${what} now.`);
    deps.onJobChanged(job);
    return jobView(job);
  };

  /** A post Facebook holds for later is deleted there first; only then is the share cancelled. */
  const unschedule = async (job: JobRecord, postId: string) => {
    const account = await getAccount(job.targetId);
    if (!account?.token) {
      throw new MessageError(
        "failed",
        `${job.targetName} is no longer linked: delete the scheduled post on Facebook.`,
      );
    }
    const outcome = await unschedulePost(
      deps.graph,
      { pageId: account.id, token: account.token },
      postId,
    ).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : "unknown error";
      throw new MessageError(
        "failed",
        `Facebook did not take the scheduled post off ${account.name}: ${reason}`,
      );
    });
    if (outcome === "published") {
      throw new MessageError(
        "failed",
        `Facebook has already published it on ${account.name}; nothing was deleted.`,
      );
    }
    return updateJob(job.id, (current) => transition(current, { type: "unscheduled" }, deps.now()));
  };

  return {
    async "jobs.list"({ limit, createdBefore }) {
      return (await recentJobs(limit, createdBefore)).map(jobView);
    },

    async "jobs.retry"({ id }) {
      const job = await updateJob(id, (current) => transition(current, { type: "retry-asked" }, deps.now()));
      const view = changed(job, "retried");
      void deps.queue.kick();
      return view;
    },

    async "jobs.retryFailed"() {
      const requeued = await updateJobs(["failed"], (job) =>
        transition(job, { type: "retry-asked" }, deps.now()),
      );
      for (const job of requeued) deps.onJobChanged(job);
      void deps.queue.kick();
      return requeued.length;
    },

    async "jobs.confirmShared"({ id }) {
      const job = await updateJob(id, (current) =>
        transition(current, { type: "confirmed-by-user" }, deps.now()),
      );
      return changed(job, "marked as shared");
    },

    async "jobs.cancel"({ id }) {
      const stored = await getJob(id);
      if (stored?.result && isScheduled(stored, deps.now()))
        return changed(await unschedule(stored, stored.result.postId), "cancelled");
      const job = await updateJob(id, (current) => transition(current, { type: "cancel-asked" }, deps.now()));
      return changed(job, "cancelled");
    },
  };
}
