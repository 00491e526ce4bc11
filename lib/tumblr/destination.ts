import type { AccountRecord } from "../db/schema";
import type {
  Attempt,
  Destination,
  DestinationLimits,
  EarlierAttempt,
  PostResult,
} from "../destinations/destination";
import { NotShareableError, ShareError } from "../destinations/errors";
import type { MediaDownload } from "../destinations/media-download";
import { posted, refused } from "../destinations/outcomes";
import type { MediaItem, PublishedPost } from "../instagram/post";
import type { AttemptOutcome } from "../queue/lifecycle";
import { createTumblrClient, type TumblrFile } from "./client";
import { slugFor, slugMarks, tagsOf, textBlocks } from "./npf";
import { refreshTumblrToken, TUMBLR_RENEW_WITHIN_MS, type TumblrApp } from "./oauth";
import { createDraft, findDraft, type MediaBlock, publishDraft, readPost } from "./posts";

export interface TumblrDeps {
  fetch: typeof fetch;
  /** Tumblr takes the bytes in the post's own request. */
  download: MediaDownload;
  /** The user's Tumblr app: renewing a sign-in takes its key and secret. */
  app(): Promise<TumblrApp | undefined>;
}

/**
 * What one post takes here. Tumblr documents no length for a post's text (Instagram's 2,200 never
 * comes near what it takes) nor a count of photos; a photoset in its editor holds 10, and a
 * post's photos and videos may be mixed.
 */
export const TUMBLR_LIMITS: DestinationLimits = {
  text: { max: 4096, counts: "code-points" },
  images: 10,
  videos: 1,
  mixed: true,
  firstComment: false,
};
/** Tumblr counts the day's posts on its servers' calendar day, which it does not say: at most a day. */
const DAY_MS = 24 * 60 * 60_000;
const TUMBLR_POSTS_PER_DAY = 250;

/**
 * A Tumblr blog through Tumblr's API with the user's own app. Tumblr has no idempotency key, so a
 * post is made in two steps, as Threads' containers are: a draft with the photos, videos and
 * caption (nobody sees it), whose id is stored, then that draft published. A lost answer is then
 * found by the draft's own state, never by a late listing; publishing it twice is one post.
 */
export function createTumblrDestination(deps: TumblrDeps): Destination {
  const client = createTumblrClient(deps.fetch);

  async function send(attempt: Attempt): Promise<AttemptOutcome> {
    const { job } = attempt;
    if (job.result) return posted(job.result);
    const items = mediaOf(job.post);
    const blog = blogOf(attempt.account);
    const token = await signedIn(attempt);
    const stored = job.made?.containerId;
    if (stored) return publish(attempt, token, stored);
    const slug = await slugFor(job.id, job.post.caption);
    // A draft an attempt made whose answer was lost carries the job's mark: it is used, not made again.
    const id =
      (await findDraft(client, token, blog.uuid, (listed) => slugMarks(listed, job.id))) ??
      (await makeDraft(attempt, token, items, slug));
    // Stored before it is published: a lost answer from here on is found by this id.
    await attempt.prepared({ containerId: id });
    return publish(attempt, token, id);
  }

  /**
   * The draft of the post, its files downloaded first: one that cannot be had stops the share
   * before anything is sent.
   */
  async function makeDraft(
    attempt: Attempt,
    token: string,
    items: MediaItem[],
    slug: string,
  ): Promise<string> {
    const { job, account } = attempt;
    const files: TumblrFile[] = [];
    for (const [index, item] of items.entries()) {
      const blob = await deps.download(item.url);
      const video = item.type === "video";
      files.push({
        identifier: `media-${index}`,
        blob: blob.type ? blob : new Blob([blob], { type: video ? "video/mp4" : "image/jpeg" }),
        filename: `instagram-${index + 1}.${video ? "mp4" : "jpg"}`,
      });
    }
    const id = await createDraft(client, token, blogOf(account).uuid, {
      content: [...files.map((file, index) => mediaBlock(file, items[index])), ...textBlocks(job.message)],
      tags: tagsOf(job.post.caption),
      slug,
      files,
    });
    const leftOut = job.post.media.length - items.length;
    if (leftOut > 0) {
      await attempt.log(
        `${account.name}: shared your carousel without ${leftOut} of its items, because alsoshare sends up to ${TUMBLR_LIMITS.images} photos and one video to a Tumblr post.`,
      );
    }
    return id;
  }

  /** Publishes the stored draft, unless an earlier attempt already did; gone, it is not made again. */
  async function publish(attempt: Attempt, token: string, id: string): Promise<AttemptOutcome> {
    const blog = blogOf(attempt.account);
    const draft = await readPost(client, token, blog.uuid, id);
    if (!draft) return gone(attempt);
    if (draft.state === "draft") await publishDraft(client, token, blog.uuid, id, draft);
    return posted(postOn(blog, id, draft.slug));
  }

  /**
   * The account's access token, renewed first when it runs out within minutes (Tumblr's last 42).
   * Renewing spends the refresh token: the new pair is stored before anything else is sent.
   */
  async function signedIn(attempt: Attempt): Promise<string> {
    const { account } = attempt;
    const token = account.token ?? "";
    const expiresAt = account.tokenExpiresAt;
    if (expiresAt === undefined || expiresAt - attempt.now() > TUMBLR_RENEW_WITHIN_MS) return token;
    const refreshToken = account.home?.refreshToken;
    const app = await deps.app();
    if (!refreshToken || !app?.secret) {
      throw new ShareError(
        "auth",
        `${account.name}'s Tumblr sign-in ran out and cannot be renewed${app?.secret ? "" : " without your Tumblr app's secret"}. Link the blog again.`,
      );
    }
    const renewed = await refreshTumblrToken(
      deps.fetch,
      { key: app.key, secret: app.secret },
      refreshToken,
      attempt.now(),
    );
    await attempt.renewedSignIn({
      token: renewed.token,
      refreshToken: renewed.refreshToken ?? refreshToken,
      tokenExpiresAt: renewed.expiresAt,
    });
    return renewed.token;
  }

  /**
   * What an earlier attempt left, by the draft it stored before publishing. None stored: no post
   * can be out (a draft made without its answer is found and used by the next send). Stored and
   * still a draft: publishing it is safe. Gone: published and then deleted, or deleted unpublished;
   * Tumblr cannot say which, so the user does.
   */
  async function findEarlier(attempt: Attempt): Promise<EarlierAttempt> {
    const id = attempt.job.made?.containerId;
    if (!id) return "nothing-out";
    const blog = blogOf(attempt.account);
    const post = await readPost(client, await signedIn(attempt), blog.uuid, id);
    if (!post) return "cannot-tell";
    return post.state === "draft" ? "nothing-out" : posted(postOn(blog, id, post.slug));
  }

  return {
    service: "tumblr",
    signIn: "token",
    limits: () => TUMBLR_LIMITS,
    send,
    findEarlier,
    async quotaFreesAt(attempt) {
      return {
        until: attempt.now() + DAY_MS,
        limit: `Tumblr's limit of ${TUMBLR_POSTS_PER_DAY} posts, 250 photos and 20 videos a day`,
      };
    },
    words: {
      permission: (name, says) =>
        `Tumblr did not let ${name} publish this: ${sentence(says)} Check that your Tumblr account may still post to this blog, link it again, then press Retry.`,
      unconfirmed: (_job, name) =>
        `Tumblr did not answer, and alsoshare cannot tell whether this post reached ${name}. Check the blog: if it is there, choose “It's there”; if not, press Retry to post it.`,
    },
  };
}

