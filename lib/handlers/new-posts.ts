import { toFacebookMessage } from "../caption/message";
import { listAccounts } from "../db/accounts";
import { logEvent } from "../db/events";
import { jobsOfPost } from "../db/jobs";
import { type NewPostsState, readNewPostsState, updateNewPostsState } from "../db/new-posts";
import type { AccountRecord } from "../db/schema";
import {
  type InstagramMedia,
  kindOfMedia,
  listRecentMedia,
  publishedPostOf,
  UnshareableMediaError,
} from "../facebook/instagram-api";
import { permalinkOf } from "../instagram/permalink";
import { NO_NEW_POSTS, type Settings, watchesNewPosts } from "../settings/schema";
import { loadSettings } from "../settings/store";
import type { HandlerDeps, HandlersFor } from "./deps";
import { linkedInstagramAccounts, postedAtOf, readerOf, readFailure } from "./instagram";
import { queueShares } from "./queue-shares";

export const NEW_POSTS_ALARM = "alsoshare-new-posts";
/** How often Instagram is asked while the browser runs: its API has no "new post" event. */
const LOOK_EVERY_MINUTES = 10;

/** The part of `browser.alarms` the watch needs, so tests pass a fake. */
export interface Alarms {
  get(name: string): Promise<unknown>;
  create(name: string, info: { periodInMinutes: number }): Promise<void> | void;
  clear(name: string): Promise<unknown>;
}

/**
 * Keeps the watch's alarm in step with the settings. Turned on, it looks at once: that first look
 * records where to start, so nothing posted before is ever shared.
 */
export async function keepWatching(alarms: Alarms, watcher: NewPostsWatcher): Promise<void> {
  const on = watchesNewPosts(await loadSettings());
  const running = (await alarms.get(NEW_POSTS_ALARM)) !== undefined;
  if (on && !running) {
    await alarms.create(NEW_POSTS_ALARM, { periodInMinutes: LOOK_EVERY_MINUTES });
    await watcher.look();
  } else if (!on && running) {
    await alarms.clear(NEW_POSTS_ALARM);
  }
}

/** How many of an account's newest posts each look reads: far more than anyone posts between looks. */
const LOOK_COUNT = 25;

/** Whether the user asked for any kind of post made anywhere to be shared. */
/**
 * Posts made anywhere (the Instagram app included), found in Instagram's API while the browser
 * runs and shared once each, for the kinds the user turned on. An account seen for the first time
 * only records where to start: the backlog is never shared. A post that already has shares (the
 * composer's, a past post's) or that the user published with the switch off is left alone.
 */
export function createNewPostsWatcher(deps: HandlerDeps) {
  let looking: Promise<void> | undefined;

  async function look(): Promise<void> {
    const settings = await loadSettings();
    if (!watchesNewPosts(settings)) return;
    const accounts = await listAccounts();
    const state = await readNewPostsState();
    const seen: NewPostsState["accounts"] = {};
    const failures: string[] = [];
    for (const instagram of linkedInstagramAccounts(accounts)) {
      const reader = readerOf(instagram);
      if (!reader) continue;
      try {
        const media = await listRecentMedia(deps.graph, {
          igUserId: instagram.id,
          token: reader.token,
          count: LOOK_COUNT,
        });
        const cursor = state.accounts[instagram.id];
        if (cursor) {
          const fresh = media.filter((item) => isNewer(item, cursor)).reverse();
          for (const item of fresh) await share(item, settings, accounts, instagram.pages, state);
        }
        seen[instagram.id] = placeAfter(media, cursor) ?? cursor ?? { since: deps.now(), ids: [] };
      } catch (error) {
        failures.push(readFailure(error, instagram.username));
        const kept = state.accounts[instagram.id];
        if (kept) seen[instagram.id] = kept;
      }
    }
    await updateNewPostsState((stored) => ({
      ...stored,
      accounts: { ...stored.accounts, ...seen },
      lastCheckedAt: deps.now(),
      lastError: failures.length ? failures.join(" ") : undefined,
    }));
  }

  async function share(
    media: InstagramMedia,
    settings: Settings,
    accounts: AccountRecord[],
    linkedPages: AccountRecord[],
    state: NewPostsState,
  ): Promise<void> {
    if (!(settings.newPosts ?? NO_NEW_POSTS)[kindOfMedia(media) as keyof typeof NO_NEW_POSTS]) return;
    let post: ReturnType<typeof publishedPostOf>;
    try {
      post = publishedPostOf(media);
    } catch (error) {
      if (!(error instanceof UnshareableMediaError)) throw error;
      await logEvent("share-failed", `A new Instagram post was not shared: ${error.message}`, deps.now());
      return;
    }
    if (state.declined.includes(post.pk) || (await jobsOfPost(post.pk)).length > 0) return;
    const targets = targetsFor(settings, accounts, linkedPages);
    if (targets.length === 0) return;
    const { text } = toFacebookMessage(post.caption, settings.caption, permalinkOf(post));
    await queueShares(deps, { post, targets, message: text, now: deps.now() });
  }

  return {
    /** One look at a time; a look asked for while one runs joins it. */
    look(): Promise<void> {
      looking ??= look().finally(() => {
        looking = undefined;
      });
      return looking;
    },
  };
}

/** Past the cursor: a later post, or one at the same second that was not seen then. */
function isNewer(media: InstagramMedia, cursor: { since: number; ids: string[] }): boolean {
  const at = postedAtOf(media);
  return at !== undefined && (at > cursor.since || (at === cursor.since && !cursor.ids.includes(media.id)));
}

/** The cursor after these posts: the newest one's time and every id at that time. */
function placeAfter(media: InstagramMedia[], cursor: { since: number; ids: string[] } | undefined) {
  const times = media.flatMap((item) => postedAtOf(item) ?? []);
  if (times.length === 0) return undefined;
  const since = Math.max(...times, cursor?.since ?? 0);
  const ids = media.filter((item) => postedAtOf(item) === since).map((item) => item.id);
  return { since, ids: since === cursor?.since ? [...new Set([...cursor.ids, ...ids])] : ids };
}

/**
 * The Pages a post made anywhere goes to: the default targets the user chose, else the Pages its
 * Instagram account is linked to. Never the profile: its share dialog would open a tab by itself.
 */
function targetsFor(settings: Settings, accounts: AccountRecord[], linkedPages: AccountRecord[]) {
  const chosen = accounts.filter(
    (account) => account.kind === "page" && settings.defaultTargets.includes(account.id),
  );
  return chosen.length > 0 ? chosen : linkedPages;
}

export type NewPostsWatcher = ReturnType<typeof createNewPostsWatcher>;

/** The options' "Look now": a look at once rather than at the next alarm. */
export function createNewPostsHandlers(watcher: NewPostsWatcher): HandlersFor<"newPosts.look"> {
  return {
    async "newPosts.look"() {
      await watcher.look();
      const { lastCheckedAt, lastError } = await readNewPostsState();
      return { lastCheckedAt, lastError };
    },
  };
}
