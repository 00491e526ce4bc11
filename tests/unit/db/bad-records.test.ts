import { afterEach, describe, expect, it, vi } from "vitest";
import { recentEvents } from "@/lib/db/events";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { openDatabase } from "@/lib/db/open";
import { UNANSWERED_WAIT_MS } from "@/lib/queue/backoff";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { loadSettings, SETTINGS_UNREADABLE, updateSettings } from "@/lib/settings/store";
import { giveConsent, jobFor, linkPage, photoPost, scriptedGraph } from "../../support/fixtures";
import { contentSender, pageSender } from "../../support/senders";
import { quietBackground, quietQueue } from "../security/background";

const popup = pageSender("popup.html");
const instagram = contentSender();

const background = quietBackground;

/** Writes a record as another version or a bug might have left it, bypassing every check. */
async function putRaw(store: "jobs" | "settings", value: unknown, key?: string) {
  const db = await openDatabase();
  await (db as unknown as { put(store: string, value: unknown, key?: string): Promise<unknown> }).put(
    store,
    value,
    key,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a saved settings record that no longer validates", () => {
  it("is kept untouched and reported, while the defaults apply", async () => {
    const broken = { version: 1, autoShare: "yes please", defaultTargets: [42] };
    await putRaw("settings", broken, "current");

    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);

    expect(await (await openDatabase()).get("settings", "current")).toEqual(broken);
    expect((await recentEvents(10)).map((event) => event.message)).toContain(
      "Saved settings could not be read; defaults are in use until you save.",
    );
  });

  it("is reported once, however often it is read", async () => {
    await putRaw("settings", { version: 1, autoShare: null }, "current");

    for (let read = 0; read < 5; read += 1) expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);

    const reports = (await recentEvents(10)).filter((event) => event.message.startsWith("Saved settings"));
    expect(reports).toHaveLength(1);
  });

  it("refuses a settings change from our pages in words, and keeps the record", async () => {
    const broken = { version: 1, autoShare: "yes please" };
    await putRaw("settings", broken, "current");
    const { route } = background();

    const reply = await route(
      { type: "settings.update", payload: { patch: { autoShare: { photo: true } } } },
      pageSender("options.html"),
    );

    expect(reply).toEqual({ ok: false, error: { code: "failed", message: SETTINGS_UNREADABLE } });
    expect(await (await openDatabase()).get("settings", "current")).toEqual(broken);
  });

  it("is never written over by a share or an unlink: both go ahead and the record stays", async () => {
    const page = await linkPage();
    // The user's consent is still readable in it, and still counts.
    const broken = {
      version: 1,
      autoShare: "yes please",
      lastTargets: "all",
      consent: { readInstagram: true },
    };
    await putRaw("settings", broken, "current");
    const { route } = background();

    const shared = await route(
      { type: "share.request", payload: { post: photoPost(), targets: [page.id], message: "hi" } },
      instagram,
    );
    const unlinked = await route(
      { type: "accounts.unlink", payload: { id: page.id, queuedJobs: "keep" } },
      pageSender("options.html"),
    );

    expect(shared).toMatchObject({ ok: true });
    expect(unlinked).toMatchObject({ ok: true });
    expect(await (await openDatabase()).get("settings", "current")).toEqual(broken);
  });
});

describe("a damaged share record", () => {
  const damaged = { id: "999:1001", state: "queued", nextAttemptAt: 0, createdAt: 50, updatedAt: 50 };

  it("does not stop the popup from listing the other shares", async () => {
    const report = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const page = await linkPage();
    await addJobsOnce([{ ...jobFor(photoPost(), page, 10), state: "shared" }]);
    await putRaw("jobs", damaged);
    const { route } = background();

    const reply = await route({ type: "jobs.list", payload: { limit: 20 } }, popup);

    expect(reply.ok).toBe(true);
    const ids = reply.ok ? (reply.data as { id: string }[]).map((job) => job.id) : [];
    expect(ids).toContain(`${photoPost().pk}:1001`);
    expect(report).toHaveBeenCalledWith(expect.stringContaining("damaged share record"), damaged);
    expect(await getJob(damaged.id)).toEqual(damaged);
  });

  it("does not stop the queue from sending the other shares, and is kept", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, 10)]);
    await putRaw("jobs", damaged);
    const { queue, graph } = background();

    await queue.kick();

    expect(graph.posts()).toHaveLength(1);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared" });
    expect(await getJob(damaged.id)).toMatchObject({ id: damaged.id });
  });
});

describe("a full disk (QuotaExceededError)", () => {
  const full = () => {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  };

  it("answers a new share with a clear sentence, and keeps the shares already saved", async () => {
    await giveConsent();
    const page = await linkPage();
    const saved = jobFor(photoPost("111"), page, 10);
    await addJobsOnce([{ ...saved, state: "shared" }]);
    const { route, graph } = background();
    vi.spyOn(IDBObjectStore.prototype, "add").mockImplementation(full);
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(full);

    const reply = await route(
      { type: "share.request", payload: { post: photoPost("222"), targets: ["1001"], message: "hi" } },
      instagram,
    );

    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/storage is full/) } });
    vi.restoreAllMocks();
    expect(await getJob(saved.id)).toEqual({ ...saved, state: "shared" });
    expect(await getJob("222:1001")).toBeUndefined();
    expect(graph.sent()).toHaveLength(0);
  });

  it("refuses new settings with the same sentence and keeps the old ones", async () => {
    const mine = { ...DEFAULT_SETTINGS, rememberLastChoice: false };
    await updateSettings(mine);
    const { route } = background();
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(full);

    const reply = await route(
      { type: "settings.update", payload: { patch: { rememberLastChoice: true } } },
      pageSender("options.html"),
    );

    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/storage is full/) } });
    vi.restoreAllMocks();
    expect(await loadSettings()).toEqual(mine);
  });

  it("keeps a share whose result could not be written, and finds its post instead of posting twice", async () => {
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, 10)]);
    const { queue, graph } = background();
    // The claim and the uploaded photo's id are written; then the disk fills while the post is in flight.
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (this: IDBObjectStore, ...args) {
      puts += 1;
      if (puts > 2) full();
      return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
    });

    await queue.kick().catch(() => undefined);
    vi.restoreAllMocks();
    expect(graph.posts()).toHaveLength(1);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ id: `${post.pk}:1001` });

    // Room again, a new worker: the share is looked for on the Page, not posted again.
    // Found by the photo its attempt uploaded before the post, whatever the post's text.
    const found = scriptedGraph([
      {
        data: [
          {
            id: "1001_1",
            message: post.caption,
            created_time: "1970-01-01T00:00:05+0000",
            attachments: { data: [{ target: { id: "81" } }] },
          },
        ],
      },
    ]);
    let clock = 1_000;
    const { queue: next } = quietQueue(found.client, { owner: "worker-2", now: () => clock });
    await next.kick(); // takes the share back; Facebook may still be finishing the post, so it waits
    clock += UNANSWERED_WAIT_MS;
    await next.kick();
    expect(found.posts()).toHaveLength(0);
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "shared", result: { postId: "1001_1" } });
  });
});
