import * as z from "zod/mini";
import type { MediaDownload } from "../destinations/media-download";
import { GraphError } from "./errors";
import { type GraphClient, readAnswer } from "./graph";

const graphId = z.string().check(z.regex(/^\d+(_\d+)?$/));

/** A comment's id: `{object}_{comment}`, where the object's own id may carry its Page's prefix. */
const commentId = z.string().check(z.regex(/^\d+(_\d+){1,2}$/));
const commentAnswer = z.object({ id: commentId });

const identityAnswer = z.object({ id: graphId, name: z.string().check(z.minLength(1), z.maxLength(200)) });
const idAnswer = z.object({ id: graphId });
const storyAnswer = z.object({ post_id: graphId });
const attachmentTargets = z.object({
  data: z.array(
    z.object({
      target: z.optional(z.object({ id: z.string() })),
      subattachments: z.optional(
        z.object({ data: z.array(z.object({ target: z.optional(z.object({ id: z.string() })) })) }),
      ),
    }),
  ),
});
const paging = z.optional(
  z.object({
    cursors: z.optional(z.object({ after: z.optional(z.string()) })),
    next: z.optional(z.string()),
  }),
);
const publishedPostsAnswer = z.object({
  data: z.array(
    z.object({
      id: graphId,
      message: z.optional(z.string()),
      created_time: z.optional(z.string()),
      attachments: z.optional(attachmentTargets),
    }),
  ),
  paging,
});
const videosAnswer = z.object({
  data: z.array(
    z.object({ id: graphId, description: z.optional(z.string()), created_time: z.optional(z.string()) }),
  ),
  paging,
});
const commentsAnswer = z.object({
  data: z.array(
    z.object({
      // Without the Page's MODERATE task Facebook leaves the ids out.
      id: z.optional(commentId),
      message: z.optional(z.string()),
      from: z.optional(z.object({ id: z.string() })),
    }),
  ),
  paging,
});
const reelStartAnswer = z.object({ video_id: graphId, upload_url: z.optional(z.string()) });
const successAnswer = z.object({ success: z.literal(true) });
const phase = z.optional(
  z.object({
    status: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ code: z.optional(z.number()), message: z.optional(z.string()) }))),
  }),
);
const videoStatusAnswer = z.object({
  id: z.optional(graphId),
  status: z.object({
    video_status: z.optional(z.string()),
    uploading_phase: phase,
    processing_phase: phase,
    publishing_phase: z.optional(
      z.object({
        status: z.optional(z.string()),
        publish_status: z.optional(z.string()),
        errors: z.optional(
          z.array(z.object({ code: z.optional(z.number()), message: z.optional(z.string()) })),
        ),
      }),
    ),
  }),
});

/** How far ahead Facebook takes a scheduled Page post (DESIGN §1, Scheduling). */
export const SCHEDULE_MIN_AHEAD_MS = 10 * 60_000;
export const SCHEDULE_MAX_AHEAD_MS = 30 * 24 * 60 * 60_000;

/** The parameters that make a Page post wait for `publishAt` (epoch ms); none to publish at once. */
function scheduling(publishAt: number | undefined): Record<string, string | boolean | number> {
  if (publishAt === undefined) return {};
  return { published: false, scheduled_publish_time: Math.floor(publishAt / 1000) };
}

export interface PageTarget {
  pageId: string;
  token: string;
}

export interface PublishedFacebookPost {
  postId: string;
  url: string;
}

export function facebookPostUrl(postId: string): string {
  return `https://www.facebook.com/${postId}`;
}

export function facebookVideoUrl(pageId: string, videoId: string): string {
  return `https://www.facebook.com/${pageId}/videos/${videoId}/`;
}

/** Who a token belongs to (a Page token answers with the Page). */
export async function fetchIdentity(graph: GraphClient, token: string) {
  const answer = await graph.call({ method: "GET", path: "/me", token, params: { fields: "id,name" } });
  return readAnswer(identityAnswer, answer, "“who is this token for”", "retry");
}

/**
 * Sends media by URL (Facebook's servers fetch it, no byte passes through us); when Facebook says
 * it cannot fetch that URL, downloads it once and uploads the bytes as `source` instead.
 */
async function postMedia(
  graph: GraphClient,
  target: PageTarget,
  edge: "photos" | "videos",
  media: { url: string; params: Record<string, string | boolean | number> },
  download: MediaDownload,
): Promise<unknown> {
  const path = `/${target.pageId}/${edge}`;
  const urlParam = edge === "photos" ? "url" : "file_url";
  try {
    return await graph.call({
      method: "POST",
      path,
      token: target.token,
      params: { ...media.params, [urlParam]: media.url },
    });
  } catch (error) {
    if (!(error instanceof GraphError) || error.kind !== "media-unreachable") throw error;
  }
  const source = await download(media.url);
  return graph.call({ method: "POST", path, token: target.token, params: { ...media.params, source } });
}

