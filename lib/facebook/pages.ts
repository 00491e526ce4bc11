import * as z from "zod/mini";
import { GraphError } from "./errors";
import type { GraphClient } from "./graph";

const graphId = z.string().check(z.regex(/^\d+(_\d+)?$/));

const identityAnswer = z.object({ id: graphId, name: z.string().check(z.minLength(1), z.maxLength(200)) });
const photoAnswer = z.object({ id: graphId, post_id: z.optional(graphId) });
const publishedPostsAnswer = z.object({
  data: z.array(
    z.object({ id: graphId, message: z.optional(z.string()), created_time: z.optional(z.string()) }),
  ),
});

export interface PublishedFacebookPost {
  postId: string;
  url: string;
}

export function facebookPostUrl(postId: string): string {
  return `https://www.facebook.com/${postId}`;
}

function parseAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    // The call may have done its work even though we cannot read the answer.
    throw new GraphError("transient", `Facebook's answer to ${what} was not in the expected shape.`, {
      outcomeUnknown: true,
    });
  }
  return parsed.data;
}

/** Who a token belongs to (a Page token answers with the Page). */
export async function fetchIdentity(graph: GraphClient, token: string) {
  const answer = await graph.call({ method: "GET", path: "/me", token, params: { fields: "id,name" } });
  return parseAnswer(identityAnswer, answer, "“who is this token for”");
}

/** Posts one photo on a Page, by URL: Facebook fetches the image itself, no byte passes through us. */
export async function publishPhotoByUrl(
  graph: GraphClient,
  target: { pageId: string; token: string },
  photo: { url: string; message: string },
): Promise<PublishedFacebookPost> {
  const answer = await graph.call({
    method: "POST",
    path: `/${target.pageId}/photos`,
    token: target.token,
    params: { url: photo.url, message: photo.message },
  });
  const { id, post_id } = parseAnswer(photoAnswer, answer, "the photo post");
  const postId = post_id ?? `${target.pageId}_${id}`;
  return { postId, url: facebookPostUrl(postId) };
}

/**
 * Looks for a post we may have made before the worker died: same message, created after the
 * attempt started. Facebook's clock and ours differ a little, so the window opens a minute early.
 */
export async function findPostSince(
  graph: GraphClient,
  target: { pageId: string; token: string },
  search: { message: string; sinceMs: number },
): Promise<PublishedFacebookPost | undefined> {
  const answer = await graph.call({
    method: "GET",
    path: `/${target.pageId}/published_posts`,
    token: target.token,
    params: {
      fields: "id,message,created_time",
      since: Math.floor((search.sinceMs - 60_000) / 1000),
      limit: 25,
    },
  });
  const { data } = parseAnswer(publishedPostsAnswer, answer, "the list of recent posts");
  const match = data.find((post) => (post.message ?? "") === search.message);
  return match && { postId: match.id, url: facebookPostUrl(match.id) };
}
