import type { browser as extensionApi } from "wxt/browser";
import { countJobsByState, jobsOfPost } from "../db/jobs";
import type { JobRecord } from "../db/schema";
import { jobView, type ShareUpdate } from "../messages/views";

/**
 * Tells the world a job changed: the Instagram tab that asked (its in-page status line) and the
 * toolbar badge (failed + needs sign-in). Both are best effort: a closed tab is fine.
 */
export function createNotifier(browser: Pick<typeof extensionApi, "tabs" | "action">) {
  let badgePending = false;

  async function updateBadge() {
    badgePending = false;
    const count = await countJobsByState(["failed", "needs-signin"]);
    await browser.action.setBadgeText({ text: count ? String(count) : "" });
    await browser.action.setBadgeBackgroundColor({ color: "#c62828" });
  }

  return (job: JobRecord) => {
    if (job.tabId !== undefined) {
      const tabId = job.tabId;
      void jobsOfPost(job.post.pk)
        .then((jobs) => {
          const update: ShareUpdate = { type: "share.update", pk: job.post.pk, jobs: jobs.map(jobView) };
          return browser.tabs.sendMessage(tabId, update, { frameId: 0 });
        })
        .catch(() => undefined);
    }
    if (!badgePending) {
      badgePending = true;
      queueMicrotask(() => void updateBadge().catch(() => undefined));
    }
  };
}
