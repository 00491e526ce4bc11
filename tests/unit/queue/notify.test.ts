import { describe, expect, it, vi } from "vitest";
import { addJobsOnce } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { createDataHandlers } from "@/lib/handlers/data";
import { type PagePush, pagePushes, parsePush } from "@/lib/messages/pushes";
import { receiveTabPush } from "@/lib/messages/tab-push";
import { createNotifier } from "@/lib/queue/notify";
import { DEFAULT_SETTINGS, type Settings } from "@/lib/settings/schema";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { OUR_ID, pageSender } from "../../support/senders";

type Notifier = Parameters<typeof createNotifier>[0];

function fakeBrowser(options: { notificationsGranted: boolean }) {
  const api = {
    tabs: { sendMessage: vi.fn(async (_tabId: number, _message: unknown, _options: object) => undefined) },
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

const settingsWith = (onSuccess: boolean, onFailure: boolean) => async (): Promise<Settings> => ({
  ...DEFAULT_SETTINGS,
  notifications: { onSuccess, onFailure },
});

/** Our open pages, as the watch hub would reach them: every push they were sent. */
function fakePages() {
  const pushes: PagePush[] = [];
  return { pushes, broadcast: (push: PagePush) => void pushes.push(push) };
}

function notifierFor(browser: ReturnType<typeof fakeBrowser>, loadSettings = settingsWith(false, false)) {
  const pages = fakePages();
  const notifier = createNotifier(browser as unknown as Notifier, loadSettings, pages);
  return { notifier, pages };
}

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
    notifierFor(browser, settingsWith(true, true)).notifier.jobChanged(await sharedJob());
    await vi.waitFor(() =>
      expect(browser.notifications?.create).toHaveBeenCalledWith(
        expect.any(String),
        expect.objectContaining({ title: "Shared to Facebook: Acme Bakery" }),
      ),
    );
  });

  it("stays silent when the user left success notifications off", async () => {
    const browser = fakeBrowser({ notificationsGranted: true });
    notifierFor(browser, settingsWith(false, true)).notifier.jobChanged(await sharedJob());
    await flush();
    expect(browser.notifications?.create).not.toHaveBeenCalled();
  });

  it("reads no settings and shows nothing without the notifications permission", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    const loadSettings = vi.fn(async () => DEFAULT_SETTINGS);
    notifierFor(browser, loadSettings).notifier.jobChanged(await sharedJob());
    await flush();
    expect(loadSettings).not.toHaveBeenCalled();
  });

  it("tells the Instagram tab that asked which post changed, in a push its receiver accepts, with no token", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    notifierFor(browser).notifier.jobChanged(await sharedJob(42));
    await vi.waitFor(() =>
      expect(browser.tabs.sendMessage).toHaveBeenCalledWith(42, expect.anything(), { frameId: 0 }),
    );
    const sent = browser.tabs.sendMessage.mock.calls[0]?.[1];
    expect(receiveTabPush(sent, { id: OUR_ID }, OUR_ID)).toEqual({
      type: "share.update",
      payload: { pk: photoPost().pk },
    });
    expect(JSON.stringify(browser.tabs.sendMessage.mock.calls)).not.toContain(PAGE_TOKEN);
  });

  it("tells our open pages the job's new state, with no token", async () => {
    const browser = fakeBrowser({ notificationsGranted: false });
    const { notifier, pages } = notifierFor(browser);
    notifier.jobChanged(await sharedJob());
    expect(pages.pushes.map((push) => parsePush(pagePushes, push))).toEqual([
      {
        type: "job.changed",
        payload: { job: expect.objectContaining({ id: `${photoPost().pk}:1001`, state: "shared" }) },
      },
    ]);
    expect(JSON.stringify(pages.pushes)).not.toContain(PAGE_TOKEN);
  });

  it("tells our open pages the accounts and the settings as stored, when they change", async () => {
    await linkPage();
    const mine = { ...DEFAULT_SETTINGS, rememberLastChoice: false };
    const { notifier, pages } = notifierFor(fakeBrowser({ notificationsGranted: false }), async () => mine);
    notifier.accountsChanged();
    await vi.waitFor(() => expect(pages.pushes).toHaveLength(1));
    notifier.settingsChanged();
    await vi.waitFor(() => expect(pages.pushes).toHaveLength(2));
    expect(pages.pushes.map((push) => parsePush(pagePushes, push))).toEqual([
      { type: "accounts.changed", payload: { accounts: [expect.objectContaining({ name: "Acme Bakery" })] } },
      { type: "settings.changed", payload: { settings: mine } },
    ]);
    expect(JSON.stringify(pages.pushes)).not.toContain(PAGE_TOKEN);
  });

  it("clears the badge after all data is deleted, and has our pages read everything again", async () => {
    const page = await linkPage();
    await addJobsOnce([{ ...jobFor(photoPost("1"), page), state: "failed" }]);
    const browser = fakeBrowser({ notificationsGranted: false });
    const { notifier, pages } = notifierFor(browser);
    notifier.jobChanged({ ...jobFor(photoPost("1"), page), state: "failed" });
    await vi.waitFor(() => expect(browser.action.setBadgeText).toHaveBeenLastCalledWith({ text: "1" }));

    const handlers = createDataHandlers({ now: () => 1_000, onDataReplaced: notifier.dataReplaced });
    await handlers["data.clear"]({ confirm: "delete everything" }, pageSender("options.html"));
    await vi.waitFor(() => expect(browser.action.setBadgeText).toHaveBeenLastCalledWith({ text: "" }));
    expect(pages.pushes.at(-1)).toEqual({ type: "data.replaced", payload: {} });
  });

  it("counts failed and needs-sign-in shares on the toolbar badge", async () => {
    const page = await linkPage();
    const failed: JobRecord = { ...jobFor(photoPost("1"), page), state: "failed" };
    await addJobsOnce([failed, { ...jobFor(photoPost("2"), page), state: "needs-signin" }]);
    const browser = fakeBrowser({ notificationsGranted: false });
    notifierFor(browser).notifier.jobChanged(failed);
    await vi.waitFor(() => expect(browser.action.setBadgeText).toHaveBeenLastCalledWith({ text: "2" }));
  });
});
