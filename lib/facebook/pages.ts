import * as z from "zod/mini";
import { GraphError } from "./errors";
import { type GraphClient, readAnswer } from "./graph";

const graphId = z.string().check(z.regex(/^\d+(_\d+)?$/));

const identityAnswer = z.object({ id: graphId, name: z.string().check(z.minLength(1), z.maxLength(200)) });
const photoAnswer = z.object({ id: graphId, post_id: z.optional(graphId) });
const idAnswer = z.object({ id: graphId });
const storyAnswer = z.object({ post_id: graphId });
const publishedPostsAnswer = z.object({
  data: z.array(
    z.object({ id: graphId, message: z.optional(z.string()), created_time: z.optional(z.string()) }),
  ),
});
const videosAnswer = z.object({
  data: z.array(
    z.object({ id: graphId, description: z.optional(z.string()), created_time: z.optional(z.string()) }),
  ),
});

export interface PageTarget {
  pageId: string;
  token: string;
}

export interface PublishedFacebookPost {
  postId: string;
  url: string;
}

/**
 * Downloads one Instagram media file, for when Facebook cannot fetch the URL itself. The Blob is
 * handed to the upload as is: the bytes are held once, never copied.
 */
export type MediaDownload = (url: string) => Promise<Blob>;

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
  media: { url: string; params: Record<string, string | boolean> },
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

/** One photo, published on the Page with the message. */
export async function publishPhoto(
  graph: GraphClient,
  target: PageTarget,
  photo: { url: string; message: string },
  download: MediaDownload,
): Promise<PublishedFacebookPost> {
  const answer = await postMedia(
    graph,
    target,
    "photos",
    { url: photo.url, params: { message: photo.message } },
    download,
  );
  const { id, post_id } = readAnswer(photoAnswer, answer, "the photo post", "retry");
  const postId = post_id ?? `${target.pageId}_${id}`;
  return { postId, url: facebookPostUrl(postId) };
}

/** Uploads a photo that appears nowhere yet, to be attached to a post or a story. */
async function uploadUnpublishedPhoto(
  graph: GraphClient,
  target: PageTarget,
  url: string,
  download: MediaDownload,
): Promise<string> {
  const answer = await postMedia(graph, target, "photos", { url, params: { published: false } }, download);
  return readAnswer(idAnswer, answer, "the photo upload", "retry").id;
}

/**
 * Several photos as one post: each uploaded unpublished, one after the other (so at most one
 * downloaded file is held at a time), then one feed post that attaches them all. Unpublished
 * photos left by an attempt that died are invisible on the Page.
 */
export async function publishAlbum(
  graph: GraphClient,
  target: PageTarget,
  album: { urls: string[]; message: string },
  download: MediaDownload,
): Promise<PublishedFacebookPost> {
  const mediaIds: string[] = [];
  for (const url of album.urls) mediaIds.push(await uploadUnpublishedPhoto(graph, target, url, download));
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/feed`,
    token: target.token,
    params: {
      message: album.message,
      attached_media: JSON.stringify(mediaIds.map((id) => ({ media_fbid: id }))),
    },
  });
  const { id } = readAnswer(idAnswer, answer, "the album post", "retry");
  return { postId: id, url: facebookPostUrl(id) };
}

/** A video or reel, posted on the Page with the message as its description. */
export async function publishVideo(
  graph: GraphClient,
  target: PageTarget,
  video: { url: string; message: string },
  download: MediaDownload,
): Promise<PublishedFacebookPost> {
  const answer = await postMedia(
    graph,
    target,
    "videos",
    { url: video.url, params: { description: video.message } },
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
  const photoId = await uploadUnpublishedPhoto(graph, target, story.url, download);
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/photo_stories`,
    token: target.token,
    params: { photo_id: photoId },
  });
  const { post_id } = readAnswer(storyAnswer, answer, "the story", "retry");
  return { postId: post_id, url: facebookPostUrl(post_id) };
}

/**
 * Looks for a post we may have made before the worker died: same message, created after the
 * attempt started. Facebook's clock and ours differ a little, so the window opens a minute early.
 * Videos are looked up among the Page's videos too, where their description is the message.
 */
export async function findPostSince(
  graph: GraphClient,
  target: PageTarget,
  search: { message: string; sinceMs: number; video?: boolean },
): Promise<PublishedFacebookPost | undefined> {
  const since = Math.floor((search.sinceMs - 60_000) / 1000);
  const answer = await graph.call({
    method: "GET",
    path: `/${target.pageId}/published_posts`,
    token: target.token,
    params: { fields: "id,message,created_time", since, limit: 25 },
  });
  const { data } = readAnswer(publishedPostsAnswer, answer, "the list of recent posts", "retry");
  const match = data.find((post) => (post.message ?? "") === search.message);
  if (match) return { postId: match.id, url: facebookPostUrl(match.id) };
  if (!search.video) return undefined;
  const videos = await graph.call({
    method: "GET",
    path: `/${target.pageId}/videos`,
    token: target.token,
    params: { fields: "id,description,created_time", since, limit: 25 },
  });
  const found = readAnswer(videosAnswer, videos, "the list of recent videos", "retry").data.find(
    (video) => (video.description ?? "") === search.message,
  );
  return found && { postId: found.id, url: facebookVideoUrl(target.pageId, found.id) };
}
