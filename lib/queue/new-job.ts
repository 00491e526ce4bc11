import type { AccountRecord, JobRecord } from "../db/schema";
import { type PublishedPost, permalinkOf } from "../instagram/post";

/**
 * The job for one post × target, as the share request creates it. Its id is the idempotency key
 * `igMediaPk:targetId`. A target that needs sign-in gets its job paused from the start.
 */
export function newJob(
  post: PublishedPost,
  target: Pick<AccountRecord, "id" | "name" | "status">,
  message: string,
  now: number,
  tabId?: number,
): JobRecord {
  return {
    id: `${post.pk}:${target.id}`,
    post,
    permalink: permalinkOf(post),
    message,
    targetId: target.id,
    targetName: target.name,
    state: target.status === "needs-signin" ? "needs-signin" : "queued",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    tabId,
  };
}
