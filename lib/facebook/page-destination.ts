import { FACEBOOK_MESSAGE_LIMIT } from "../caption/message";
import type { Attempt, Destination, DestinationLimits, EarlierAttempt } from "../destinations/destination";
import { NotShareableError } from "../destinations/errors";
import type { MediaDownload } from "../destinations/media-download";
import { posted, refused } from "../destinations/outcomes";
import type { MediaItem } from "../instagram/post";
import type { AttemptOutcome } from "../queue/lifecycle";
import type { GraphClient } from "./graph";
import {
  addComment,
  findComment,
  findPostAttaching,
  findPostByText,
  finishReel,
  type PageTarget,
  type PublishedFacebookPost,
  publishAttachedPhotos,
  publishPhotoStory,
  publishVideo,
  REEL_SECONDS,
  REEL_WINDOW_MS,
  REELS_PER_DAY,
  type ReelStatus,
  reelStatus,
  SCHEDULE_MIN_AHEAD_MS,
  startReel,
  uploadReel,
  uploadUnpublishedPhoto,
} from "./pages";

/** A scheduled post's time must still be far enough ahead when Facebook gets the request. */
const SCHEDULE_SLACK_MS = 60_000;
/** Facebook publishes a scheduled post at its time, give or take: its first comment waits this long. */
const COMMENT_AFTER_PUBLISH_MS = 2 * 60_000;

const LIMITS: DestinationLimits = {
  text: { max: FACEBOOK_MESSAGE_LIMIT, counts: "code-points" },
  // An album takes Instagram's most (20 items); a Page post holds photos or one video, never both.
  images: 20,
  videos: 1,
  mixed: false,
  videoSeconds: REEL_SECONDS,
  firstComment: true,
};

/**
 * Facebook Pages through the Graph API, with the Page's own token: photos, albums, videos, reels
 * (upload session first), photo stories, a first comment, posts Facebook holds for later.
 */
