import type { browser as extensionApi } from "wxt/browser";
import { listAccounts } from "../db/accounts";
import { countJobsByState } from "../db/jobs";
import type { JobRecord, JobState } from "../db/schema";
import { FACEBOOK_PROFILE_ID, serviceName } from "../destinations/services";
import type { PagePush } from "../messages/pushes";
import type { TabPush } from "../messages/tab-push";
import { accountView, jobView } from "../messages/views";
import type { Settings } from "../settings/schema";

type Browser = typeof extensionApi;

/** Notifications are optional: the options page asks for this permission when the user turns them on. */
export const NOTIFICATIONS_PERMISSION = { permissions: ["notifications"] } as const;

/**
 * Asks for the permission to show notifications. Browsers allow this only from a user action
 * (a click on the options page), and answer whether it was granted.
 */
export function requestNotificationPermission(permissions: Browser["permissions"]): Promise<boolean> {
  return permissions.request({ permissions: [...NOTIFICATIONS_PERMISSION.permissions] });
}

/** Chrome requires an icon on every notification; a plain Facebook-blue square, inline. */
const NOTIFICATION_ICON =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAKklEQVR42mOQKP9EU8QwasGoBaMWjFowasGoBaMWjFowasGoBaMWDBULAAcZBFtCNWM6AAAAAElFTkSuQmCC";

/** Queue moves that cannot change how many jobs are failed or need sign-in: no badge recount. */
const BADGE_NEUTRAL: ReadonlySet<JobState> = new Set(["sending", "shared"]);

/**
 * Tells the others what changed. A job: the Instagram tab that asked (its in-page status line), our
 * open pages, the toolbar badge (failed + needs sign-in), and, if the user turned them on and
 * granted the permission, a notification when a share ends. Accounts, settings, or all data: our
 * open pages (and the badge). All best effort: a closed tab or page is fine.
 */
export function createNotifier(
  browser: Pick<Browser, "tabs" | "action" | "permissions"> & { notifications?: Browser["notifications"] },
  loadSettings: () => Promise<Settings>,
  pages: { broadcast: (push: PagePush) => void },
) {
  let badgePending = false;

  async function updateBadge() {
    badgePending = false;
    const count = await countJobsByState(["failed", "needs-signin"]);
    await browser.action.setBadgeText({ text: count ? String(count) : "" });
    await browser.action.setBadgeBackgroundColor({ color: "#c62828" });
  }

  async function notify(job: JobRecord) {
    // Cheapest check first: without the optional permission the API is absent, and the queue's
    // hot path then reads no settings at all.
    if (!browser.notifications) return;
    const ended = job.state === "shared" ? "onSuccess" : "onFailure";
    const { notifications } = await loadSettings();
    if (!notifications[ended]) return;
    if (!(await browser.permissions.contains({ permissions: [...NOTIFICATIONS_PERMISSION.permissions] })))
      return;
    await browser.notifications.create(job.id, {
      type: "basic",
      iconUrl: NOTIFICATION_ICON,
      title: notificationTitle(job),
      message: job.state === "shared" ? job.message.slice(0, 200) : (job.lastError?.message ?? ""),
    });
  }

  const jobChanged = (job: JobRecord) => {
    pages.broadcast({ type: "job.changed", payload: { job: jobView(job) } });
    if (job.tabId !== undefined) {
      const update: TabPush = { type: "share.update", payload: { pk: job.post.pk } };
      void browser.tabs.sendMessage(job.tabId, update, { frameId: 0 }).catch(() => undefined);
    }
    if (job.state === "shared" || job.state === "failed" || job.state === "needs-signin") {
      void notify(job).catch(() => undefined);
    }
    if (!BADGE_NEUTRAL.has(job.state)) recountBadge();
  };

  function recountBadge() {
    if (badgePending) return;
    badgePending = true;
    queueMicrotask(() => void updateBadge().catch(() => undefined));
  }

  const accountsChanged = () =>
    void listAccounts()
      .then((accounts) =>
        pages.broadcast({ type: "accounts.changed", payload: { accounts: accounts.map(accountView) } }),
      )
      .catch(() => undefined);

  const settingsChanged = () =>
    void loadSettings()
      .then((settings) => pages.broadcast({ type: "settings.changed", payload: { settings } }))
      .catch(() => undefined);

  const dataReplaced = () => {
    pages.broadcast({ type: "data.replaced", payload: {} });
    recountBadge();
  };

  return { jobChanged, accountsChanged, settingsChanged, dataReplaced };
}

function notificationTitle(job: JobRecord): string {
  switch (job.state) {
    case "shared":
      return job.targetId === FACEBOOK_PROFILE_ID
        ? `Opened Facebook's share dialog for ${job.targetName}`
        : `Shared to ${serviceName(job.targetId)}: ${job.targetName}`;
    case "needs-signin":
      return `${job.targetName} needs you to sign in again`;
    default:
      return `Could not share to ${job.targetName}`;
  }
}
