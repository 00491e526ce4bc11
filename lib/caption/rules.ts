import * as z from "zod/mini";

export const captionRulesSchema = z.object({
  /**
   * keep as typed · move to one line at the end · drop · keep the first `hashtagLimit` · move to
   * the Facebook post's first comment.
   */
  hashtags: z.enum(["keep", "end", "drop", "first", "comment"]),
  hashtagLimit: z.int().check(z.minimum(0), z.maximum(30)),
  /** plain: `@name` stays as typed · link: `instagram.com/name`, which Facebook turns into a link. */
  mentions: z.enum(["plain", "link"]),
  appendPermalink: z.boolean(),
  /** The permalink goes in the first comment rather than the text. Absent in older settings: no. */
  permalinkInComment: z.optional(z.boolean()),
});

export type CaptionRules = z.infer<typeof captionRulesSchema>;

export const DEFAULT_CAPTION_RULES: CaptionRules = {
  hashtags: "keep",
  hashtagLimit: 5,
  mentions: "plain",
  appendPermalink: false,
};
