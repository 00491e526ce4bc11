import { getAccount, listAccounts } from "../db/accounts";
import { logEvent } from "../db/events";
import { jobsOfPost, postsSharedFromTab, updateJobs } from "../db/jobs";
import { updateNewPostsState, withDeclined } from "../db/new-posts";
import type { AccountRecord } from "../db/schema";
import { readMediaInfo } from "../instagram/media-info";
import { readPublish } from "../instagram/post";
import { MessageError } from "../messages/protocol";
import { accountView, shareStatusView } from "../messages/views";
import { transition } from "../queue/lifecycle";
import { loadConsent, loadSettings, SettingsUnreadableError, updateSettings } from "../settings/store";
import type { HandlerDeps, HandlersFor } from "./deps";
import { queueShares } from "./queue-shares";

/**
 * A brake on share requests from Instagram's tabs, behind the composer's own proofs (the user's
 * press of Share, the post confirmed with Instagram): a page that found a way around them still
 * gets only a few posts out. Counted per post, so asking again for the same post costs nothing. The
 * hour's count is read from the shares themselves, so a restarted worker does not start it afresh.
 */
export const SHARES_PER_PAGE_LOAD = 10;
export const SHARES_PER_TAB_PER_HOUR = 30;
const HOUR_MS = 60 * 60_000;

function createShareBrake(now: () => number) {
  const byLoad = new Map<string, Set<string>>();
  return async (
    sender: { tab?: { id?: number }; documentId?: string },
    pk: string,
    loadId: string | undefined,
  ): Promise<string | undefined> => {
    const tab = sender.tab?.id ?? -1;
    // Firefox gives no document id: there the page load is the one our content script named when
    // it started, in its isolated world where the page cannot reach; the hourly cap holds anyway.
    const load = `${tab}:${sender.documentId ?? loadId ?? ""}`;
    const recent = await postsSharedFromTab(tab, now() - HOUR_MS);
    const loaded = byLoad.get(load) ?? new Set<string>();
    if (loaded.has(pk) || recent.has(pk)) return undefined;
    if (loaded.size >= SHARES_PER_PAGE_LOAD) {
      return `alsoshare shares at most ${SHARES_PER_PAGE_LOAD} posts from one Instagram page; reload the page to share more.`;
    }
    if (recent.size >= SHARES_PER_TAB_PER_HOUR) {
      return `alsoshare shares at most ${SHARES_PER_TAB_PER_HOUR} posts an hour from one Instagram tab; try again later.`;
    }
    byLoad.set(load, loaded.add(pk));
    return undefined;
  };
}

/** Said to an Instagram tab that asks to share while the user has not allowed alsoshare to read. */
export const NO_CONSENT =
  "alsoshare may not read your posts on Instagram, so nothing is shared. Allow it in alsoshare’s options, under Privacy & data, then reload this page.";

/** Refuses what an Instagram tab asks while consent is not given (or was withdrawn). */
async function requireConsent(): Promise<void> {
  if (!(await loadConsent())) throw new MessageError("forbidden", NO_CONSENT);
}

/** What the composer content script may ask: its context, and shares of the post it saw published. */
export function createComposerHandlers(
  deps: HandlerDeps,
): HandlersFor<
  | "composer.context"
  | "share.request"
  | "share.declined"
  | "share.retry"
  | "share.status"
  | "composer.unrecognized"
  | "instagram.readPublish"
  | "instagram.readMedia"
> {
  const overBrake = createShareBrake(deps.now);
  return {
    async "composer.context"() {
      if (!(await loadConsent())) return { consent: false };
      const [accounts, settings] = await Promise.all([listAccounts(), loadSettings()]);
      const linked = new Set(accounts.map((account) => account.id));
      const remembered = settings.rememberLastChoice ? settings.lastTargets : [];
      const preferred = [remembered, settings.defaultTargets].find((ids) => ids.some((id) => linked.has(id)));
      return {
        consent: true,
        accounts: accounts.map(accountView),
        settings: {
          autoShare: settings.autoShare,
          caption: settings.caption,
          delayMinutes: settings.delayMinutes ?? 0,
        },
        proposedTargets: preferred ? preferred.filter((id) => linked.has(id)) : [...linked],
      };
    },

    async "share.request"({ post, targets, message, instagramSharedTo, when, loadId }, sender) {
      await requireConsent();
      const braked = await overBrake(sender, post.pk, loadId);
      if (braked) {
        await logEvent("share-refused", braked, deps.now());
        throw new MessageError("forbidden", braked);
      }
      const accounts = await Promise.all(targets.map(getAccount));
      const missing = targets.filter((_, index) => !accounts[index]);
      if (missing.length) throw new MessageError("bad-request", "A chosen account is no longer linked.");
      // The page says where Instagram cross-posted, and the page is untrusted: this can only take a
      // chosen Page out of the share, never add a target, so a forged claim makes us share less, never more.
      const postedByInstagram = (account: AccountRecord) =>
        instagramSharedTo?.type === "page" && account.kind === "page" && account.id === instagramSharedTo.id;
      const chosen = accounts as AccountRecord[];
      const now = deps.now();
      await queueShares(deps, {
        post,
        targets: chosen.filter((account) => !postedByInstagram(account)),
        message,
        when,
        now,
        tabId: sender.tab?.id,
        postedByInstagram: { targets: chosen.filter(postedByInstagram), postId: instagramSharedTo?.postId },
      });
      await updateSettings((settings) => (settings.rememberLastChoice ? { lastTargets: targets } : {})).then(
        (settings) => settings.rememberLastChoice && deps.onSettingsChanged(),
        (error: unknown) => {
          // The share goes ahead; an unreadable settings record is kept, reported, and not written over.
          if (!(error instanceof SettingsUnreadableError)) throw error;
        },
      );
      return { jobs: (await jobsOfPost(post.pk)).map(shareStatusView) };
    },

    // Page data is trusted only as the background reads it; nothing is read without consent.
    async "instagram.readPublish"({ summary }) {
      await requireConsent();
      return readPublish(summary);
    },

    async "instagram.readMedia"({ answer }) {
      await requireConsent();
      return readMediaInfo(answer);
    },

    async "share.declined"({ pk }) {
      await requireConsent();
      // The page names the post, and the page is untrusted: this can only make us share less.
      await updateNewPostsState((state) => withDeclined(state, pk));
      return null;
    },

    async "share.retry"({ pk }) {
      await requireConsent();
      const retried = await updateJobs(["failed"], (job) =>
        job.post.pk === pk ? transition(job, { type: "retry-asked" }, deps.now()) : undefined,
      );
      for (const job of retried) deps.onJobChanged(job);
      void deps.queue.kick();
      return (await jobsOfPost(pk)).map(shareStatusView);
    },

    async "share.status"({ pk }) {
      await requireConsent();
      return (await jobsOfPost(pk)).map(shareStatusView);
    },

    async "composer.unrecognized"({ reason }) {
      await requireConsent();
      await logEvent(
        "composer-unrecognized",
        `Composer not recognized on ${new Date(deps.now()).toISOString().slice(0, 10)}: ${reason}`,
      );
      return null;
    },
  };
}
