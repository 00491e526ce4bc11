import type { AccountRecord, JobError, JobRecord } from "../db/schema";
import { serviceName } from "../destinations/services";
import { permalinkOf } from "../instagram/permalink";
import type { PublishedPost } from "../instagram/post";
import {
  BLOCKED_WAIT_MS,
  backoffMs,
  LOOK_AGAIN_MS,
  MAX_ATTEMPTS,
  RATE_LIMIT_MAX_WAIT_MS,
  UNANSWERED_WAIT_MS,
} from "./backoff";

/**
 * A job's life, decided here and nowhere else: which state it is in, how many attempts it used,
 * when it is next due. Storage persists what `transition` answers; the queue and the handlers only
 * send it events. Pure: the clock and the jitter come in with the call.
 */

/** How one attempt at sending a job ended, as the queue saw it. */
export type AttemptOutcome =
  | { type: "posted"; result: { postId: string; url: string }; commentId?: string }
  /** Failed for a passing reason (5xx, network, garbled answer): retried with back-off, up to a limit. */
  | { type: "transient"; reason: string; maybePosted: boolean; unanswered: boolean; jitter: number }
  /** Not the job's fault (no network, no host access): waits without using up an attempt. */
  | {
      type: "waiting";
      kind: "offline" | "no-access";
      message: string;
      recheckMs: number;
      maybePosted: boolean;
    }
  /** `reason`: Facebook's own words. */
  | { type: "rate-limited"; waitMs: number; reason: string; maybePosted: boolean }
  | { type: "blocked"; reason: string; maybePosted: boolean }
  | { type: "signed-out"; message: string; maybePosted: boolean }
  /** Will not go through as it is: the job fails and waits for the user. */
  | { type: "refused"; kind: string; message: string }
  /** It may or may not have gone out, and there is no way to look: the user decides. */
  | { type: "unconfirmed"; message: string }
  /**
   * The account used up a publishing quota (a Page's daily reels): one wait until `until`, when it
   * has room again. `limit` names it: "Facebook's limit of 30 reels published through the API in 24 hours".
   */
  | { type: "quota-used"; until: number; limit: string }
  /** Facebook has it and is still processing it (a reel): look again later, never send it again. */
  | { type: "processing"; reason: string }
  /** An earlier attempt's post was looked for and is not listed (yet): look again before sending. */
  | { type: "not-found-yet" }
  /**
   * Nothing more to send before `at`: a post due too soon for Facebook to schedule it, or the first
   * comment of a post Facebook publishes then. Waiting uses no attempt.
   */
  | { type: "due-later"; at: number };

export type JobEvent =
  /** The queue takes a due job: it is `sending` under this worker's lease before anything is sent. */
  | { type: "claimed"; owner: string; leaseMs: number }
  /** Mid-attempt, before the final call: the ids of what it made so far, to be found by later. */
  | { type: "prepared"; owner: string; photoIds?: string[]; videoId?: string; containerId?: string }
  /** The post exists (its first comment is next): it is never sent again, whatever happens after. */
  | { type: "post-made"; owner: string; result: { postId: string; url: string } }
  | { type: "attempt-ended"; owner: string; outcome: AttemptOutcome }
  /** Found `sending` under a lease that is not this worker's, or has run out: that attempt is over. */
  | { type: "orphan-found"; owner: string }
  | { type: "retry-asked" }
  /** The user checked the Page and found the post an unconfirmed attempt may have made. */
  | { type: "confirmed-by-user" }
  | { type: "cancel-asked" }
  /** Facebook deleted the scheduled post at the user's request, before publishing it. */
  | { type: "unscheduled" }
  /** Its account's sign-in died: it waits for the user to sign in again. */
  | { type: "signed-out" }
  /** Its account was linked again: it goes, looking first if an attempt may have gone out. */
  | { type: "signed-in"; targetName: string }
  | { type: "unlinked"; keep: boolean; accountName: string }
  /** Facebook limited its Page: it is not due before `until`. */
  | { type: "page-slowed"; until: number }
  | { type: "network-back" };

/** States in which a job is done unless the user asks again. */
const SETTLED_BY_USER: ReadonlySet<JobRecord["state"]> = new Set(["failed", "cancelled"]);

/**
 * The job after `event`, or undefined when the event does not apply to a job in its state (it
 * stays as it is): a finished job is never claimed, a job sending under another lease is never
 * settled by us, a share already made is never cancelled.
 */
