import { addJobsOnce } from "../db/jobs";
import type { AccountRecord } from "../db/schema";
import type { PublishedPost } from "../instagram/post";
import { createJob, createSharedByInstagram } from "../queue/lifecycle";
import type { HandlerDeps } from "./deps";

/**
 * Puts a post's shares in the queue, one job per post × target, whoever asked (the composer, the
 * list of past posts): a job already there for that post and target is left as it is, so asking
 * twice, from anywhere, shares once. The Pages Instagram's own cross-post reached get a share that is
 * settled from the start, so nothing ever goes there.
 */
export async function queueShares(
  deps: Pick<HandlerDeps, "queue">,
  share: {
    post: PublishedPost;
    targets: AccountRecord[];
    message: string;
    now: number;
    tabId?: number;
    postedByInstagram?: { targets: AccountRecord[]; postId: string | undefined };
  },
): Promise<{ added: string[]; existing: string[] }> {
  const { post, message, now } = share;
  const jobs = [
    ...share.targets.map((account) => createJob(post, account, message, now, share.tabId)),
    ...(share.postedByInstagram?.targets ?? []).map((account) =>
      createSharedByInstagram(post, account, message, now, share.postedByInstagram?.postId),
    ),
  ];
  const stored = await addJobsOnce(jobs);
  void deps.queue.kick();
  return stored;
}