/**
 * Uploads a photo that appears nowhere yet, to be attached to a post or a story; answers its id.
 * Its alt text goes as `alt_text_custom`, the Photo node's "accessible alternative description".
 */
export async function uploadUnpublishedPhoto(
  graph: GraphClient,
  target: PageTarget,
  photo: { url: string; alt?: string },
  download: MediaDownload,
): Promise<string> {
  const params = { published: false, ...(photo.alt && { alt_text_custom: photo.alt }) };
  const answer = await postMedia(graph, target, "photos", { url: photo.url, params }, download);
  return readAnswer(idAnswer, answer, "the photo upload", "retry").id;
}

/**
 * Photos already uploaded unpublished, as one feed post that attaches them all (one photo shows as
 * a photo post). Their ids are known before this call, so an earlier attempt is found by them.
 */
export async function publishAttachedPhotos(
  graph: GraphClient,
  target: PageTarget,
  album: { photoIds: string[]; message: string; publishAt?: number },
): Promise<PublishedFacebookPost> {
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/feed`,
    token: target.token,
    params: {
      message: album.message,
      attached_media: JSON.stringify(album.photoIds.map((id) => ({ media_fbid: id }))),
      ...scheduling(album.publishAt),
    },
  });
  const { id } = readAnswer(idAnswer, answer, "the album post", "retry");
  return { postId: id, url: facebookPostUrl(id) };
}

/** A video or reel, posted on the Page with the message as its description. */
export async function publishVideo(
  graph: GraphClient,
  target: PageTarget,
  video: { url: string; message: string; publishAt?: number },
  download: MediaDownload,
): Promise<PublishedFacebookPost> {
  const answer = await postMedia(
    graph,
    target,
    "videos",
    { url: video.url, params: { description: video.message, ...scheduling(video.publishAt) } },
    download,
  );
  const { id } = readAnswer(idAnswer, answer, "the video post", "retry");
  return { postId: id, url: facebookVideoUrl(target.pageId, id) };
}

/** A photo story on the Page: an unpublished photo, then the story that shows it. */
export async function publishPhotoStory(
  graph: GraphClient,
  target: PageTarget,
  story: { url: string },
  download: MediaDownload,
): Promise<PublishedFacebookPost> {
  const photoId = await uploadUnpublishedPhoto(graph, target, story, download);
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/photo_stories`,
    token: target.token,
    params: { photo_id: photoId },
  });
  const { post_id } = readAnswer(storyAnswer, answer, "the story", "retry");
  return { postId: post_id, url: facebookPostUrl(post_id) };
}

/** How far back an earlier attempt is looked for, page by page: far enough for a busy Page. */
const LOOKUP_PAGES = 8;
const LOOKUP_PAGE_SIZE = 50;
/** Facebook's clock and ours differ a little: the window opens a minute early. */
const CLOCK_SKEW_MS = 60_000;

type Listed = { id: string; text: string; attachedIds: string[] };
/** A Page's lists an earlier attempt's post can be in: a scheduled post is only in its own. */
type PageList = "published_posts" | "scheduled_posts" | "videos";

/** The Page's posts (or videos) created since `sinceMs`, newest first, read until `stop` finds one. */
async function findListed(
  graph: GraphClient,
  target: PageTarget,
  list: PageList,
  sinceMs: number,
  stop: (item: Listed) => boolean,
): Promise<Listed | undefined> {
  const since = Math.floor((sinceMs - CLOCK_SKEW_MS) / 1000);
  const fields =
    list === "videos"
      ? "id,description,created_time"
      : "id,message,created_time,attachments{target{id},subattachments{target{id}}}";
  let after: string | undefined;
  for (let page = 0; page < LOOKUP_PAGES; page++) {
    const answer = await graph.call({
      method: "GET",
      path: `/${target.pageId}/${list}`,
      token: target.token,
      params: { fields, since, limit: LOOKUP_PAGE_SIZE, after },
    });
    const { items, paging } = readListing(list, answer);
    const found = items.find(stop);
    if (found) return found;
    after = paging?.next ? paging.cursors?.after : undefined;
    if (!after || items.length === 0) return undefined;
  }
  return undefined;
}

