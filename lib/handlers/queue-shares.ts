import { addJobsOnce } from "../db/jobs";
import type { AccountRecord } from "../db/schema";
import type { PublishedPost } from "../instagram/post";
import { createJob } from "../queue/lifecycle";
import type { HandlerDeps } from "./deps";

/**
 * Puts a post's shares in the queue, one job per post × target, whoever asked (the composer, the
 * list of past posts): a job already there for that post and target is left as it is, so asking
 * twice, from anywhere, shares once.
 */
export async function queueShares(
  deps: Pick<HandlerDeps, "queue">,
  share: { post: PublishedPost; targets: AccountRecord[]; message: string; now: number; tabId?: number },
): Promise<{ added: string[]; existing: string[] }> {
  const jobs = share.targets.map((account) =>
    createJob(share.post, account, share.message, share.now, share.tabId),
  );
  const stored = await addJobsOnce(jobs);
  void deps.queue.kick();
  return stored;
}
