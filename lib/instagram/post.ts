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

// Rules as plain refinements rather than zod's regex/length/number checks: the same strictness, and
// 1.4 kB less gzip in the content script that every instagram.com page loads.
const within = (max: number) => (value: string | unknown[]) => value.length <= max;
const matching = (pattern: RegExp) => (value: string) => pattern.test(value);

const mediaUrl = z
  .string()
  .check(
    z.refine(
      (value) => within(4096)(value) && isInstagramMediaUrl(value),
      "media must come from Instagram's CDN",
    ),
  );
const dimension = z.optional(
  z.custom<number>((value) => typeof value === "number" && Number.isInteger(value) && value > 0),
);

export const mediaItemSchema = z.object({
  type: z.enum(["image", "video"]),
  url: mediaUrl,
  width: dimension,
  height: dimension,
  /** A video's length in seconds (`video_duration`): Facebook takes reels of limited length only. */
  duration: z.optional(z.custom<number>((value) => typeof value === "number" && value > 0 && value < 86_400)),
  /** The alt text the user wrote on Instagram (`accessibility_caption`), passed on to Facebook. */
  alt: z.optional(z.string().check(z.refine(within(5000), "alt text"))),
});

export const postKindSchema = z.enum(["photo", "carousel", "video", "reel", "story"]);
export type PostKind = z.infer<typeof postKindSchema>;

/** A post Instagram says it published: the proof it exists, as read from the configure answer. */
export const publishedPostSchema = z.object({
  pk: z.string().check(z.refine(matching(/^\d{1,30}$/), "a media id")),
  code: z.string().check(z.refine(matching(/^[\w-]{5,40}$/), "a shortcode")),
  kind: postKindSchema,
  caption: z.string().check(z.refine(within(100_000), "a caption")),
  media: z
    .array(mediaItemSchema)
    .check(z.refine((items) => items.length >= 1 && within(20)(items), "1 to 20 media")),
});
export type PublishedPost = z.infer<typeof publishedPostSchema>;

/**
 * Where Instagram itself posted this post on Facebook (Accounts Center's cross-post), as the page
 * reports it. Untrusted like everything from the page: it may only ever make us share less.
 */
export const instagramSharedToSchema = z.object({
  type: z.enum(["page", "user"]),
  /** The Page's id, for a Page. */
  id: z.optional(z.string().check(z.refine(matching(/^\d{1,30}$/), "a Page id"))),
  /** The Facebook post Instagram made (`crosspost_metadata.fb_crosspost_fbid`), when it says. */
  postId: z.optional(z.string().check(z.refine(matching(/^\d{1,40}$/), "a Facebook post id"))),
});
export type InstagramSharedTo = z.infer<typeof instagramSharedToSchema>;
export type MediaItem = z.infer<typeof mediaItemSchema>;

export function permalinkOf(post: Pick<PublishedPost, "code" | "kind">): string {
  return `https://www.instagram.com/${post.kind === "reel" ? "reel" : "p"}/${post.code}/`;
}