/** One page of a Page's posts or videos, as the items a lookup compares. */
function readListing(list: PageList, answer: unknown) {
  if (list === "videos") {
    const { data, paging } = readAnswer(videosAnswer, answer, "the list of recent videos", "retry");
    const items = data.map(
      (video): Listed => ({ id: video.id, text: video.description ?? "", attachedIds: [] }),
    );
    return { items, paging };
  }
  const { data, paging } = readAnswer(publishedPostsAnswer, answer, "the list of recent posts", "retry");
  const items = data.map(
    (post): Listed => ({
      id: post.id,
      text: post.message ?? "",
      // One photo is the attachment's target; an album's photos are its subattachments'.
      attachedIds: (post.attachments?.data ?? []).flatMap((item) => [
        ...(item.target ? [item.target.id] : []),
        ...(item.subattachments?.data ?? []).flatMap((sub) => (sub.target ? [sub.target.id] : [])),
      ]),
    }),
  );
  return { items, paging };
}

/**
 * The post that attaches any of `photoIds` (uploaded unpublished by an earlier attempt), created
 * since `sinceMs`: the exact post that attempt made, whatever its text.
 */
export async function findPostAttaching(
  graph: GraphClient,
  target: PageTarget,
  search: { photoIds: string[]; sinceMs: number; scheduled?: boolean },
): Promise<PublishedFacebookPost | undefined> {
  const ours = new Set(search.photoIds);
  const attaches = (post: Listed) => post.attachedIds.some((id) => ours.has(id));
  // A scheduled post waits in its own list, until its time comes and it is published.
  const found =
    (search.scheduled && (await findListed(graph, target, "scheduled_posts", search.sinceMs, attaches))) ||
    (await findListed(graph, target, "published_posts", search.sinceMs, attaches));
  return found ? { postId: found.id, url: facebookPostUrl(found.id) } : undefined;
}

/**
 * For routes that give no id before their only call (one photo, a landscape video): a post with
 * the same text, created since the attempt began, that is not already another share's result.
 */
export async function findPostByText(
  graph: GraphClient,
  target: PageTarget,
  search: { message: string; sinceMs: number; video?: boolean; taken: ReadonlySet<string> },
): Promise<PublishedFacebookPost | undefined> {
  const same = (item: Listed) => item.text === search.message && !search.taken.has(item.id);
  const post = await findListed(graph, target, "published_posts", search.sinceMs, same);
  if (post) return { postId: post.id, url: facebookPostUrl(post.id) };
  if (!search.video) return undefined;
  const video = await findListed(graph, target, "videos", search.sinceMs, same);
  return video && { postId: video.id, url: facebookVideoUrl(target.pageId, video.id) };
}

const scheduledPostAnswer = z.object({
  id: z.optional(graphId),
  is_published: z.optional(z.boolean()),
  published: z.optional(z.boolean()),
});

/**
 * Takes a scheduled post (or video, or reel) off the Page before Facebook publishes it. One that is
 * published already is left alone: answers "published", and nothing is deleted.
 */
export async function unschedulePost(
  graph: GraphClient,
  target: PageTarget,
  postId: string,
): Promise<"deleted" | "published"> {
  const read = await graph.call({
    method: "GET",
    path: `/${postId}`,
    token: target.token,
    // Posts say `is_published`, videos `published`.
    params: { fields: postId.includes("_") ? "id,is_published" : "id,published" },
  });
  const post = readAnswer(scheduledPostAnswer, read, "the scheduled post", "retry");
  if ((post.is_published ?? post.published) !== false) return "published";
  const answer = await graph.call({ method: "DELETE", path: `/${postId}`, token: target.token });
  readAnswer(successAnswer, answer, "the deletion of the scheduled post", "retry");
  return "deleted";
}

/** Comments as the Page on its own post (its first comment): answers the comment's id. */
export async function addComment(
  graph: GraphClient,
  target: PageTarget,
  comment: { postId: string; message: string },
): Promise<string> {
  const answer = await graph.call({
    method: "POST",
    path: `/${comment.postId}/comments`,
    token: target.token,
    params: { message: comment.message },
  });
  return readAnswer(commentAnswer, answer, "the first comment", "retry").id;
}

const COMMENT_LOOKUP_PAGES = 4;

/**
 * The Page's own comment with this text on the post, as an earlier attempt would have made it.
 * "cannot-tell": Facebook hides comment ids from this token, so a missing one proves nothing.
 */
export async function findComment(
  graph: GraphClient,
  target: PageTarget,
  comment: { postId: string; message: string },
): Promise<string | "not-found" | "cannot-tell"> {
  let after: string | undefined;
  for (let page = 0; page < COMMENT_LOOKUP_PAGES; page++) {
    const answer = await graph.call({
      method: "GET",
      path: `/${comment.postId}/comments`,
      token: target.token,
      params: { filter: "stream", fields: "id,message,from{id}", limit: LOOKUP_PAGE_SIZE, after },
    });
    const { data, paging } = readAnswer(commentsAnswer, answer, "the post's comments", "retry");
    if (data.some((item) => item.id === undefined)) return "cannot-tell";
    const ours = data.find((item) => item.from?.id === target.pageId && item.message === comment.message);
    if (ours?.id) return ours.id;
    after = paging?.next ? paging.cursors?.after : undefined;
    if (!after || data.length === 0) return "not-found";
  }
  return "not-found";
}