export function transition(job: JobRecord, event: JobEvent, now: number): JobRecord | undefined {
  const next = (changes: Partial<JobRecord>): JobRecord => ({ ...job, ...changes, updatedAt: now });
  const error = (kind: string, message: string): JobError => ({ kind, message, at: now });
  switch (event.type) {
    case "claimed":
      if (job.state !== "queued" || job.nextAttemptAt > now) return undefined;
      return next({
        state: "sending",
        lease: { owner: event.owner, until: now + event.leaseMs, sentAt: now },
        // A fresh attempt starts the note of what our attempts make before their final call. A job
        // to look for with no note (left by an older version) keeps none: it is looked for by text.
        made: job.made ?? (job.needsReconcile ? undefined : { since: now, photoIds: [] }),
      });

    case "prepared": {
      if (job.state !== "sending" || job.lease?.owner !== event.owner) return undefined;
      const made = job.made ?? { since: job.lease.sentAt, photoIds: [] };
      return next({
        made: {
          since: Math.min(made.since, job.lease.sentAt),
          photoIds: [...made.photoIds, ...(event.photoIds ?? [])],
          videoId: event.videoId ?? made.videoId,
          containerId: event.containerId ?? made.containerId,
        },
      });
    }

    case "post-made":
      if (job.state !== "sending" || job.lease?.owner !== event.owner) return undefined;
      // What may be out now is the comment, which nothing has sent yet.
      return next({ result: event.result, needsReconcile: false, made: undefined, looks: undefined });

    case "attempt-ended":
      if (job.state !== "sending" || job.lease?.owner !== event.owner) return undefined;
      return attemptEnded(job, event.outcome, now);

    case "orphan-found": {
      if (job.state !== "sending") return undefined;
      if (job.lease?.owner === event.owner && job.lease.until >= now) return undefined;
      // Its request may still land: the Page is searched only once it would have.
      const sentAt = job.lease?.sentAt ?? 0;
      const attempts = job.attempts + 1;
      const base = { lease: undefined, needsReconcile: true, attempts };
      if (attempts >= MAX_ATTEMPTS) {
        return next({
          ...base,
          state: "failed",
          lastError: error(
            "interrupted",
            "Sharing was interrupted too many times. Press Retry later; the post is checked for first.",
          ),
        });
      }
      return next({ ...base, state: "queued", nextAttemptAt: Math.max(now, sentAt + UNANSWERED_WAIT_MS) });
    }

    case "retry-asked":
      if (!SETTLED_BY_USER.has(job.state)) return undefined;
      return next({ state: "queued", attempts: 0, nextAttemptAt: now });

    case "confirmed-by-user":
      // Only the user can settle what Facebook never confirmed; a failure that is known is no post.
      if (job.state !== "failed" || job.lastError?.kind !== "unconfirmed") return undefined;
      return next({
        state: "shared",
        // A post known to be made keeps its link: only its first comment went unconfirmed.
        result: job.result,
        checkedByUser: job.result ? undefined : true,
        needsReconcile: false,
        made: undefined,
        looks: undefined,
        lastError: undefined,
      });

    case "cancel-asked":
      if (job.state !== "queued" && job.state !== "needs-signin") return undefined;
      // A post already made is not undone; only its first comment is left, and it goes.
      if (job.result) return undefined;
      return next({ state: "cancelled" });

    case "unscheduled":
      if ((job.state !== "shared" && job.state !== "queued") || !job.result || !isScheduled(job, now)) {
        return undefined;
      }
      // Nothing of it is left on Facebook: a Retry makes it anew.
      return next({
        state: "cancelled",
        result: undefined,
        comment: job.comment && { message: job.comment.message },
        needsReconcile: false,
        lastError: undefined,
      });

    case "signed-out":
      if (job.state !== "queued") return undefined;
      return next({ state: "needs-signin" });

    case "signed-in":
      if (job.state !== "needs-signin") return undefined;
      return next({
        state: "queued",
        targetName: event.targetName,
        // Whether an earlier attempt may be out is already marked (needsReconcile): a dead sign-in
        // is a definite no, and looking for nothing would hold the share back for minutes.
        nextAttemptAt: now,
      });

    case "unlinked":
      if (job.state !== "queued" && job.state !== "needs-signin") return undefined;
      if (!event.keep) return next({ state: "cancelled" });
      // Paused, not failed: linking this account again sends them.
      return next({
        state: "needs-signin",
        lastError: error("unlinked", `${event.accountName} was unlinked. Link it again to send this share.`),
      });

    case "page-slowed":
      if (job.state !== "queued" || job.nextAttemptAt >= event.until) return undefined;
      return next({ nextAttemptAt: event.until });

    case "network-back":
      if (job.state !== "queued" || job.lastError?.kind !== "offline" || job.nextAttemptAt <= now) {
        return undefined;
      }
      return next({ nextAttemptAt: now });
  }
}

