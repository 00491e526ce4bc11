import type { AccountHome, AccountRecord } from "../db/schema";
import type { Attempt, Destination, DestinationLimits, EarlierAttempt } from "../destinations/destination";
import { NotShareableError, ShareError } from "../destinations/errors";
import type { MediaDownload } from "../destinations/media-download";
import { posted } from "../destinations/outcomes";
import type { MediaItem, PublishedPost } from "../instagram/post";
import type { AttemptOutcome } from "../queue/lifecycle";
import { createMastodonClient, type MastodonClient } from "./client";
import {
  MASTODON_LINK_LENGTH,
  MASTODON_MAX_MEDIA,
  MASTODON_TEXT_LIMIT,
  type MastodonInstance,
  readInstanceWith,
} from "./instance";
import { findOwnStatus, mediaState, plainText, postStatus, uploadMedia } from "./publishing";

export interface MastodonDeps {
  fetch: typeof fetch;
  /** Mastodon takes the bytes, never a URL to fetch. */
  download: MediaDownload;
  /** Waits between looks at a video Mastodon is still processing. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How long Mastodon keeps a status's Idempotency-Key: 3 600 s from the moment it made the status
 * (PostStatusService, `redis.setex(idempotency_key, 3_600, …)`; docs: "stored for up to 1 hour").
 */
export const IDEMPOTENCY_KEPT_MS = 60 * 60_000;
/** Our side of that hour, with room for a repeat to travel and wait in the server's queue. */
export const IDEMPOTENCY_TRUSTED_MS = IDEMPOTENCY_KEPT_MS - 5 * 60_000;
/**
 * The waits between looks at a video Mastodon is processing, about 40 s in all: well inside the
 * queue's lease on the job. Still processing after them, the job looks again later.
 */
export const MEDIA_POLL_WAITS_MS = [1_000, 2_000, 3_000, 5_000, 8_000, 10_000, 10_000] as const;

/**
 * Mastodon counts a post's length in graphemes (StatusLengthValidator, `grapheme_length`), a link
 * as 23 whatever its length. Code points never count fewer, so a text fitted to them always fits.
 */
function limitsOf(account: AccountRecord): DestinationLimits {
  return {
    text: {
      max: account.home?.textLimit ?? MASTODON_TEXT_LIMIT,
      counts: "code-points",
      linkLength: MASTODON_LINK_LENGTH,
    },
    images: MASTODON_MAX_MEDIA,
    // Mastodon attaches one video alone, never with photos (`images_and_video`).
    videos: 1,
    mixed: false,
    firstComment: false,
  };
}

/** What one post sends: the media Mastodon can attach together, and what had to be left out. */
interface Plan {
  items: MediaItem[];
  photosLeftOut: number;
  videosLeftOut: number;
}

/** Attachments for the status, and those of them Mastodon is still processing. */
interface Media {
  ids: string[];
  processing: string[];
}

/**
 * Any Mastodon server, with the account's own token: a photo, a carousel's photos (or its first
 * video when it has no photo), a video or reel; never a story, which Mastodon has no place for.
 * An earlier attempt is found by its Idempotency-Key within the hour Mastodon keeps it, and by
 * its uploaded attachments' ids after that.
 */
export function createMastodonDestination(deps: MastodonDeps): Destination {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  function connect(attempt: Attempt): { client: MastodonClient; home: AccountHome; token: string } {
    const { home, token } = attempt.account;
    if (!home || !token) {
      throw new NotShareableError(
        `${attempt.account.name} was linked without its Mastodon server or sign-in. Link it again, then press Retry.`,
      );
    }
    return { client: createMastodonClient(deps.fetch, home.origin, { now: attempt.now }), home, token };
  }

  async function send(attempt: Attempt): Promise<AttemptOutcome> {
    const { job, account } = attempt;
    const { client, token } = connect(attempt);
    const instance = await readInstanceWith(client, "retry");
    const plan = planOf(job.post, instance.maxMedia);
    const media =
      (await carriedOn(client, token, job.made?.photoIds ?? [], plan.items.length)) ??
      (await upload(attempt, client, token, plan, instance));
    if (!(await processed(client, token, media.processing))) {
      return { type: "processing", reason: "Mastodon has the video and is still processing it" };
    }
    const post = await postStatus(client, token, {
      text: job.message,
      mediaIds: media.ids,
      idempotencyKey: await idempotencyKey(job.id),
    });
    const leftOut = leftOutInWords(plan, instance);
    if (leftOut) await attempt.log(`${account.name}: shared your carousel ${leftOut}.`);
    return posted(post);
  }

  /**
   * The attachments an earlier attempt uploaded and stored (the newest ones, as many as this post
   * takes), when Mastodon still has them unattached: sent again as they are, never uploaded twice.
   * Undefined when there are none, or one is attached or gone.
   */
  async function carriedOn(
    client: MastodonClient,
    token: string,
    stored: readonly string[],
    count: number,
  ): Promise<Media | undefined> {
    if (stored.length < count) return undefined;
    const ids = stored.slice(-count);
    const processing: string[] = [];
    for (const id of ids) {
      const state = await mediaState(client, token, id);
      if (state === "attached-or-gone") return undefined;
      if (state === "processing") processing.push(id);
    }
    return { ids, processing };
  }

  /**
   * Downloads every file first, so one the server would not take is refused before anything is
   * uploaded; then uploads them one after the other, and stores their ids before the status is
   * posted. If they cannot be stored, the status is not posted.
   */
  async function upload(
    attempt: Attempt,
    client: MastodonClient,
    token: string,
    plan: Plan,
    instance: MastodonInstance,
  ): Promise<Media> {
    const files: { blob: Blob; item: MediaItem }[] = [];
    for (const item of plan.items) {
      const blob = typed(await deps.download(item.url), item);
      refuseTooLarge(blob, item, instance);
      files.push({ blob, item });
    }
    const media: Media = { ids: [], processing: [] };
    for (const [index, { blob, item }] of files.entries()) {
      const uploaded = await uploadMedia(client, token, {
        blob,
        filename: `instagram-${index + 1}.${item.type === "video" ? "mp4" : "jpg"}`,
        description: item.alt && [...item.alt].slice(0, instance.descriptionLimit).join(""),
      });
      media.ids.push(uploaded.id);
      if (!uploaded.ready) media.processing.push(uploaded.id);
    }
    await attempt.prepared({ photoIds: media.ids });
    return media;
  }

  /** Waits while Mastodon processes these attachments, a few looks; false: still processing. */
  async function processed(client: MastodonClient, token: string, ids: readonly string[]): Promise<boolean> {
    let pending = [...ids];
    for (const wait of MEDIA_POLL_WAITS_MS) {
      if (pending.length === 0) return true;
      await sleep(wait);
      const still: string[] = [];
      for (const id of pending) {
        const state = await mediaState(client, token, id);
        if (state === "attached-or-gone") {
          throw new ShareError(
            "transient",
            "Mastodon no longer has the video alsoshare uploaded; it is uploaded again on the next try.",
          );
        }
        if (state === "processing") still.push(id);
      }
      pending = still;
    }
    return pending.length === 0;
  }

  /**
   * What an earlier attempt left. Its attachments' ids are stored before its status is posted, so
   * none stored means no status was posted. Within the hour Mastodon keeps the Idempotency-Key, a
   * repeat answers the status the earlier call made, if it made one, and makes none of its own:
   * sending again is safe (a repeat while the earlier call is still being handled finds the key
   * locked, is answered 503, and is tried again later). After that hour, an attachment Mastodon
   * still has unattached proves no status holds it; one attached is looked for among the
   * account's own posts, by its id.
   */
  async function findEarlier(attempt: Attempt): Promise<EarlierAttempt> {
    const { job } = attempt;
    const { made } = job;
    if (!made) return findByText(attempt);
    if (made.photoIds.length === 0) return "nothing-out";
    if (attempt.now() - made.since < IDEMPOTENCY_TRUSTED_MS) return "nothing-out";
    const { client, home, token } = connect(attempt);
    let attached = false;
    for (const id of made.photoIds) {
      if ((await mediaState(client, token, id)) === "attached-or-gone") {
        attached = true;
        break;
      }
    }
    if (!attached) return "nothing-out";
    const ours = new Set(made.photoIds);
    const found = await findOwnStatus(client, token, {
      userId: home.userId,
      sinceMs: made.since,
      withMedia: true,
      stop: (status) => status.media_attachments.some((media) => ours.has(media.id)),
    });
    return found ? posted(found) : "not-found";
  }

  /**
   * For a job an older version left with no stored ids: a post with its text, since the job was
   * made, that no other share claims. Text proves nothing when it is missing (or repeated).
   */
  async function findByText(attempt: Attempt): Promise<EarlierAttempt> {
    const { job } = attempt;
    const { client, home, token } = connect(attempt);
    const taken = new Set(
      (await attempt.sharedJobs()).flatMap((other) =>
        other.id !== job.id && other.result ? [other.result.postId] : [],
      ),
    );
    const text = comparable(job.message);
    const found = await findOwnStatus(client, token, {
      userId: home.userId,
      sinceMs: job.createdAt,
      withMedia: false,
      stop: (status) => !taken.has(status.id) && comparable(plainText(status.content)) === text,
    });
    return found ? posted(found) : "cannot-tell";
  }

  return {
    service: "mastodon",
    signIn: "token",
    limits: limitsOf,
    send,
    findEarlier,
    words: {
      permission: (name, says) =>
        `Mastodon did not let ${name} publish this: ${sentence(says)} Check that the account may post on its server (it can be disabled, unconfirmed or waiting for approval), link it again allowing alsoshare to post, then press Retry.`,
      unconfirmed: (_job, name) =>
        `Mastodon did not answer, and alsoshare cannot tell whether this post reached ${name}. Check the account's posts: if it is there, choose “It's there”; if not, press Retry to post it.`,
    },
  };
}

/** The media one post takes: a photo, a video alone, or a carousel's photos up to the server's most. */
function planOf(post: PublishedPost, maxMedia: number): Plan {
  const photos = post.media.filter((item) => item.type === "image");
  const videos = post.media.filter((item) => item.type === "video");
  const one = (item: MediaItem | undefined): Plan => {
    if (!item) {
      throw new NotShareableError(
        `Instagram gave no ${post.kind === "photo" ? "photo" : "video"} to share, so nothing was sent to Mastodon.`,
      );
    }
    return { items: [item], photosLeftOut: 0, videosLeftOut: 0 };
  };
  switch (post.kind) {
    case "story":
      throw new NotShareableError(
        "Mastodon has no stories, so alsoshare does not share stories there. Share it as a post to send it to Mastodon.",
      );
    case "photo":
      return one(photos[0]);
    case "video":
    case "reel":
      return one(videos[0]);
    case "carousel":
      if (photos.length === 0) return { ...one(videos[0]), videosLeftOut: videos.length - 1 };
      return {
        items: photos.slice(0, maxMedia),
        photosLeftOut: Math.max(0, photos.length - maxMedia),
        videosLeftOut: videos.length,
      };
  }
}

function leftOutInWords(plan: Plan, instance: MastodonInstance): string | undefined {
  const parts: string[] = [];
  if (plan.photosLeftOut > 0) {
    parts.push(
      `with its first ${plan.items.length} photos only (of ${plan.items.length + plan.photosLeftOut})`,
    );
  }
  if (plan.videosLeftOut > 0) {
    parts.push(
      plan.videosLeftOut === 1 ? "without its video" : `without ${plan.videosLeftOut} of its videos`,
    );
  }
  if (parts.length === 0) return undefined;
  return `${parts.join(" and ")}, because a post on ${instance.domain} holds up to ${instance.maxMedia} photos or one video, not both`;
}

/** Mastodon needs each file's type; a download that gave none is named by what Instagram said it is. */
function typed(blob: Blob, item: MediaItem): Blob {
  if (blob.type) return blob;
  return new Blob([blob], { type: item.type === "video" ? "video/mp4" : "image/jpeg" });
}

function refuseTooLarge(blob: Blob, item: MediaItem, instance: MastodonInstance): void {
  const limit = item.type === "video" ? instance.videoSizeLimit : instance.imageSizeLimit;
  if (limit === undefined || blob.size <= limit) return;
  const what = item.type === "video" ? "video" : "photo";
  throw new NotShareableError(
    `This ${what} is ${megabytes(blob.size, "up")}, more than the ${megabytes(limit, "down")} ${instance.domain} takes, so nothing was sent to Mastodon.`,
  );
}

/** Rounded away from the limit, so the sizes shown never look equal when one is too large. */
function megabytes(bytes: number, round: "up" | "down"): string {
  const tenths = (bytes / 1024 / 1024) * 10;
  return `${(round === "up" ? Math.ceil(tenths) : Math.floor(tenths)) / 10} MB`;
}

/**
 * The job's Idempotency-Key: the same for every attempt at it, ever (its id is `pk:target`), and
 * nothing of the post or the account in it.
 */
export async function idempotencyKey(jobId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`alsoshare:${jobId}`));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Mastodon's messages end without a full stop ("This action is outside the authorized scopes"). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function comparable(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
