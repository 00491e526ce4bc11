import { listAccounts } from "../db/accounts";
import { recentJobs } from "../db/jobs";
import { type NewPostsState, newPostsStateOf, readNewPostsState } from "../db/new-posts";
import type { Database } from "../db/open";
import { type AccountRecord, isReadableJob, type JobRecord } from "../db/schema";
import { accountView, jobView, type PopupState } from "../messages/views";
import { readSettings, type Settings, watchesNewPosts } from "../settings/schema";
import type { StoredPopup } from "./stored-popup";

/**
 * What the popup draws first, read from the store: by the background for `popup.state`, and by the
 * popup itself (`popupStateOf`) so that it paints while a stopped background starts.
 */
export async function readPopupState(limit: number, settings: Settings, db?: Database): Promise<PopupState> {
  const [accounts, jobs, newPosts] = await Promise.all([
    listAccounts(db),
    recentJobs(limit, undefined, db),
    readNewPostsState(db),
  ]);
  return popupState(settings, accounts, jobs, newPosts);
}

/**
 * The popup's state from its own read of the store (lib/reads/stored-popup.ts), checked as the background
 * checks it. Undefined whenever the background must answer instead: no database yet, one at
 * another version, or settings that no longer validate (the background reports those).
 */
export function popupStateOf(stored: StoredPopup | undefined): PopupState | undefined {
  const settings = stored && readSettings(stored.settings);
  return (
    settings &&
    popupState(settings, stored.accounts, stored.jobs.filter(isReadableJob), newPostsStateOf(stored.newPosts))
  );
}

function popupState(
  settings: Settings,
  accounts: AccountRecord[],
  jobs: JobRecord[],
  newPosts: NewPostsState,
): PopupState {
  return {
    accounts: accounts.map(accountView),
    settings,
    jobs: jobs.map(jobView),
    ...(watchesNewPosts(settings) && {
      newPosts: { lastCheckedAt: newPosts.lastCheckedAt, lastError: newPosts.lastError },
    }),
  };
}
