import * as z from "zod/mini";
import { ShareError } from "../destinations/errors";
import { readAnswer, type TumblrClient, type TumblrFile } from "./client";
import type { TextBlock } from "./npf";

/**
 * Tumblr's post ids are 64-bit numbers: a listing's `id` is one JavaScript cannot hold exactly,
 * so only the `id_string` beside it (and the answers' `id`, a string) is read.
 */
const postId = z.string().check(z.regex(/^\d{1,20}$/));
const npfBlocks = z.array(z.record(z.string(), z.unknown()));

const idAnswer = z.object({ id: postId });
const postAnswer = z.object({
  state: z.enum(["published", "queued", "draft", "private", "submission"]),
  content: npfBlocks,
  layout: z.optional(npfBlocks),
  tags: z.optional(z.array(z.string())),
  slug: z.optional(z.string()),
});
const draftsAnswer = z.object({
  posts: z.array(z.object({ id_string: postId, slug: z.optional(z.string()) })),
});

export type MediaBlock =
  | { type: "image"; media: { type: string; identifier: string }[]; alt_text?: string }
  | { type: "video"; media: { type: string; identifier: string } };

export interface NewPost {
  content: (MediaBlock | TextBlock)[];
  tags: string[];
  slug: string;
  files: TumblrFile[];
}

/** A post as Tumblr keeps it: its state, and its blocks with Tumblr's own copies of the media. */
export type StoredPost = z.infer<typeof postAnswer>;

/**
 * Makes the post as a draft (`POST /v2/blog/{blog}/posts`, state "draft"): the JSON as the first
 * part of a multipart body, each file after it under its media object's identifier. Nobody sees a
 * draft; answers its id.
 */
export async function createDraft(
  client: TumblrClient,
  token: string,
  blog: string,
  post: NewPost,
): Promise<string> {
  const answer = await client.call({
    method: "POST",
    path: `/v2/blog/${blog}/posts`,
    token,
    json: {
      content: post.content,
      state: "draft",
      slug: post.slug,
      ...(post.tags.length > 0 && { tags: post.tags.join(",") }),
    },
    files: post.files,
  });
  return readAnswer(idAnswer, answer, "the new draft", "retry").id;
}

/** The post with this id (`GET /v2/blog/{blog}/posts/{id}`), or undefined when Tumblr has none. */
export async function readPost(
  client: TumblrClient,
  token: string,
  blog: string,
  id: string,
): Promise<StoredPost | undefined> {
  try {
    const answer = await client.call({ method: "GET", path: `/v2/blog/${blog}/posts/${id}`, token });
    return readAnswer(postAnswer, answer, "“what is this post”", "retry");
  } catch (error) {
    if (error instanceof ShareError && error.details.status === 404) return undefined;
    throw error;
  }
}

/**
 * Publishes a draft (`PUT /v2/blog/{blog}/posts/{id}`, state "published"). An edit takes the whole
 * post again, so its blocks go back as Tumblr keeps them. Sent twice, it publishes the one post.
 */
export async function publishDraft(
  client: TumblrClient,
  token: string,
  blog: string,
  id: string,
  draft: StoredPost,
): Promise<void> {
  const answer = await client.call({
    method: "PUT",
    path: `/v2/blog/${blog}/posts/${id}`,
    token,
    json: {
      content: draft.content.map(forEdit),
      ...(draft.layout && { layout: draft.layout }),
      state: "published",
      ...(draft.slug && { slug: draft.slug }),
      ...(draft.tags?.length && { tags: draft.tags.join(",") }),
    },
  });
  readAnswer(idAnswer, answer, "the published post", "retry");
}

/**
 * Fields Tumblr adds to a media object it answers, which a post it is given must not carry (NPF
 * spec, Media Objects: `original_dimensions_missing` "is not allowed during Post creation").
 */
const ANSWERED_ONLY = ["original_dimensions_missing", "cropped", "has_original_dimensions"];

/** A block as Tumblr answered it, made fit to be sent back: its media objects without those fields. */
function forEdit(block: Record<string, unknown>): Record<string, unknown> {
  const strip = (media: unknown): unknown => {
    if (Array.isArray(media)) return media.map(strip);
    if (typeof media !== "object" || media === null) return media;
    return Object.fromEntries(Object.entries(media).filter(([key]) => !ANSWERED_ONLY.includes(key)));
  };
  return {
    ...block,
    ...("media" in block && { media: strip(block.media) }),
    ...("poster" in block && { poster: strip(block.poster) }),
  };
}

/** The blog's newest drafts (`GET /v2/blog/{blog}/posts/draft`), for one an earlier attempt made. */
export async function findDraft(
  client: TumblrClient,
  token: string,
  blog: string,
  ours: (slug: string | undefined) => Promise<boolean>,
): Promise<string | undefined> {
  const answer = await client.call({ method: "GET", path: `/v2/blog/${blog}/posts/draft`, token });
  for (const draft of readAnswer(draftsAnswer, answer, "the blog's drafts", "retry").posts) {
    if (await ours(draft.slug)) return draft.id_string;
  }
  return undefined;
}
