import { listAccounts } from "../db/accounts";
import { recentJobs } from "../db/jobs";
import { readNewPostsState } from "../db/new-posts";
import { type Database, openCurrentDatabase } from "../db/open";
import { readSettingsRecord } from "../db/settings";
import { accountView, jobView, type PopupState } from "../messages/views";
import { readSettings, type Settings, watchesNewPosts } from "../settings/schema";

/**
 * What the popup draws first, read from the store: by the background for `popup.state`, and by the
 * popup itself (`peekPopupState`) so that it paints while a stopped background starts.
 */
export async function readPopupState(limit: number, settings: Settings, db?: Database): Promise<PopupState> {
  const [accounts, jobs, newPosts] = await Promise.all([
    listAccounts(db),
    recentJobs(limit, undefined, db),
    readNewPostsState(db),
  ]);
  return {
    accounts: accounts.map(accountView),
    settings,
    jobs: jobs.map(jobView),
    ...(watchesNewPosts(settings) && {
      newPosts: { lastCheckedAt: newPosts.lastCheckedAt, lastError: newPosts.lastError },
    }),
  };
}

/**
 * The popup's state read straight from the store, without waking the background (an extension
 * page may read it). Undefined whenever the background must answer instead: no database yet, one
 * at another version, or settings that no longer validate (the background reports those).
 */
export async function peekPopupState(limit: number): Promise<PopupState | undefined> {
  const db = await openCurrentDatabase();
  if (!db) return undefined;
  try {
    const settings = readSettings(await readSettingsRecord(db));
    return settings && (await readPopupState(limit, settings, db));
  } finally {
    db.close();
  }
}
