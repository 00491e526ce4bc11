import type { AccountRecord, JobRecord } from "../db/schema";
import type { Attempt, Destination, EarlierAttempt, PostResult } from "../destinations/destination";
import { NotShareableError, ShareError } from "../destinations/errors";
import { posted, refused } from "../destinations/outcomes";
import type { MediaItem } from "../instagram/post";
import type { AttemptOutcome } from "../queue/lifecycle";
import { createThreadsClient } from "./client";
import { ThreadsError } from "./errors";
import {
  altTextForThreads,
  refuseWhatThreadsWouldNotTake,
  THREADS_CAROUSEL_ITEMS,
  THREADS_LIMITS,
  THREADS_POSTS_PER_DAY,
  THREADS_WINDOW_MS,
} from "./limits";
import { refreshThreadsToken, THREADS_RENEW_WITHIN_MS } from "./oauth";
import {
  type ContainerStatus,
  containerStatus,
  createContainer,
  type ListedThread,
  type MediaContainerParams,
  postPermalink,
  publishContainer,
  publishingQuota,
  recentThreads,
} from "./publishing";

export interface ThreadsDeps {
  fetch: typeof fetch;
  /** Waits between looks at a container Threads is processing; tests pass one that only counts. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How often, and how far apart, one attempt looks at a container Threads is still processing
 * before it leaves it for the queue to look at again. Meta asks for "once per minute, for no
 * more than 5 minutes" over the container's life; one attempt must also end well within its lease.
 */
export const CONTAINER_LOOKS = 4;
export const CONTAINER_LOOK_INTERVAL_MS = 5_000;
/** Threads may answer "Media Not Found" for a container it has just called finished: one more try, after this. */
const PUBLISH_RETRY_MS = 2_000;

const CONTAINER_ERRORS: Record<string, string> = {
  FAILED_DOWNLOADING_VIDEO: "it could not download the video from Instagram",
  FAILED_PROCESSING_VIDEO: "it could not process the video",
  FAILED_PROCESSING_AUDIO: "it could not process the video's sound",
  INVALID_DURATION: "the video is longer than the 5 minutes Threads takes",
  INVALID_ASPEC_RATIO: "the video's shape is not one Threads takes",
  INVALID_BIT_RATE: "the video's bit rate is not one Threads takes",
  INVALID_FRAME_RATE: "the video's frame rate is not one Threads takes",
  INVALID_AUDIO_CHANNELS: "the video's sound has more channels than Threads takes",
  INVALID_AUDIO_CHANNEL_LAYOUT: "the video's sound is laid out in a way Threads does not take",
  UNKNOWN: "it could not process the media",
};

/**
 * Threads through the Threads API, with the profile's own long-lived token. A post is one media
 * container (a carousel's is made of one container per item), stored before it is published:
 * a lost answer is looked for by that container, never by the post's text.
 */
export function createThreadsDestination(deps: ThreadsDeps): Destination {
  const client = createThreadsClient(deps.fetch);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function send(attempt: Attempt): Promise<AttemptOutcome> {
    const { job } = attempt;
    // Threads has no follow-up to make once the post is out.
    if (job.result) return posted(job.result);
    if (job.post.kind === "story") {
      throw new NotShareableError(
        "Threads has no stories, so alsoshare shares posts and reels there, not stories. Nothing was sent to Threads.",
      );
    }
    refuseWhatThreadsWouldNotTake(job.message, job.post.media);
    const token = await signedIn(attempt);
    const stored = job.made?.containerId;
    if (stored) {
      const carried = await carryOn(attempt, token, stored, await containerStatus(client, token, stored));
      if (carried !== "gone") return carried;
    }
    const containerId = await makeContainer(token, job);
    // Stored before anything can publish it: a lost answer from here on is found by this id.
    await attempt.prepared({ containerId });
    const carried = await carryOn(
      attempt,
      token,
      containerId,
      await containerStatus(client, token, containerId),
    );
    if (carried !== "gone") return carried;
    // The container Threads just made is not known to it yet: the next attempt looks at it again.
    throw new ThreadsError("transient", "Threads has not taken in the new post yet.");
  }

  /**
   * Takes an existing container on from where Threads has it: the same container each time,
   * never a second one while it may still be published. "gone": it expired or Threads knows it
   * no more, so it can never be published.
   */
  async function carryOn(
    attempt: Attempt,
    token: string,
    containerId: string,
    status: ContainerStatus,
  ): Promise<AttemptOutcome | "gone"> {
    let now = status;
    for (let look = 1; now.state === "in-progress" && look < CONTAINER_LOOKS; look++) {
      await sleep(CONTAINER_LOOK_INTERVAL_MS);
      now = await containerStatus(client, token, containerId);
    }
    switch (now.state) {
      case "in-progress":
        return { type: "processing", reason: "Threads has the media and is still processing it" };
      case "finished":
        return publish(attempt, token, containerId);
      case "published":
        return findPublished(attempt, token, now.mediaId);
      case "error":
        return refused(
          "threads-media",
          `Threads could not take this post in: ${CONTAINER_ERRORS[now.reason] ?? `it could not process the media (${now.reason})`}. Check the post on Instagram, then press Retry to send it again.`,
        );
      case "expired":
      case "not-found":
        return "gone";
    }
  }

  async function publish(attempt: Attempt, token: string, containerId: string): Promise<AttemptOutcome> {
    const quota = await publishingQuota(client, token);
    if (quota && quota.used >= quota.total) {
      throw new ThreadsError(
        "publish-limit",
        `${attempt.account.name} has published ${quota.total} posts through the API in the last 24 hours, Threads' limit.`,
      );
    }
    let mediaId: string;
    try {
      mediaId = await publishContainer(client, token, containerId);
    } catch (error) {
      if (!(error instanceof ThreadsError && error.containerNotFound)) {
        return publishedAfterAll(attempt, token, containerId, error);
      }
      await sleep(PUBLISH_RETRY_MS);
      mediaId = await publishContainer(client, token, containerId);
    }
    return posted(await linkTo(attempt, token, mediaId));
  }

  /**
   * A publish Threads refused may be the second of two: a browser sends a request again by itself
   * when a reused connection drops before the answer, so the first may have published the
   * container. Its status says; only a container that is not out is refused.
   */
  async function publishedAfterAll(
    attempt: Attempt,
    token: string,
    containerId: string,
    refusal: unknown,
  ): Promise<AttemptOutcome> {
    if (!(refusal instanceof ThreadsError) || refusal.kind !== "invalid") throw refusal;
    const now = await containerStatus(client, token, containerId);
    if (now.state !== "published") throw refusal;
    return findPublished(attempt, token, now.mediaId);
  }

  /** The published post with its link; the profile's link when Threads will not say the post's. */
  async function linkTo(attempt: Attempt, token: string, mediaId: string): Promise<PostResult> {
    try {
      return { postId: mediaId, url: await postPermalink(client, token, mediaId) };
    } catch (error) {
      // The post is out whatever this answer says: it is never sent again for want of a link.
      await attempt.log(
        `${attempt.account.name}: the post is on Threads, but Threads did not give its link (${errorText(error)}); the share links to the profile.`,
      );
      return { postId: mediaId, url: profileUrl(attempt.account) };
    }
  }

  /**
   * The post a container Threads calls published became. Threads does not say which post a
   * container made, so it is the profile's own thread of the same kind published since the
   * attempt began, with the same text, and not already another share's; the container's status
   * is the proof that it is out, the listing only finds its link.
   */
  async function findPublished(attempt: Attempt, token: string, mediaId?: string): Promise<AttemptOutcome> {
    if (mediaId) return posted(await linkTo(attempt, token, mediaId));
    const { job } = attempt;
    const since = job.made?.since ?? job.createdAt;
    const taken = new Set(
      (await attempt.sharedJobs()).flatMap((other) =>
        other.id !== job.id && other.result ? [other.result.postId] : [],
      ),
    );
    const kind = listedKind(job);
    const candidates = (await recentThreads(client, token, since))
      .filter((item) => item.mediaType === kind && !taken.has(item.id))
      .sort((a, b) => a.at - b.at);
    const sameText = candidates.filter((item) => item.text.trim() === job.message.trim());
    const ours: ListedThread | undefined =
      sameText[0] ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (ours)
      return posted(
        ours.permalink ? { postId: ours.id, url: ours.permalink } : await linkTo(attempt, token, ours.id),
      );
    await attempt.log(
      `${attempt.account.name}: Threads says the post is published, but it is not in the profile's threads yet; the share links to the profile.`,
    );
    return posted({ postId: "", url: profileUrl(attempt.account) });
  }

  /** One container for the post: a photo or a video, or a carousel container over one per item. */
  async function makeContainer(token: string, job: JobRecord): Promise<string> {
    const { post } = job;
    const text = job.message === "" ? {} : { text: job.message };
    const items =
      post.kind === "carousel"
        ? post.media.slice(0, THREADS_CAROUSEL_ITEMS)
        : post.media.filter((item) => item.type === (post.kind === "photo" ? "image" : "video")).slice(0, 1);
    const [first] = items;
    if (!first) {
      throw new NotShareableError(
        `Instagram gave no ${post.kind === "photo" ? "photo" : "video"} to share, so nothing was sent to Threads.`,
      );
    }
    if (items.length === 1) return mediaContainer(token, first, text);
    // One item after the other: Threads fetches each from Instagram as its container is made.
    const children: string[] = [];
    for (const item of items) children.push(await mediaContainer(token, item, { is_carousel_item: true }));
    return createContainer(client, token, { media_type: "CAROUSEL", children: children.join(","), ...text });
  }

  /**
   * A photo's or a video's container. Threads takes media by URL only: one it cannot fetch from
   * Instagram is said in words, since no upload of the bytes can stand in for it.
   */
  async function mediaContainer(
    token: string,
    item: MediaItem,
    extra: { text?: string; is_carousel_item?: true },
  ): Promise<string> {
    try {
      return await createContainer(client, token, { ...mediaParams(item), ...extra });
    } catch (error) {
      if (!(error instanceof ThreadsError && error.kind === "media-unreachable")) throw error;
      const what = item.type === "image" ? "photo" : "video";
      throw new ThreadsError(
        "media-unreachable",
        `Threads could not fetch the ${what} from Instagram (${error.details.userMessage ?? error.message}).`,
        error.details,
      );
    }
  }

  /**
   * The account's token, renewed first when it runs out within days: Threads renews a long-lived
   * token only while it still works, so a share is the time to do it. A renewal that fails for a
   * passing reason leaves the token as it is, still good for days.
   */
  async function signedIn(attempt: Attempt): Promise<string> {
    const { account } = attempt;
    const token = account.token ?? "";
    const expiresAt = account.tokenExpiresAt;
    const now = attempt.now();
    if (expiresAt === undefined || expiresAt <= now || expiresAt - now > THREADS_RENEW_WITHIN_MS)
      return token;
    try {
      const renewed = await refreshThreadsToken(deps.fetch, token, now);
      await attempt.renewedSignIn({ token: renewed.token, tokenExpiresAt: renewed.expiresAt });
      return renewed.token;
    } catch (error) {
      if (error instanceof ShareError && error.kind === "auth") throw error;
      await attempt.log(
        `${account.name}: alsoshare could not renew the Threads sign-in (${errorText(error)}); it goes on with the one it has, which works until ${new Date(expiresAt).toLocaleDateString()}.`,
      );
      return token;
    }
  }

  /**
   * What an earlier attempt left on Threads, by the container it stored before publishing. No
   * container stored: nothing of ours can have been published.
   */
  async function findEarlier(attempt: Attempt): Promise<EarlierAttempt> {
    const { job, account } = attempt;
    const containerId = job.made?.containerId;
    if (!containerId) return "nothing-out";
    const token = account.token ?? "";
    const status = await containerStatus(client, token, containerId);
    // Gone for good after 24 hours unpublished: sending makes a new one.
    if (status.state === "expired") return "nothing-out";
    const carried = await carryOn(attempt, token, containerId, status);
    if (carried !== "gone") return carried;
    // Threads no longer knows the container, so it cannot say whether it was published.
    return "cannot-tell";
  }

  return {
    service: "threads",
    signIn: "token",
    limits: () => THREADS_LIMITS,
    send,
    findEarlier,
    /**
     * When the profile's 24-hour window has room again, at the latest: Threads counts every app's
     * posts, so only the oldest of ours in the window bounds it; with none of ours, a day from now.
     */
    async quotaFreesAt(attempt) {
      const now = attempt.now();
      const ours = (await attempt.sharedJobs()).flatMap((job) =>
        job.result && job.updatedAt > now - THREADS_WINDOW_MS ? [job.updatedAt] : [],
      );
      return {
        until: Math.min(now, ...ours) + THREADS_WINDOW_MS,
        limit: `Threads' limit of ${THREADS_POSTS_PER_DAY} posts published through the API in 24 hours`,
      };
    },
    words: {
      permission: (name, says) =>
        `Threads did not let ${name} publish this: ${says} Check that your Meta app's Threads use case has the threads_content_publish permission, link the profile again, then press Retry.`,
      unconfirmed: (job, name) =>
        `Threads did not answer, and alsoshare cannot tell whether this ${job.post.kind === "reel" || job.post.kind === "video" ? job.post.kind : "post"} reached ${name}. Check the profile on Threads: if it is there, choose “It's there”; if not, press Retry to post it.`,
    },
  };
}

function mediaParams(item: MediaItem): MediaContainerParams {
  const alt = altTextForThreads(item.alt);
  const altText = alt ? { alt_text: alt } : {};
  return item.type === "image"
    ? { media_type: "IMAGE", image_url: item.url, ...altText }
    : { media_type: "VIDEO", video_url: item.url, ...altText };
}

/** The `media_type` Threads lists the job's post under. */
function listedKind(job: JobRecord): string {
  const { kind, media } = job.post;
  if (kind === "carousel" && media.length > 1) return "CAROUSEL_ALBUM";
  if (kind === "carousel") return media[0]?.type === "video" ? "VIDEO" : "IMAGE";
  return kind === "photo" ? "IMAGE" : "VIDEO";
}

function profileUrl(account: AccountRecord): string {
  return `https://www.threads.com/${account.home?.handle ?? ""}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
