import * as z from "zod/mini";
import { type Json, summarizeMedia } from "./configure";
import { type PublishedPost, publishedPostSchema } from "./post";

const idOf = z.union([z.string(), z.number()]);
const infoAnswerSchema = z.object({
  status: z.literal("ok"),
  items: z.array(
    z.looseObject({
      pk: idOf,
      taken_at: z.number(),
      user: z.looseObject({ pk: idOf }),
    }),
  ),
});

/** What one media/info answer says: which post, whose, when it was taken, and the post as we share it. */
export interface MediaReading {
  pk: string;
  owner: string;
  takenAt: number;
  /** Null when the post is not one we can share (media off Instagram's CDN, a garbled field). */
  post: PublishedPost | null;
}

/**
 * Instagram's media/info answer, as the tab fetched it with the user's session, read in the
 * background where zod runs: null unless it is an answer about one media.
 */
export function readMediaInfo(answer: unknown): MediaReading | null {
  const parsed = infoAnswerSchema.safeParse(answer);
  const media = parsed.success ? parsed.data.items[0] : undefined;
  if (!media) return null;
  const summary = summarizeMedia(media as Json);
  const post = publishedPostSchema.safeParse(summary);
  return {
    pk: String(summary.pk),
    owner: String(media.user.pk),
    takenAt: media.taken_at * 1000,
    post: post.success ? post.data : null,
  };
}
