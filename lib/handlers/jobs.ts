import { recentJobs, updateJob, updateJobs } from "../db/jobs";
import type { JobRecord } from "../db/schema";
import { MessageError } from "../messages/protocol";
import { jobView } from "../messages/views";
import { transition } from "../queue/lifecycle";
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
      const job = await updateJob(id, (current) => transition(current, { type: "cancel-asked" }, deps.now()));
      return changed(job, "cancelled");
    },
  };
}
