import { changeAccount } from "../db/accounts";
import { logEvent } from "../db/events";
import { type QueueStep, scanQueue, settleAndClaim, sharedJobsOf, updateJob, updateJobs } from "../db/jobs";
import type { AccountRecord, JobRecord } from "../db/schema";
import { GraphError, rateLimitScope } from "../facebook/errors";
import type { GraphClient } from "../facebook/graph";
import {
  addComment,
  findComment,
  findPostAttaching,
  findPostByText,
  finishReel,
  type MediaDownload,
  type PageTarget,
  type PublishedFacebookPost,
  publishAttachedPhotos,
  publishPhotoStory,
  publishVideo,
  REEL_SECONDS,
  REEL_WINDOW_MS,
  type ReelStatus,
  reelStatus,
  SCHEDULE_MIN_AHEAD_MS,
  startReel,
  uploadReel,
  uploadUnpublishedPhoto,
} from "../facebook/pages";
import { shareDialogUrl } from "../facebook/share-dialog";
import type { MediaItem } from "../instagram/post";
import { OFFLINE_RECHECK_MS, RATE_LIMIT_DEFAULT_WAIT_MS, RATE_LIMIT_MAX_WAIT_MS } from "./backoff";
import { type AttemptOutcome, isWaitingToSend, type JobEvent, mayPostAgain, transition } from "./lifecycle";

/** A post this extension cannot share as it is: our own refusal, never Facebook's. */
export class NotShareableError extends Error {
  override readonly name = "NotShareableError";
}

export interface QueueDeps {
  graph: GraphClient;
  /** Fetches Instagram's copy of a media file when Facebook cannot fetch it (the `source` fallback). */
  download: MediaDownload;
  /** Opens Facebook's share dialog for a profile target (a new browser tab). */
  openTab: (url: string) => Promise<void>;
  /** The user's own Meta app id, if stored: the share dialog then uses Facebook's Feed dialog. */
  appId: () => Promise<string | undefined>;
  /** False when the device knows it has no network (`navigator.onLine`). */
  isOnline: () => boolean;
  now: () => number;
  random: () => number;
  /** This worker's identity: leases held by any other owner are from a worker that is gone. */
  owner: string;
  onJobChanged: (job: JobRecord) => void;
  /** An account's status changed (its sign-in died): the open pages show it. */
  onAccountsChanged: () => void;
  /** Wake the queue at this time (or never, when undefined). */
  scheduleWake: (at: number | undefined) => void;
}

/** Longer than one attempt can take (a few requests, each with a 15 s client timeout). */
const LEASE_MS = 2 * 60_000;
/** A scheduled post's time must still be far enough ahead when Facebook gets the request. */
const SCHEDULE_SLACK_MS = 60_000;
/** Facebook publishes a scheduled post at its time, give or take: its first comment waits this long. */
const COMMENT_AFTER_PUBLISH_MS = 2 * 60_000;

