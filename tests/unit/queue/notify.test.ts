import { describe, expect, it, vi } from "vitest";
import { addJobsOnce } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { createNotifier } from "@/lib/queue/notify";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";

type Notifier = Parameters<typeof createNotifier>[0];

function fakeBrowser(options: { notificationsGranted: boolean }) {
  const api = {
    tabs: { sendMessage: vi.fn(async () => undefined) },
    action: {
      setBadgeText: vi.fn(async () => undefined),
      setBadgeBackgroundColor: vi.fn(async () => undefined),
    },
    permissions: { contains: vi.fn(async () => options.notificationsGranted) },
    // Without the optional permission, the browser does not expose the API at all.
    notifications: options.notificationsGranted ? { create: vi.fn(async () => "id") } : undefined,
  };
  return api;
}

const settingsWith = (onSuccess: boolean, onFailure: boolean) => async () => ({
  notifications: { onSuccess, onFailure },
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

async function sharedJob(tabId?: number): Promise<JobRecord> {
  const page = await linkPage();
  const job: JobRecord = {
    ...jobFor(photoPost(), page, 1),
    state: "shared",
    tabId,
    result: { postId: "1001_5", url: "https://www.facebook.com/1001_5" },
  };
  await addJobsOnce([job]);
  return job;
}

describe("telling the user a share changed", () => {
  it("notifies a finished share when the user turned it on and granted the permission", async () => {
    const browser = fakeBrowser({ notificationsGranted: true });
    createNotifier(browser as unknown as Notifier, settingsWith(true, true)).jobChanged(await sharedJob());
    await flush();
    expect(browser.notifications?.create).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ title: "Shared to Facebook: Acme Bakery" }),
    );
  });

  it("stays silent when the user left success notifications off", async () => {
    const browser = fakeBrowser({ notificationsGranted: true });
    createNotifier(browser as unknown as Notifier, settingsWith(false, true)).jobChanged(await sharedJob());
    await flush();
    expect(browser.notifications?.create).not.toHaveBeenCalled();
  });

  it("reads no settings and shows nothing without the notifications permission", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    const loadSettings = vi.fn(async () => DEFAULT_SETTINGS);
    createNotifier(browser as unknown as Notifier, loadSettings).jobChanged(await sharedJob());
    await flush();
    expect(loadSettings).not.toHaveBeenCalled();
  });

  it("tells the Instagram tab that asked, with the post's shares and no token", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    createNotifier(browser as unknown as Notifier, settingsWith(false, false)).jobChanged(
      await sharedJob(42),
    );
    await flush();
    expect(browser.tabs.sendMessage).toHaveBeenCalledWith(
      42,
      expect.objectContaining({ type: "share.update", pk: photoPost().pk }),
      { frameId: 0 },
    );
    expect(JSON.stringify(browser.tabs.sendMessage.mock.calls)).not.toContain(PAGE_TOKEN);
  });

  it("clears the badge after all data is deleted", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    createNotifier(browser as unknown as Notifier, settingsWith(false, false)).recountBadge();
    await flush();
    expect(browser.action.setBadgeText).toHaveBeenLastCalledWith({ text: "" });
  });

  it("counts failed and needs-sign-in shares on the toolbar badge", async () => {
    const page = await linkPage();
    const failed: JobRecord = { ...jobFor(photoPost("1"), page), state: "failed" };
    await addJobsOnce([failed, { ...jobFor(photoPost("2"), page), state: "needs-signin" }]);
    const browser = fakeBrowser({ notificationsGranted: false });
    createNotifier(browser as unknown as Notifier, settingsWith(false, false)).jobChanged(failed);
    await flush();
    expect(browser.action.setBadgeText).toHaveBeenLastCalledWith({ text: "2" });
  });
});