export function createFacebookPages(deps: { graph: GraphClient; download: MediaDownload }): Destination {
  const { graph, download } = deps;

  function targetOf({ account }: Attempt): PageTarget {
    return { pageId: account.id, token: account.token ?? "" };
  }

  /** The time Facebook is asked to publish the job's post at; undefined: publish it now. */
  function holdsUntil(job: Attempt["job"], now: number): number | undefined {
    const { publishAt } = job;
    return publishAt !== undefined && publishAt - now >= SCHEDULE_MIN_AHEAD_MS + SCHEDULE_SLACK_MS
      ? publishAt
      : undefined;
  }
  const schedules = (attempt: Attempt) => holdsUntil(attempt.job, attempt.now());

  async function send(attempt: Attempt): Promise<AttemptOutcome> {
    const target = targetOf(attempt);
    // The post is out: only its first comment is left to make.
    if (attempt.job.result) return commentOn(attempt, target, attempt.job.result);
    const outcome = await publish(attempt, target);
    const { comment } = attempt.job;
    if (outcome.type !== "posted" || !comment || comment.id) return outcome;
    // Stored before the comment is sent: whatever happens to the comment, the post is never sent again.
    const made = await attempt.postMade(outcome.result);
    return made ? commentOn(attempt, target, outcome.result) : outcome;
  }

  /**
   * The post's first comment, made once: when an earlier attempt may have made it, it is looked for
   * on the post first. A comment that fails leaves the post as it is, with its link.
   */
  async function commentOn(
    attempt: Attempt,
    target: PageTarget,
    post: PublishedFacebookPost,
  ): Promise<AttemptOutcome> {
    const { job, account } = attempt;
    if (!job.comment || job.comment.id) return posted(post);
    // A post Facebook has not published yet takes no comment: it is made once the post is out.
    if (job.publishAt !== undefined && job.publishAt + COMMENT_AFTER_PUBLISH_MS > attempt.now()) {
      return { type: "due-later", at: job.publishAt + COMMENT_AFTER_PUBLISH_MS };
    }
    const comment = { postId: post.postId, message: job.comment.message };
    try {
      if (job.needsReconcile) {
        const found = await findComment(graph, target, comment);
        if (found === "cannot-tell") {
          return {
            type: "unconfirmed",
            message: `The post is on ${account.name}, but alsoshare cannot tell whether its first comment was added. Check the post: if the comment is there, choose “It's there”; if not, press Retry to add it.`,
          };
        }
        if (found !== "not-found") return posted(post, found);
        if (!attempt.mayPostAgain()) return { type: "not-found-yet" };
      }
      return posted(post, await addComment(graph, target, comment));
    } catch (cause) {
      const outcome = await attempt.failure(cause);
      if (outcome.type !== "refused") return outcome;
      return refused(
        outcome.kind,
        `The post is on ${account.name}, but its first comment was not added: ${outcome.message}`,
      );
    }
  }

  async function publish(attempt: Attempt, target: PageTarget): Promise<AttemptOutcome> {
    const { post, message } = attempt.job;
    const photos = post.media.filter((item) => item.type === "image");
    const videos = post.media.filter((item) => item.type === "video");
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    switch (post.kind) {
      case "photo":
        if (!firstPhoto) break;
        // An unpublished photo, then a feed post, rather than `/photos` in one call: the photo's id
        // is stored before the post exists, so a lost answer is looked for by it, never by text.
        return posted(await publishAttachedAfterUpload(attempt, target, [firstPhoto]));
      case "reel":
        if (!firstVideo) break;
        refuseReelFacebookWouldNotTake(firstVideo.duration);
        return publishReel(attempt, target, firstVideo.url);
      case "video":
        if (!firstVideo) break;
        return posted(
          await publishVideo(
            graph,
            target,
            { url: firstVideo.url, message, publishAt: schedules(attempt) },
            download,
          ),
        );
      case "carousel":
        return posted(await publishCarousel(attempt, target, photos, videos));
      case "story":
        if (post.media[0]?.type === "image" && firstPhoto) {
          return posted(await publishPhotoStory(graph, target, { url: firstPhoto.url }, download));
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
    attempt: Attempt,
    target: PageTarget,
    photos: MediaItem[],
    videos: MediaItem[],
  ): Promise<PublishedFacebookPost> {
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    const leftOut = firstPhoto ? videos.length : videos.length - 1;
    const made = firstPhoto
      ? await publishAttachedAfterUpload(attempt, target, photos)
      : firstVideo
        ? await publishVideo(
            graph,
            target,
            { url: firstVideo.url, message: attempt.job.message, publishAt: schedules(attempt) },
            download,
          )
        : undefined;
    if (!made) {
      throw new NotShareableError(
        "Instagram gave no photo or video to share, so nothing was sent to Facebook.",
      );
    }
    if (leftOut > 0) {
      await attempt.log(
        `${attempt.account.name}: shared your carousel without ${leftOut === 1 ? "its video" : `${leftOut} of its videos`}, because a Facebook Page post can hold several photos or one video, not both.`,
      );
    }
    return made;
  }

  /**
   * One or several photos as one post: each uploaded unpublished with its alt text, one after the
   * other (so at most one downloaded file is held at a time); their ids stored; then one feed post
   * attaching them.
   */
  async function publishAttachedAfterUpload(
    attempt: Attempt,
    target: PageTarget,
    photos: MediaItem[],
  ): Promise<PublishedFacebookPost> {
    const photoIds: string[] = [];
    for (const photo of photos) {
      photoIds.push(await uploadUnpublishedPhoto(graph, target, photo, download));
    }
    await attempt.prepared({ photoIds });
    return publishAttachedPhotos(graph, target, {
      photoIds,
      message: attempt.job.message,
      publishAt: schedules(attempt),
    });
  }

  /** A reel through Facebook's Reels route: its upload session is stored before anything is published. */
  async function publishReel(attempt: Attempt, target: PageTarget, url: string): Promise<AttemptOutcome> {
    const videoId = await startReel(graph, target);
    await attempt.prepared({ videoId });
    return carryReelOn(attempt, target, { videoId, url }, { state: "not-uploaded" });
  }

  /**
   * Takes a reel on from where Facebook has it to published: the same reel each time, never a
   * second one. It is Shared only once Facebook says it is published.
   */
  async function carryReelOn(
    attempt: Attempt,
    target: PageTarget,
    reel: { videoId: string; url: string },
    status: ReelStatus,
  ): Promise<AttemptOutcome> {
    let now = status;
    if (now.state === "not-uploaded") await uploadReel(graph, target, reel, download);
    if (now.state === "not-uploaded" || now.state === "not-published") {
      await finishReel(graph, target, {
        videoId: reel.videoId,
        description: attempt.job.message,
        publishAt: schedules(attempt),
      });
      now = await reelStatus(graph, target, reel.videoId);
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
   * What an earlier attempt at this job left on the Page: found by the ids it stored (a reel's
   * upload session is carried on to published), or else by its text among posts no other share
   * claims. Stories are not listed with posts: there is no way to know whether one went out.
   */
  async function findEarlier(attempt: Attempt): Promise<EarlierAttempt> {
    const { job } = attempt;
    const target = targetOf(attempt);
    const { made } = job;
    const video = job.post.media.find((item) => item.type === "video");
    if (made?.videoId && video) {
      const reel = { videoId: made.videoId, url: video.url };
      return carryReelOn(attempt, target, reel, await reelStatus(graph, target, made.videoId));
    }
    if (made?.photoIds.length) {
      const found = await findPostAttaching(graph, target, {
        photoIds: made.photoIds,
        sinceMs: made.since,
        scheduled: job.publishAt !== undefined,
      });
      return found ? posted(found) : "not-found";
    }
    // Our routes with ids store them before their final call: none stored, no final call made.
    if (made && tracedRoute(job)) return "nothing-out";
    const taken = new Set(
      (await attempt.sharedJobs()).flatMap((other) =>
        other.id !== job.id && other.result ? [other.result.postId] : [],
      ),
    );
    const found = await findPostByText(graph, target, {
      message: job.message,
      sinceMs: job.createdAt,
      video: isVideoJob(job),
      taken,
    });
    if (found) return posted(found);
    if (job.post.kind === "story") {
      return {
        type: "unconfirmed",
        message: `The story may or may not have reached ${attempt.account.name}. Check the Page's stories: if it is there, choose “It's there”; if not, press Retry to post it.`,
      };
    }
    return "cannot-tell";
  }

  return {
    service: "facebook",
    signIn: "token",
    limits: () => LIMITS,
    send,
    findEarlier,
    holdsUntil,
    /**
     * When the Page's 24-hour reel window has room again, at the latest: Facebook counts every app's
     * reels, so only the oldest of ours in the window bounds it; with none of ours, a day from now.
     * Facebook documents a daily publishing limit for reels only.
     */
    async quotaFreesAt(attempt) {
      if (attempt.job.post.kind !== "reel") return undefined;
      const now = attempt.now();
      const ours = (await attempt.sharedJobs()).flatMap((job) =>
        job.post.kind === "reel" && job.result && job.updatedAt > now - REEL_WINDOW_MS ? [job.updatedAt] : [],
      );
      return {
        until: Math.min(now, ...ours) + REEL_WINDOW_MS,
        limit: `Facebook's limit of ${REELS_PER_DAY} reels published through the API in 24 hours`,
      };
    },
    words: {
      permission: (name, says) =>
        `Facebook did not let ${name} publish this: ${says} Check that the app may post for this Page (pages_manage_posts), link it again, then press Retry.`,
      unconfirmed: (job, name) => {
        const what =
          job.post.kind === "video" || job.post.kind === "reel" ? `this ${job.post.kind}` : "this post";
        return `Facebook did not answer, and alsoshare cannot tell whether ${what} reached ${name}. Check the Page: if it is there, choose “It's there”; if not, press Retry to post it.`;
      },
    },
  };
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

/**
 * Routes that store what they make before their final call (photos, albums, reels); a plain video
 * and a story go out in one call, with nothing to store first.
 */
function tracedRoute(job: Attempt["job"]): boolean {
  const { kind, media } = job.post;
  return (
    kind === "photo" ||
    kind === "reel" ||
    (kind === "carousel" && media.some((item) => item.type === "image"))
  );
}

function isVideoJob(job: Attempt["job"]): boolean {
  return (
    job.post.kind === "video" ||
    job.post.kind === "reel" ||
    (job.post.kind === "carousel" && job.post.media.every((item) => item.type === "video"))
  );
}
