import * as z from "zod/mini";

/** Instagram serves published media from these hosts only; anything else from the page is refused. */
const MEDIA_HOST = /(^|\.)(cdninstagram\.com|fbcdn\.net)$/;

export function isInstagramMediaUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && MEDIA_HOST.test(url.hostname) && url.port === "";
  } catch {
    return false;
  }
}

const mediaUrl = z
  .string()
  .check(z.maxLength(4096), z.refine(isInstagramMediaUrl, "media must come from Instagram's CDN"));

export const mediaItemSchema = z.object({
  type: z.enum(["image", "video"]),
  url: mediaUrl,
  width: z.optional(z.number().check(z.int(), z.positive())),
  height: z.optional(z.number().check(z.int(), z.positive())),
});

export const postKindSchema = z.enum(["photo", "carousel", "video", "reel", "story"]);
export type PostKind = z.infer<typeof postKindSchema>;

/** A post Instagram says it published: the proof it exists, as read from the configure answer. */
export const publishedPostSchema = z.object({
  pk: z.string().check(z.regex(/^\d{1,30}$/)),
  code: z.string().check(z.regex(/^[\w-]{5,40}$/)),
  kind: postKindSchema,
  caption: z.string().check(z.maxLength(100_000)),
  media: z.array(mediaItemSchema).check(z.minLength(1), z.maxLength(20)),
});
export type PublishedPost = z.infer<typeof publishedPostSchema>;
export type MediaItem = z.infer<typeof mediaItemSchema>;

export function permalinkOf(post: Pick<PublishedPost, "code" | "kind">): string {
  return `https://www.instagram.com/${post.kind === "reel" ? "reel" : "p"}/${post.code}/`;
}