/** Facebook's bounds for a Page reel (Reels Publishing API, "Duration"), in seconds. */
export const REEL_SECONDS = { min: 3, max: 90 } as const;
/** Reels a Page may publish through the API in any 24 hours (Reels Publishing API, "Rate Limit"). */
export const REELS_PER_DAY = 30;
export const REEL_WINDOW_MS = 24 * 60 * 60_000;

/** A reel's upload session: its id exists before anything is published. */
export async function startReel(graph: GraphClient, target: PageTarget): Promise<string> {
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/video_reels`,
    token: target.token,
    params: { upload_phase: "start" },
  });
  return readAnswer(reelStartAnswer, answer, "the start of the reel upload", "retry").video_id;
}

/**
 * Hands Facebook the reel's hosted file (the `file_url` header: Facebook fetches it, no byte passes
 * through us); when Facebook cannot fetch it, uploads the bytes instead.
 */
export async function uploadReel(
  graph: GraphClient,
  target: PageTarget,
  reel: { videoId: string; url: string },
  download: MediaDownload,
): Promise<void> {
  const upload = (headers: Record<string, string>, body?: Blob) =>
    graph.call({
      method: "POST",
      host: "rupload",
      path: `/${reel.videoId}`,
      token: target.token,
      headers,
      body,
    });
  try {
    readAnswer(successAnswer, await upload({ file_url: reel.url }), "the reel upload", "retry");
    return;
  } catch (error) {
    if (!(error instanceof GraphError) || error.kind !== "media-unreachable") throw error;
  }
  const bytes = await download(reel.url);
  readAnswer(
    successAnswer,
    await upload({ offset: "0", file_size: String(bytes.size) }, bytes),
    "the reel upload",
    "retry",
  );
}

/** Publishes an uploaded reel with its description; Facebook then processes it. */
export async function finishReel(
  graph: GraphClient,
  target: PageTarget,
  reel: { videoId: string; description: string; publishAt?: number },
): Promise<void> {
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/video_reels`,
    token: target.token,
    params: {
      upload_phase: "finish",
      video_id: reel.videoId,
      description: reel.description,
      ...(reel.publishAt === undefined
        ? { video_state: "PUBLISHED" }
        : { video_state: "SCHEDULED", scheduled_publish_time: Math.floor(reel.publishAt / 1000) }),
    },
  });
  readAnswer(successAnswer, answer, "the reel's publishing", "retry");
}

export type ReelStatus =
  | { state: "published"; post: PublishedFacebookPost }
  /** Facebook is still working on it: look again later. */
  | { state: "processing" }
  /** The file never reached Facebook: upload it (again) to the same reel. */
  | { state: "not-uploaded" }
  /** Uploaded, never published: finish it (again), the same reel, never a second one. */
  | { state: "not-published" }
  | { state: "failed"; reason: string };

/** Where a reel is in Facebook's upload, processing and publishing (`GET /{video-id}?fields=status`). */
export async function reelStatus(
  graph: GraphClient,
  target: PageTarget,
  videoId: string,
): Promise<ReelStatus> {
  const answer = await graph.call({
    method: "GET",
    path: `/${videoId}`,
    token: target.token,
    params: { fields: "status" },
  });
  const { status } = readAnswer(videoStatusAnswer, answer, "the reel's status", "retry");
  const phases = [status.uploading_phase, status.processing_phase, status.publishing_phase];
  const failed = phases.find((item) => item?.status === "error");
  if (failed || status.video_status === "error") {
    const reason =
      failed?.errors?.find((item) => item.message)?.message ?? "Facebook could not process the video.";
    return { state: "failed", reason };
  }
  // A scheduled reel is Facebook's from here on: it publishes it at its time.
  if (
    status.publishing_phase?.status === "complete" ||
    status.publishing_phase?.publish_status === "scheduled"
  ) {
    return { state: "published", post: { postId: videoId, url: facebookReelUrl(videoId) } };
  }
  if (status.uploading_phase?.status !== "complete") return { state: "not-uploaded" };
  // Processing starts with the upload; only publishing tells whether the finish call arrived.
  return status.publishing_phase?.status === "in_progress"
    ? { state: "processing" }
    : { state: "not-published" };
}

export function facebookReelUrl(videoId: string): string {
  return `https://www.facebook.com/reel/${videoId}`;
}