export function createQueue(deps: QueueDeps) {
  const { isOnline, download } = deps;
  let running: Promise<void> | undefined;
  let rerun = false;
  /** Queued job → when it is due, as this run knows it; the store has the last word at claim time. */
  let waiting = new Map<string, number>();

  const apply = (event: JobEvent) => (job: JobRecord) => transition(job, event, deps.now());

  /**
   * Runs every due job, one at a time. Each attempt follows its own durable `sending` record; its
   * outcome is stored in the same transaction that claims the next job. An outcome not yet stored
   * when the worker dies leaves its job `sending`, to be looked for before any retry.
   */
  async function drain(): Promise<void> {
    const scan = await scanQueue(apply({ type: "orphan-found", owner: deps.owner }));
    for (const job of scan.recovered) deps.onJobChanged(job);
    waiting = new Map(
      [...scan.queued, ...scan.recovered.filter(isWaitingToSend)].map((job) => [job.id, job.nextAttemptAt]),
    );
    let settle: QueueStep["settle"] = [];
    for (;;) {
      const claimed = await step(settle);
      if (!claimed) break;
      waiting.delete(claimed.job.id);
      deps.onJobChanged(claimed.job);
      const outcome = await attempt(claimed.job, claimed.account);
      settle = [{ id: claimed.job.id, update: apply({ type: "attempt-ended", owner: deps.owner, outcome }) }];
    }
    const next = waiting.size ? Math.min(...waiting.values()) : undefined;
    // Offline with work waiting: the `online` event wakes us, and this recheck in case it never comes.
    deps.scheduleWake(
      next !== undefined && !isOnline() ? Math.max(next, deps.now() + OFFLINE_RECHECK_MS) : next,
    );
  }

  /** Stores the given outcome and claims the job due first, if any (one durable transaction). */
  async function step(settle: QueueStep["settle"]) {
    const now = deps.now();
    const candidates = isOnline()
      ? [...waiting].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1])
      : [];
    if (settle.length === 0 && candidates.length === 0) return undefined;
    const result = await settleAndClaim({
      settle,
      candidates: candidates.map(([id]) => id),
      claim: apply({ type: "claimed", owner: deps.owner, leaseMs: LEASE_MS }),
    });
    for (const settled of result.settled) {
      if (isWaitingToSend(settled)) waiting.set(settled.id, settled.nextAttemptAt);
      deps.onJobChanged(settled);
    }
    for (const { id, job } of result.passed) {
      if (job && isWaitingToSend(job)) waiting.set(id, job.nextAttemptAt);
      else waiting.delete(id);
    }
    return result.claimed;
  }

  async function attempt(job: JobRecord, account: AccountRecord | undefined): Promise<AttemptOutcome> {
    if (!account) return refused("unlinked", `${job.targetName} is no longer linked.`);
    if (account.kind === "profile") return openShareDialog(job);
    if (!account.token) {
      return refused("unlinked", `${account.name} has no sign-in stored. Link it again, then retry.`);
    }
    if (account.status === "needs-signin") return signedOut(account, false);
    const target = { pageId: account.id, token: account.token };
    // The post is out: only its first comment is left to make.
    if (job.result) return commentOn(job, account, target, job.result);
    try {
      const outcome = await sendPost(job, target, account);
      if (outcome.type !== "posted" || !job.comment || job.comment.id) return outcome;
      // Stored before the comment is sent: whatever happens to the comment, the post is never sent again.
      const made = await updateJob(
        job.id,
        apply({ type: "post-made", owner: deps.owner, result: outcome.result }),
      );
      return made ? commentOn(made, account, target, outcome.result) : outcome;
    } catch (cause) {
      return failure(job, account, target, cause);
    }
  }

  /** The post itself: looked for first when an earlier attempt may have made it, else published. */
  async function sendPost(
    job: JobRecord,
    target: PageTarget,
    account: AccountRecord,
  ): Promise<AttemptOutcome> {
    if (job.needsReconcile) {
      const earlier = await lookForEarlierAttempt(job, target);
      if (typeof earlier === "object") return earlier;
      // Stories are not listed with posts: there is no way to know whether one went out.
      if (job.post.kind === "story") return unconfirmedStory(account);
      if (earlier === "not-found" || earlier === "cannot-tell") {
        if (!mayPostAgain(job)) return { type: "not-found-yet" };
        // Text is no proof either way (Facebook lists late, captions repeat): the user decides.
        if (earlier === "cannot-tell") return unconfirmedByText(job, account);
      }
    }
    // Too soon for Facebook to hold it (or to be sure it still would by the time it arrives): it
    // waits here, and goes at its time.
    const { publishAt } = job;
    if (publishAt !== undefined && publishAt > deps.now() && facebookSchedules(job) === undefined) {
      return { type: "due-later", at: publishAt };
    }
    return publish(job, target, account);
  }

  /** The time Facebook is asked to publish the job's post at; undefined: publish it now. */
  function facebookSchedules(job: JobRecord): number | undefined {
    const { publishAt } = job;
    return publishAt !== undefined && publishAt - deps.now() >= SCHEDULE_MIN_AHEAD_MS + SCHEDULE_SLACK_MS
      ? publishAt
      : undefined;
  }

  /**
   * The post's first comment, made once: when an earlier attempt may have made it, it is looked for
   * on the post first. A comment that fails leaves the post as it is, with its link.
   */
  async function commentOn(
    job: JobRecord,
    account: AccountRecord,
    target: PageTarget,
    post: PublishedFacebookPost,
  ): Promise<AttemptOutcome> {
    if (!job.comment || job.comment.id) return posted(post);
    // A post Facebook has not published yet takes no comment: it is made once the post is out.
    if (job.publishAt !== undefined && job.publishAt + COMMENT_AFTER_PUBLISH_MS > deps.now()) {
      return { type: "due-later", at: job.publishAt + COMMENT_AFTER_PUBLISH_MS };
    }
    const comment = { postId: post.postId, message: job.comment.message };
    try {
      if (job.needsReconcile) {
        const found = await findComment(deps.graph, target, comment);
        if (found === "cannot-tell") {
          return {
            type: "unconfirmed",
            message: `The post is on ${account.name}, but alsoshare cannot tell whether its first comment was added. Check the post: if the comment is there, choose “It's there”; if not, press Retry to add it.`,
          };
        }
        if (found !== "not-found") return posted(post, found);
        if (!mayPostAgain(job)) return { type: "not-found-yet" };
      }
      return posted(post, await addComment(deps.graph, target, comment));
    } catch (cause) {
      const outcome = await failure(job, account, target, cause);
      if (outcome.type !== "refused") return outcome;
      return refused(
        outcome.kind,
        `The post is on ${account.name}, but its first comment was not added: ${outcome.message}`,
      );
    }
  }

  /** A profile cannot be posted to through the API; Facebook's own dialog asks the user to confirm. */
  async function openShareDialog(job: JobRecord): Promise<AttemptOutcome> {
    try {
      const url = shareDialogUrl(job.permalink, await deps.appId());
      await deps.openTab(url);
      return posted({ postId: "", url });
    } catch {
      return refused("share-dialog", "Could not open Facebook's share dialog. Press Retry to try again.");
    }
  }

  async function publish(
    job: JobRecord,
    target: PageTarget,
    account: AccountRecord,
  ): Promise<AttemptOutcome> {
    const { post, message } = job;
    const photos = post.media.filter((item) => item.type === "image");
    const videos = post.media.filter((item) => item.type === "video");
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    switch (post.kind) {
      case "photo":
        if (!firstPhoto) break;
        // An unpublished photo, then a feed post, rather than `/photos` in one call: the photo's id
        // is stored before the post exists, so a lost answer is looked for by it, never by text.
        return posted(await publishAttachedAfterUpload(job, target, [firstPhoto]));
      case "reel":
        if (!firstVideo) break;
        refuseReelFacebookWouldNotTake(firstVideo.duration);
        return publishReel(job, target, firstVideo.url);
      case "video":
        if (!firstVideo) break;
        return posted(
          await publishVideo(
            deps.graph,
            target,
            { url: firstVideo.url, message, publishAt: facebookSchedules(job) },
            download,
          ),
        );
      case "carousel":
        return posted(await publishCarousel(job, target, account, photos, videos));
      case "story":
        if (post.media[0]?.type === "image" && firstPhoto) {
          return posted(await publishPhotoStory(deps.graph, target, { url: firstPhoto.url }, download));
        }
        throw new NotShareableError(
          "alsoshare cannot share video stories to a Facebook Page yet. Share the video as a reel instead.",
        );
    }
    throw new NotShareableError(
      `Instagram gave no ${post.kind === "photo" ? "photo" : "video"} to share, so nothing was sent to Facebook.`,
    );
  }

  /**
   * Facebook Page albums hold photos only, so a carousel that mixes in videos goes out as its
   * photos, and the activity log says which items were left out. One that is all videos shares its
   * first video.
   */
  async function publishCarousel(
    job: JobRecord,
    target: PageTarget,
    account: AccountRecord,
    photos: MediaItem[],
    videos: MediaItem[],
  ): Promise<PublishedFacebookPost> {
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    const leftOut = firstPhoto ? videos.length : videos.length - 1;
    const posted = firstPhoto
      ? await publishAttachedAfterUpload(job, target, photos)
      : firstVideo
        ? await publishVideo(
            deps.graph,
            target,
            { url: firstVideo.url, message: job.message, publishAt: facebookSchedules(job) },
            download,
          )
        : undefined;
    if (!posted) {
      throw new NotShareableError(
        "Instagram gave no photo or video to share, so nothing was sent to Facebook.",
      );
    }
    if (leftOut > 0) {
      await logEvent(
        "share-failed",
        `${account.name}: shared your carousel without ${leftOut === 1 ? "its video" : `${leftOut} of its videos`}, because a Facebook Page post can hold several photos or one video, not both.`,
        deps.now(),
      );
    }
    return posted;
  }

  /**
   * One or several photos as one post: each uploaded unpublished with its alt text, one after the
   * other (so at most one downloaded file is held at a time); their ids stored; then one feed post
   * attaching them.
   */
  async function publishAttachedAfterUpload(
    job: JobRecord,
    target: PageTarget,
    photos: MediaItem[],
  ): Promise<PublishedFacebookPost> {
    const photoIds: string[] = [];
    for (const photo of photos) {
      photoIds.push(await uploadUnpublishedPhoto(deps.graph, target, photo, download));
    }
    await record(job, { photoIds });
    return publishAttachedPhotos(deps.graph, target, {
      photoIds,
      message: job.message,
      publishAt: facebookSchedules(job),
    });
  }

  /** A reel through Facebook's Reels route: its upload session is stored before anything is published. */
  async function publishReel(job: JobRecord, target: PageTarget, url: string): Promise<AttemptOutcome> {
    const videoId = await startReel(deps.graph, target);
    await record(job, { videoId });
    return carryReelOn(job, target, { videoId, url }, { state: "not-uploaded" });
  }

  /**
   * Takes a reel on from where Facebook has it to published: the same reel each time, never a
   * second one. It is Shared only once Facebook says it is published.
   */
  async function carryReelOn(
    job: JobRecord,
    target: PageTarget,
    reel: { videoId: string; url: string },
    status: ReelStatus,
  ): Promise<AttemptOutcome> {
    let now = status;
    if (now.state === "not-uploaded") await uploadReel(deps.graph, target, reel, download);
    if (now.state === "not-uploaded" || now.state === "not-published") {
      await finishReel(deps.graph, target, {
        videoId: reel.videoId,
        description: job.message,
        publishAt: facebookSchedules(job),
      });
      now = await reelStatus(deps.graph, target, reel.videoId);
    }
    switch (now.state) {
      case "published":
        return posted(now.post);
      case "failed":
        return refused(
          "reel-failed",
          `Facebook could not publish the reel: ${now.reason} Check the video on Instagram, then press Retry to send it again.`,
        );
      default:
        return { type: "processing", reason: "Facebook has the video and is still processing it" };
    }
  }

  /**
   * Stores what this attempt made on Facebook before its final call. If that cannot be stored, the
   * final call is not made: an attempt that leaves no trace never publishes.
   */
  async function record(job: JobRecord, made: { photoIds?: string[]; videoId?: string }): Promise<void> {
    const stored = await updateJob(job.id, apply({ type: "prepared", owner: deps.owner, ...made }));
    if (!stored) {
      throw new NotShareableError("This share was stopped while it was being sent; nothing was published.");
    }
    // Nothing a user sees changed (it is still sending), so no one is told.
  }

  /**
   * What an earlier attempt at this job left on Facebook: found by the ids it stored (a reel's
   * upload session is carried on to published), or else by its text among posts no other share
   * claims. "nothing-out": no final call of ours can have been made, so there is nothing to find.
   * "not-found": the stored ids are in no post. "cannot-tell": no post has its text, which does not
   * prove it never went out.
   */
  async function lookForEarlierAttempt(
    job: JobRecord,
    target: PageTarget,
  ): Promise<AttemptOutcome | "nothing-out" | "not-found" | "cannot-tell"> {
    const { made } = job;
    const video = job.post.media.find((item) => item.type === "video");
    if (made?.videoId && video) {
      const reel = { videoId: made.videoId, url: video.url };
      return carryReelOn(job, target, reel, await reelStatus(deps.graph, target, made.videoId));
    }
    if (made?.photoIds.length) {
      const found = await findPostAttaching(deps.graph, target, {
        photoIds: made.photoIds,
        sinceMs: made.since,
        scheduled: job.publishAt !== undefined,
      });
      return found ? posted(found) : "not-found";
    }
    // Our routes with ids store them before their final call: none stored, no final call made.
    if (made && tracedRoute(job)) return "nothing-out";
    const taken = new Set(
      (await sharedJobsOf(job.targetId)).flatMap((other) =>
        other.id !== job.id && other.result ? [other.result.postId] : [],
      ),
    );
    const found = await findPostByText(deps.graph, target, {
      message: job.message,
      sinceMs: job.createdAt,
      video: isVideoJob(job),
      taken,
    });
    return found ? posted(found) : "cannot-tell";
  }

  async function failure(
    job: JobRecord,
    account: AccountRecord,
    target: PageTarget,
    cause: unknown,
  ): Promise<AttemptOutcome> {
    if (cause instanceof NotShareableError) return refused("not-shareable", cause.message);
    const graphError =
      cause instanceof GraphError
        ? cause
        : new GraphError("transient", "Something went wrong while sharing.", { outcomeUnknown: true });
    const { details } = graphError;
    const maybePosted = details.outcomeUnknown === true;
    const facebookSays = details.userMessage ?? graphError.message;
    switch (graphError.kind) {
      case "transient":
        if (details.hostAccessMissing) {
          // Granting the host back wakes the queue.
          return {
            type: "waiting",
            kind: "no-access",
            message: graphError.message,
            recheckMs: OFFLINE_RECHECK_MS,
            maybePosted,
          };
        }
        if (details.networkError && !isOnline()) {
          // The `online` event wakes the job.
          return {
            type: "waiting",
            kind: "offline",
            message: "Waiting for the network to come back.",
            recheckMs: OFFLINE_RECHECK_MS,
            maybePosted,
          };
        }
        return {
          type: "transient",
          reason: graphError.message,
          maybePosted,
          unanswered: maybePosted && details.status === undefined,
          jitter: deps.random(),
        };
      case "rate-limit": {
        const waitMs = Math.min(details.retryAfterMs ?? RATE_LIMIT_DEFAULT_WAIT_MS, RATE_LIMIT_MAX_WAIT_MS);
        await slowDown(
          rateLimitScope(details.code) === "page" ? job.targetId : undefined,
          deps.now() + waitMs,
        );
        return { type: "rate-limited", waitMs, reason: graphError.message, maybePosted };
      }
      case "blocked":
        return { type: "blocked", reason: facebookSays, maybePosted };
      case "auth":
        if (await pauseAccount(account)) return signedOut(account, maybePosted);
        // Signed in again while this request was out: the new sign-in gets its turn.
        return {
          type: "transient",
          reason: graphError.message,
          maybePosted,
          unanswered: false,
          jitter: deps.random(),
        };
      case "duplicate": {
        // Only a post is refused as a duplicate: a comment's post exists, whatever this says.
        if (job.result)
          return refused("duplicate", `Facebook refused this as a duplicate (${facebookSays}).`);
        const found = await lookForEarlierAttempt(job, target).catch(() => undefined);
        if (typeof found === "object") return found;
        return refused(
          "duplicate",
          `Facebook refused this as a duplicate of an earlier post (${facebookSays}).`,
        );
      }
      case "permission":
        return refused(
          "permission",
          `Facebook did not let ${account.name} publish this: ${facebookSays} Check that the app may post for this Page (pages_manage_posts), link it again, then press Retry.`,
        );
      case "media-unreachable":
        return refused("media-unreachable", `${graphError.message} Press Retry to try again.`);
      case "publish-limit":
        // Facebook documents a daily publishing limit for reels only.
        if (job.post.kind !== "reel")
          return refused("invalid", `Facebook refused this post: ${facebookSays}`);
        return { type: "quota-used", until: await reelWindowFreesAt(job.targetId) };
      case "invalid":
        return refused("invalid", `Facebook refused this post: ${facebookSays}`);
    }
  }

  /**
   * When the Page's 24-hour reel window has room again, at the latest: Facebook counts every app's
   * reels, so only the oldest of ours in the window bounds it; with none of ours, a day from now.
   */
  async function reelWindowFreesAt(targetId: string): Promise<number> {
    const now = deps.now();
    const ours = (await sharedJobsOf(targetId)).flatMap((job) =>
      job.post.kind === "reel" && job.result && job.updatedAt > now - REEL_WINDOW_MS ? [job.updatedAt] : [],
    );
    return Math.min(now, ...ours) + REEL_WINDOW_MS;
  }

  function unconfirmedStory(account: AccountRecord): AttemptOutcome {
    return {
      type: "unconfirmed",
      message: `The story may or may not have reached ${account.name}. Check the Page's stories: if it is there, choose “It's there”; if not, press Retry to post it.`,
    };
  }

  function unconfirmedByText(job: JobRecord, account: AccountRecord): AttemptOutcome {
    const what =
      job.post.kind === "video" || job.post.kind === "reel" ? `this ${job.post.kind}` : "this post";
    return {
      type: "unconfirmed",
      message: `Facebook did not answer, and alsoshare cannot tell whether ${what} reached ${account.name}. Check the Page: if it is there, choose “It's there”; if not, press Retry to post it.`,
    };
  }

  function signedOut(account: AccountRecord, maybePosted: boolean): AttemptOutcome {
    const message = `${account.name} needs you to sign in again before anything more is shared.`;
    return { type: "signed-out", message, maybePosted };
  }

  /** Every queued job of the limited Page (or of every Page, for an app-wide limit) waits as long. */
  async function slowDown(targetId: string | undefined, until: number) {
    const slowed = await updateJobs(["queued"], (job) =>
      targetId === undefined || job.targetId === targetId
        ? transition(job, { type: "page-slowed", until }, deps.now())
        : undefined,
    );
    for (const job of slowed) waiting.set(job.id, job.nextAttemptAt);
  }

  /**
   * A dead token: the account and all its waiting jobs pause until the user signs in again, in one
   * transaction. Answers false when the stored sign-in is no longer the one that failed (the user
   * linked the account again meanwhile): then nothing is paused.
   */
  async function pauseAccount(account: AccountRecord): Promise<boolean> {
    const now = deps.now();
    const paused = await changeAccount(account.id, ["queued"], (scene) => {
      const stored = scene.account;
      if (!stored || stored.token !== account.token) return { answer: undefined };
      const jobs = scene.jobs.flatMap((job) => transition(job, { type: "signed-out" }, now) ?? []);
      if (stored.status === "needs-signin") return { jobs, answer: jobs };
      const message = `${stored.name}: Facebook no longer accepts its sign-in.`;
      return {
        account: { ...stored, status: "needs-signin" },
        jobs,
        events: [{ at: now, type: "share-failed", message }],
        answer: jobs,
      };
    });
    if (!paused) return false;
    for (const job of paused) {
      waiting.delete(job.id);
      deps.onJobChanged(job);
    }
    deps.onAccountsChanged();
    return true;
  }

  const queue = {
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
        try {
          do {
            rerun = false;
            await drain();
          } while (rerun);
        } catch (error) {
          // Storage refused a write mid-run: what was stored stays. Look again once our lease has
          // run out, so a job this run left `sending` is taken back and looked for, never stranded.
          deps.scheduleWake(deps.now() + LEASE_MS + 1_000);
          throw error;
        }
      })().finally(() => {
        running = undefined;
      });
      return running;
    },

    /** The device is online again: the jobs that waited for it go now. */
    async networkBack(): Promise<void> {
      const woken = await updateJobs(["queued"], apply({ type: "network-back" }));
      for (const job of woken) deps.onJobChanged(job);
      await queue.kick();
    },
  };
  return queue;
}