/** The refusal when the draft an attempt stored is gone before it was published. */
function gone(attempt: Attempt): AttemptOutcome {
  return refused(
    "tumblr-draft-gone",
    `The draft alsoshare made on ${attempt.account.name} is no longer on Tumblr (it was deleted), so it was not published. Press Retry to post it again.`,
  );
}

function postOn(blog: { name: string }, id: string, slug: string | undefined): PostResult {
  return { postId: id, url: `https://www.tumblr.com/${blog.name}/${id}${slug ? `/${slug}` : ""}` };
}

/** The blog linked, by the uuid that survives a rename, and its name for links. */
function blogOf(account: AccountRecord): { uuid: string; name: string } {
  const uuid = account.home?.userId;
  if (!uuid?.startsWith("t:")) {
    throw new NotShareableError(
      `${account.name} was linked without its Tumblr blog. Link it again, then press Retry.`,
    );
  }
  return { uuid, name: account.home?.handle ?? "" };
}

/** The media one post takes: a photo, a video, or a carousel's photos (up to 10) and first video. */
function mediaOf(post: PublishedPost): MediaItem[] {
  if (post.kind === "story") {
    throw new NotShareableError(
      "Tumblr has no stories, so alsoshare shares posts and reels there, not stories. Nothing was sent to Tumblr.",
    );
  }
  const photos = post.media.filter((item) => item.type === "image");
  const videos = post.media.filter((item) => item.type === "video");
  if (post.kind !== "carousel") {
    const items = (post.kind === "photo" ? photos : videos).slice(0, 1);
    if (items.length > 0) return items;
    throw new NotShareableError(
      `Instagram gave no ${post.kind === "photo" ? "photo" : "video"} to share, so nothing was sent to Tumblr.`,
    );
  }
  const kept = new Set([...photos.slice(0, TUMBLR_LIMITS.images), ...videos.slice(0, TUMBLR_LIMITS.videos)]);
  const items = post.media.filter((item) => kept.has(item));
  if (items.length === 0)
    throw new NotShareableError("Instagram gave no media to share, so nothing was sent to Tumblr.");
  return items;
}

function mediaBlock(file: TumblrFile, item: MediaItem | undefined): MediaBlock {
  const media = { type: file.blob.type, identifier: file.identifier };
  if (item?.type === "video") return { type: "video", media };
  return { type: "image", media: [media], ...(item?.alt && { alt_text: item.alt }) };
}

/** Tumblr's messages may end without a full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
