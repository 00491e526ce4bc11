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

// Rules as plain refinements rather than zod's regex/length/number checks: the same strictness in
// fewer bytes of the background (the content script ships no zod: it asks the background to read).
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

/** One publish our network observer reported: the post, and where Instagram itself cross-posted it. */
export type ObservedPublish = { post: PublishedPost; instagramSharedTo?: InstagramSharedTo };

/**
 * A summary the network observer reported, read as everything from the page is: null unless it is
 * a post in exactly our shape; anything it adds (targets, text) is dropped.
 */
export function readPublish(summary: unknown): ObservedPublish | null {
  const parsed = publishedPostSchema.safeParse(summary);
  if (!parsed.success) return null;
  // A cross-post we cannot read is no cross-post: we then share as the user chose.
  const sharedTo = instagramSharedToSchema.safeParse(
    typeof summary === "object" && summary !== null && "instagramSharedTo" in summary
      ? summary.instagramSharedTo
      : undefined,
  );
  return sharedTo.success ? { post: parsed.data, instagramSharedTo: sharedTo.data } : { post: parsed.data };
}