/** A reel Facebook is processing is looked at again no sooner than this. */
const PROCESSING_RECHECK_MS = 30_000;

/** What the service kept doing, when the job gives up; `service` is its name ("Facebook"). */
const GAVE_UP = {
  transient: (service: string) => `${service} kept failing`,
  processing: (service: string) =>
    service === "Facebook"
      ? "Facebook has not finished publishing the reel"
      : `${service} has not finished processing it`,
  "rate-limit": (service: string) => `${service} kept asking to slow down`,
  blocked: (service: string) => `${service} kept blocking posting`,
} as const;
const WAITING = {
  processing: (service: string) =>
    service === "Facebook" ? "Facebook is still processing the reel" : `${service} is still processing it`,
  "rate-limit": (service: string) => `${service} asked to slow down`,
  blocked: (service: string) => `${service} has temporarily blocked posting`,
} as const;

function whenInWords(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function inWords(ms: number): string {
  if (ms < 90_000) return `${Math.ceil(ms / 1000)} seconds`;
  return `about ${Math.round(ms / 60_000)} minutes`;
}

function attemptEnded(job: JobRecord, outcome: AttemptOutcome, now: number): JobRecord {
  const error = (kind: string, message: string): JobError => ({ kind, message, at: now });
  // A new request went out (or a final answer came): its own looks start from none.
  const ended = { ...job, lease: undefined, looks: undefined, updatedAt: now };
  if (outcome.type === "posted") {
    return {
      ...ended,
      state: "shared",
      attempts: job.attempts + 1,
      result: outcome.result,
      comment: job.comment && { ...job.comment, id: outcome.commentId ?? job.comment.id },
      needsReconcile: false,
      made: undefined,
      lastError: undefined,
    };
  }
  if (outcome.type === "due-later") {
    return { ...ended, state: "queued", nextAttemptAt: outcome.at, lastError: undefined };
  }
  if (outcome.type === "not-found-yet") {
    // Nothing was sent: a look is not an attempt. The next one comes later, the wait growing.
    const looks = job.looks ?? 0;
    return {
      ...ended,
      state: "queued",
      looks: looks + 1,
      nextAttemptAt: now + (LOOK_AGAIN_MS[looks] ?? 0),
      lastError: error(
        "looking",
        `Checking whether ${serviceName(job.targetId)} already has this post before sending it again.`,
      ),
    };
  }
  // Facebook may have acted on a request it never answered: before any new one, look for the post.
  const mustLook = (maybePosted: boolean) => ({ needsReconcile: job.needsReconcile || maybePosted });
  if (outcome.type === "waiting") {
    return {
      ...ended,
      ...mustLook(outcome.maybePosted),
      state: "queued",
      nextAttemptAt: now + outcome.recheckMs,
      lastError: error(outcome.kind, outcome.message),
    };
  }
  const attempts = job.attempts + 1;
  /** Tries again after `waitMs`; after the last attempt the job fails and waits for the user. */
  const later = (
    waitMs: number,
    kind: keyof typeof GAVE_UP,
    reason: string,
    maybePosted: boolean,
  ): JobRecord => {
    const failing = attempts >= MAX_ATTEMPTS;
    const service = serviceName(job.targetId);
    const message = failing
      ? `${GAVE_UP[kind](service)} (${reason}). Press Retry later; the post is checked for first.`
      : kind === "transient"
        ? reason
        : `${WAITING[kind](service)} (${reason}); trying again in ${inWords(waitMs)}.`;
    return {
      ...ended,
      ...mustLook(maybePosted),
      state: failing ? "failed" : "queued",
      attempts,
      nextAttemptAt: failing ? job.nextAttemptAt : now + waitMs,
      lastError: error(kind, message),
    };
  };
  switch (outcome.type) {
    case "transient":
      return later(
        // An unanswered request may still be processed: looking sooner could miss it and post twice.
        Math.max(
          backoffMs(attempts, () => outcome.jitter),
          outcome.unanswered ? UNANSWERED_WAIT_MS : 0,
        ),
        "transient",
        outcome.reason,
        outcome.maybePosted,
      );
    case "rate-limited":
      // Whatever Retry-After says, the wait has a ceiling.
      return later(
        Math.min(Math.max(0, outcome.waitMs), RATE_LIMIT_MAX_WAIT_MS),
        "rate-limit",
        outcome.reason,
        outcome.maybePosted,
      );
    case "blocked":
      return later(BLOCKED_WAIT_MS, "blocked", outcome.reason, outcome.maybePosted);
    case "processing":
      // Facebook has the post: only its status is looked at again, never a second upload.
      return later(
        Math.max(
          PROCESSING_RECHECK_MS,
          backoffMs(attempts, () => 0.5),
        ),
        "processing",
        outcome.reason,
        true,
      );
    case "quota-used": {
      // One wait for the 24-hour window to move on. Still full after it (other apps post too), the
      // user decides: waiting again and again would be a retry loop a day long.
      const waitedOnce = job.lastError?.kind === "reel-quota";
      const failing = waitedOnce || attempts >= MAX_ATTEMPTS;
      return {
        ...ended,
        // The reel's upload session is kept and carried on from where it stopped, never sent twice.
        needsReconcile: true,
        state: failing ? "failed" : "queued",
        attempts,
        nextAttemptAt: failing ? job.nextAttemptAt : outcome.until,
        lastError: error(
          "reel-quota",
          failing
            ? `${job.targetName} is still at ${outcome.limit}, so this was not sent. Press Retry later.`
            : `${job.targetName} has reached ${outcome.limit}; alsoshare will try again at ${whenInWords(outcome.until)}.`,
        ),
      };
    }
    case "signed-out":
      return {
        ...ended,
        ...mustLook(outcome.maybePosted),
        state: "needs-signin",
        attempts,
        lastError: error("auth", outcome.message),
      };
    case "refused":
      // A definite no: what the attempt made is not a post, and a Retry starts afresh.
      return {
        ...ended,
        state: "failed",
        attempts,
        made: undefined,
        lastError: error(outcome.kind, outcome.message),
      };
    case "unconfirmed":
      // The user looks and decides; a Retry after this posts again.
      return {
        ...ended,
        state: "failed",
        attempts,
        needsReconcile: false,
        lastError: error("unconfirmed", outcome.message),
      };
  }
}

/**
 * The job for one post × target, as a share request creates it. Its id is the idempotency key
 * `igMediaPk:targetId`. A target that needs sign-in gets its job paused from the start. A first
 * comment and a later time go with Page posts only: a story has neither, and the profile's share
 * dialog is Facebook's own.
 */
export function createJob(
  post: PublishedPost,
  target: Pick<AccountRecord, "id" | "name" | "status"> & Partial<Pick<AccountRecord, "kind">>,
  message: string,
  now: number,
  extra: { tabId?: number; comment?: string; publishAt?: number } = {},
): JobRecord {
  // Facebook schedules Page posts only, and no story; the profile's share dialog opens at once, and
  // the other services take neither a first comment nor a time.
  const pagePost = (target.kind ?? "page") === "page" && post.kind !== "story";
  const comment = pagePost ? extra.comment : undefined;
  const publishAt = pagePost ? extra.publishAt : undefined;
  return {
    id: `${post.pk}:${target.id}`,
    post,
    permalink: permalinkOf(post),
    message,
    ...(comment && { comment: { message: comment } }),
    ...(publishAt !== undefined && { publishAt }),
    targetId: target.id,
    targetName: target.name,
    state: target.status === "needs-signin" ? "needs-signin" : "queued",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    tabId: extra.tabId,
  };
}

/**
 * The share of `post` to a Page that Instagram's own cross-post already reached: settled from the
 * start, so nothing is ever sent there, and listed with the other shares so the user sees why.
 */
export function createSharedByInstagram(
  post: PublishedPost,
  target: Pick<AccountRecord, "id" | "name" | "status">,
  message: string,
  now: number,
  facebookPostId: string | undefined,
): JobRecord {
  return {
    ...createJob(post, target, message, now),
    state: "shared",
    sharedByInstagram: true,
    result: facebookPostId
      ? { postId: facebookPostId, url: `https://www.facebook.com/${facebookPostId}` }
      : undefined,
  };
}

/**
 * Whether the job may be sent again: nothing of an earlier attempt can be out there, or it was
 * looked for as often as Facebook's late listings call for, and never found.
 */
export function mayPostAgain(job: JobRecord): boolean {
  return !job.needsReconcile || (job.looks ?? 0) >= LOOK_AGAIN_MS.length;
}

/** Whether Facebook holds the job's post (or it is still to be sent) for a time still to come. */
export function isScheduled(job: Pick<JobRecord, "publishAt">, now: number): boolean {
  return job.publishAt !== undefined && job.publishAt > now;
}

/** Whether the queue still has to send this job, now or later. */
export function isWaitingToSend(job: JobRecord): boolean {
  return job.state === "queued";
}