/** Facebook takes Page reels of limited length only: one outside it is refused before any call. */
function refuseReelFacebookWouldNotTake(seconds: number | undefined): void {
  const { min, max } = REEL_SECONDS;
  if (seconds === undefined || (seconds >= min && seconds <= max)) return;
  // Rounded away from the bounds, so the length shown is never one Facebook would take.
  const length = seconds > max ? minutesAndSeconds(Math.ceil(seconds)) : `${Math.floor(seconds * 10) / 10} s`;
  throw new NotShareableError(
    `Facebook takes reels of ${min} to ${max} seconds; this one is ${length}, so it was not sent.`,
  );
}

function minutesAndSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function posted(post: PublishedFacebookPost, commentId?: string): AttemptOutcome {
  return { type: "posted", result: post, ...(commentId && { commentId }) };
}

function refused(kind: string, message: string): AttemptOutcome {
  return { type: "refused", kind, message };
}

/**
 * Routes that store what they make before their final call (photos, albums, reels); a plain video
 * and a story go out in one call, with nothing to store first.
 */
function tracedRoute(job: JobRecord): boolean {
  const { kind, media } = job.post;
  return (
    kind === "photo" ||
    kind === "reel" ||
    (kind === "carousel" && media.some((item) => item.type === "image"))
  );
}

function isVideoJob(job: JobRecord): boolean {
  return (
    job.post.kind === "video" ||
    job.post.kind === "reel" ||
    (job.post.kind === "carousel" && job.post.media.every((item) => item.type === "video"))
  );
}

export type Queue = ReturnType<typeof createQueue>;
