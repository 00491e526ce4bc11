import * as z from "zod/mini";
import {
  isInstagramMediaUrl,
  type MediaItem,
  type PostKind,
  type PublishedPost,
  publishedPostSchema,
} from "../instagram/post";
import { pkFromShortcode } from "../instagram/shortcode";
import { GraphError } from "./errors";
import { type GraphClient, readAnswer } from "./graph";

/**
 * Instagram's official API (Instagram Graph API) for Business and Creator accounts linked to a
 * Page, read with the Page's token and the `instagram_basic` permission.
 */

const graphId = z.string().check(z.regex(/^\d{1,30}$/));
const httpsUrl = z.string().check(z.maxLength(4096), z.regex(/^https:\/\//));

const linkedAccountAnswer = z.object({
  id: graphId,
  instagram_business_account: z.optional(
    z.object({
      id: graphId,
      username: z.string().check(z.regex(/^[\w.]{1,30}$/)),
      profile_picture_url: z.optional(httpsUrl),
    }),
  ),
});

const mediaType = z.enum(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]);
const mediaEntry = z.object({
  id: graphId,
  caption: z.optional(z.string().check(z.maxLength(100_000))),
  media_type: mediaType,
  media_product_type: z.optional(z.string().check(z.maxLength(40))),
  media_url: z.optional(z.string().check(z.maxLength(4096))),
  thumbnail_url: z.optional(z.string().check(z.maxLength(4096))),
  permalink: z.optional(httpsUrl),
  shortcode: z.string().check(z.regex(/^[\w-]{1,40}$/)),
  timestamp: z.string().check(z.maxLength(40)),
  children: z.optional(
    z.object({
      data: z
        .array(
          z.object({
            id: z.optional(graphId),
            media_type: mediaType,
            media_url: z.optional(z.string().check(z.maxLength(4096))),
          }),
        )
        .check(z.maxLength(20)),
    }),
  ),
});
export type InstagramMedia = z.infer<typeof mediaEntry>;

const mediaListAnswer = z.object({
  data: z.array(mediaEntry).check(z.maxLength(100)),
  paging: z.optional(
    z.object({
      cursors: z.optional(z.object({ after: z.optional(z.string().check(z.maxLength(500))) })),
      next: z.optional(z.string()),
    }),
  ),
});

export const MEDIA_FIELDS =
  "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,shortcode,timestamp,children{media_type,media_url}";

/** Which Instagram account a Page is linked to, as far as its token can tell. */
export type InstagramLink =
  | { state: "linked"; id: string; username: string; pictureUrl?: string }
  | { state: "none" }
  /** The token lacks `instagram_basic`: the user signs in again and allows it. */
  | { state: "no-permission" };

export async function fetchLinkedInstagram(
  graph: GraphClient,
  page: { pageId: string; token: string },
): Promise<InstagramLink> {
  let answer: unknown;
  try {
    answer = await graph.call({
      method: "GET",
      path: `/${page.pageId}`,
      token: page.token,
      params: { fields: "instagram_business_account{id,username,profile_picture_url}" },
    });
  } catch (error) {
    if (error instanceof GraphError && error.kind === "permission") return { state: "no-permission" };
    throw error;
  }
  const read = readAnswer(linkedAccountAnswer, answer, "“which Instagram account is linked”", "refuse");
  const account = read.instagram_business_account;
  if (!account) return { state: "none" };
  return {
    state: "linked",
    id: account.id,
    username: account.username,
    ...(account.profile_picture_url !== undefined && { pictureUrl: account.profile_picture_url }),
  };
}

/** One page at most of this many posts per call, and no more calls than this per list. */
const PAGE_SIZE = 25;
const MAX_ROUNDS = 4;

/** The account's newest `count` posts, newest first, following Graph's `after` cursor. */
export async function listRecentMedia(
  graph: GraphClient,
  source: { igUserId: string; token: string; count: number },
): Promise<InstagramMedia[]> {
  const media: InstagramMedia[] = [];
  let after: string | undefined;
  for (let round = 0; round < MAX_ROUNDS && media.length < source.count; round++) {
    const answer = await graph.call({
      method: "GET",
      path: `/${source.igUserId}/media`,
      token: source.token,
      params: { fields: MEDIA_FIELDS, limit: Math.min(PAGE_SIZE, source.count - media.length), after },
    });
    const { data, paging } = readAnswer(
      mediaListAnswer,
      answer,
      "the list of your Instagram posts",
      "refuse",
    );
    media.push(...data.filter((item) => !media.some((seen) => seen.id === item.id)));
    after = paging?.cursors?.after;
    if (!paging?.next || !after || data.length === 0) break;
  }
  return media.slice(0, source.count);
}

/** One post, read again from Instagram itself (never taken from a page's copy). */
export async function fetchMedia(
  graph: GraphClient,
  source: { mediaId: string; token: string },
): Promise<InstagramMedia> {
  const answer = await graph.call({
    method: "GET",
    path: `/${source.mediaId}`,
    token: source.token,
    params: { fields: MEDIA_FIELDS },
  });
  return readAnswer(mediaEntry, answer, "the Instagram post", "refuse");
}

export function kindOfMedia(media: Pick<InstagramMedia, "media_type" | "media_product_type">): PostKind {
  if (media.media_type === "IMAGE") return "photo";
  if (media.media_type === "CAROUSEL_ALBUM") return "carousel";
  return media.media_product_type === "REELS" ? "reel" : "video";
}

/** The picture to show for a post: the API's own URL on Instagram's CDN, or none. */
export function thumbnailOf(media: InstagramMedia): string | undefined {
  const candidates = [
    media.media_type === "VIDEO" ? media.thumbnail_url : media.media_url,
    media.children?.data.find((child) => child.media_type === "IMAGE")?.media_url,
  ];
  return candidates.find((url): url is string => url !== undefined && isInstagramMediaUrl(url));
}

/** Why a post from the API cannot become a share, in words the user can act on. */
export class UnshareableMediaError extends Error {
  override readonly name = "UnshareableMediaError";
}

/**
 * The post as the queue shares it, with the web pk its shortcode stands for: the composer keys
 * its jobs by that pk, so both routes name the same post the same way.
 */
export function publishedPostOf(media: InstagramMedia): PublishedPost {
  const pk = pkFromShortcode(media.shortcode);
  if (!pk) throw new UnshareableMediaError("Instagram gave this post a link alsoshare cannot read.");
  const files =
    media.media_type === "CAROUSEL_ALBUM"
      ? (media.children?.data ?? []).map((child) => ({ type: child.media_type, url: child.media_url }))
      : [{ type: media.media_type, url: media.media_url }];
  const items: MediaItem[] = files.map(({ type, url }) => {
    if (!url)
      throw new UnshareableMediaError("Instagram gives no file for this post, so it cannot be shared.");
    if (!isInstagramMediaUrl(url)) {
      throw new UnshareableMediaError(
        "Instagram named a file for this post that is not on its own servers, so alsoshare did not share it.",
      );
    }
    return { type: type === "VIDEO" ? "video" : "image", url };
  });
  const post = publishedPostSchema.safeParse({
    pk,
    code: media.shortcode,
    kind: kindOfMedia(media),
    caption: media.caption ?? "",
    media: items,
  });
  if (!post.success)
    throw new UnshareableMediaError("Instagram gave this post in a shape alsoshare cannot share.");
  return post.data;
}
