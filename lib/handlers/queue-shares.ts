import { fitText } from "../caption/fit";
import { toFacebookMessage } from "../caption/message";
import { addJobsOnce } from "../db/jobs";
import type { AccountRecord } from "../db/schema";
import { SCHEDULE_MAX_AHEAD_MS } from "../facebook/pages";
import { permalinkOf } from "../instagram/permalink";
import type { PublishedPost } from "../instagram/post";
import { MessageError } from "../messages/protocol";
import { createJob, createSharedByInstagram } from "../queue/lifecycle";
import { loadSettings } from "../settings/store";
import type { HandlerDeps } from "./deps";

/**
 * Puts a post's shares in the queue, one job per post × target, whoever asked (the composer, the
 * list of past posts): a job already there for that post and target is left as it is, so asking
 * twice, from anywhere, shares once. The Pages Instagram's own cross-post reached get a share that is
 * settled from the start, so nothing ever goes there. Each Page post carries the first comment the
 * caption rules make of the post's caption.
 */
export async function queueShares(
  deps: Pick<HandlerDeps, "queue">,
  share: {
    post: PublishedPost;
    targets: AccountRecord[];
    message: string;
    /** When Facebook should have it: "now", a time (epoch ms), or absent for the user's default delay. */
    when?: "now" | number;
    now: number;
    tabId?: number;
    postedByInstagram?: { targets: AccountRecord[]; postId: string | undefined };
  },
): Promise<{ added: string[]; existing: string[] }> {
  const { post, message, now } = share;
  // The first comment comes from the caption rules and Instagram's own caption, never from a page.
  const settings = await loadSettings();
  const { comment } = toFacebookMessage(post.caption, settings.caption, permalinkOf(post));
  const publishAt = publishTime(share.when, settings.delayMinutes ?? 0, now);
  const jobs = [
    ...share.targets.map((account) => {
      const limits = deps.queue.limitsOf(account);
      // A service that takes no first comment gets its text in the post; one with a short limit
      // gets the text shortened, with the link to the post on Instagram.
      const text = limits?.firstComment === false && comment ? `${message.trimEnd()}\n\n${comment}` : message;
      const fitted = limits ? fitText(text, limits.text, permalinkOf(post)).text : text;
      return createJob(post, account, fitted, now, { tabId: share.tabId, comment, publishAt });
    }),
    ...(share.postedByInstagram?.targets ?? []).map((account) =>
      createSharedByInstagram(post, account, message, now, share.postedByInstagram?.postId),
    ),
  ];
  const stored = await addJobsOnce(jobs, (job) =>
    job.sharedByInstagram
      ? {
          at: now,
          type: "share-skipped",
          message: `Instagram already shared this post to ${job.targetName}; alsoshare did not post it there again.`,
        }
      : undefined,
  );
  void deps.queue.kick();
  return stored;
}

/** The time a share is for: the one chosen, else the default delay; undefined when it goes now. */
function publishTime(when: "now" | number | undefined, delayMinutes: number, now: number) {
  if (when === "now") return undefined;
  if (when === undefined) return delayMinutes > 0 ? now + delayMinutes * 60_000 : undefined;
  if (when > now + SCHEDULE_MAX_AHEAD_MS) {
    throw new MessageError("bad-request", "Facebook schedules posts at most 30 days ahead.");
  }
  return when > now ? when : undefined;
}
