import { listAccounts } from "../db/accounts";
import { jobsOfPost } from "../db/jobs";
import type { AccountRecord } from "../db/schema";
import { GraphError } from "../facebook/errors";
import {
  fetchMedia,
  type InstagramMedia,
  kindOfMedia,
  listRecentMedia,
  publishedPostOf,
  thumbnailOf,
  UnshareableMediaError,
} from "../facebook/instagram-api";
import { pkFromShortcode } from "../instagram/shortcode";
import { MessageError } from "../messages/protocol";
import { type InstagramPostsView, jobView, type PastPostView } from "../messages/views";
import type { HandlerDeps, HandlersFor } from "./deps";
import { queueShares } from "./queue-shares";

export type LinkedInstagram = { id: string; username: string; pages: AccountRecord[] };

/** The Instagram accounts the linked Pages are linked to, each with the Pages that can read it. */
export function linkedInstagramAccounts(accounts: AccountRecord[]): LinkedInstagram[] {
  const byId = new Map<string, LinkedInstagram>();
  for (const account of accounts) {
    const link = account.instagram;
    if (account.kind !== "page" || link?.state !== "linked") continue;
    const entry = byId.get(link.id) ?? { id: link.id, username: link.username, pages: [] };
    entry.pages.push(account);
    byId.set(link.id, entry);
  }
  return [...byId.values()];
}

export function readerOf(instagram: LinkedInstagram): (AccountRecord & { token: string }) | undefined {
  return instagram.pages.find(
    (page): page is AccountRecord & { token: string } => page.status === "ok" && page.token !== undefined,
  );
}

/** A failed read of Instagram's API as a sentence the user can act on; no token is ever in it. */
export function readFailure(error: unknown, username: string): string {
  if (error instanceof GraphError && error.kind === "permission") {
    return `Facebook did not let alsoshare read @${username}'s posts: the sign-in lacks the instagram_basic permission. Connect Facebook again and allow it.`;
  }
  if (error instanceof GraphError && error.kind === "auth") {
    return `The sign-in of the Page linked to @${username} is no longer valid. Sign in again.`;
  }
  const reason = error instanceof Error ? error.message : "unknown error";
  return `Could not read @${username}'s posts from Instagram (${reason}). Try again later.`;
}

/** When Instagram says the post was made: its `+0000` offset is not one Date.parse reads. */
export function postedAtOf(media: Pick<InstagramMedia, "timestamp">): number | undefined {
  const at = Date.parse(media.timestamp.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(at) ? undefined : at;
}

async function pastPostView(media: InstagramMedia): Promise<PastPostView> {
  const pk = pkFromShortcode(media.shortcode);
  const postedAt = postedAtOf(media);
  return {
    igMediaId: media.id,
    pk,
    kind: kindOfMedia(media),
    caption: media.caption ?? "",
    permalink: media.permalink,
    postedAt,
    thumbnailUrl: thumbnailOf(media),
    jobs: pk ? (await jobsOfPost(pk)).map(jobView) : [],
  };
}

/** Posts made earlier on Instagram (the phone app included), read from Instagram's API and shared. */
export function createInstagramHandlers(
  deps: HandlerDeps,
): HandlersFor<"instagram.recent" | "instagram.sharePast"> {
  return {
    async "instagram.recent"({ count, instagramId }) {
      const linked = linkedInstagramAccounts(await listAccounts()).filter(
        (instagram) => instagramId === undefined || instagram.id === instagramId,
      );
      return Promise.all(
        linked.map(async (instagram): Promise<InstagramPostsView> => {
          const view = { instagramId: instagram.id, username: instagram.username, hasOlder: false };
          const reader = readerOf(instagram);
          if (!reader) {
            return {
              ...view,
              posts: [],
              error: `Sign in again to ${instagram.pages[0]?.name ?? "the Page"} to see @${instagram.username}'s posts.`,
            };
          }
          try {
            // One post more than asked: whether it came says if there are older ones to show.
            const media = await listRecentMedia(deps.graph, {
              igUserId: instagram.id,
              token: reader.token,
              count: count + 1,
            });
            const posts = await Promise.all(media.slice(0, count).map(pastPostView));
            return { ...view, posts, hasOlder: media.length > count };
          } catch (error) {
            return { ...view, posts: [], error: readFailure(error, instagram.username) };
          }
        }),
      );
    },

    async "instagram.sharePast"({ instagramId, igMediaId, pageIds, message, when }) {
      const accounts = await listAccounts();
      const instagram = linkedInstagramAccounts(accounts).find((entry) => entry.id === instagramId);
      const reader = instagram && readerOf(instagram);
      if (!instagram || !reader) {
        throw new MessageError(
          "not-found",
          "No linked Page can read this Instagram account any more. Sign in again to the Page it is linked to.",
        );
      }
      const targets = pageIds.map((id) =>
        accounts.find((account) => account.id === id && account.kind === "page"),
      );
      if (targets.some((target) => target === undefined)) {
        throw new MessageError("bad-request", "A chosen Page is no longer linked.");
      }
      // The post as Instagram has it now, read with our own token: the page's copy is never used.
      const media = await fetchMedia(deps.graph, { mediaId: igMediaId, token: reader.token }).catch(
        (error: unknown) => {
          throw new MessageError("failed", readFailure(error, instagram.username));
        },
      );
      let post: ReturnType<typeof publishedPostOf>;
      try {
        post = publishedPostOf(media);
      } catch (error) {
        if (error instanceof UnshareableMediaError) throw new MessageError("failed", error.message);
        throw error;
      }
      await queueShares(deps, {
        post,
        targets: targets as AccountRecord[],
        message,
        when,
        now: deps.now(),
      });
      return (await jobsOfPost(post.pk)).map(jobView);
    },
  };
}
