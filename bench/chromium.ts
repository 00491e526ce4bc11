import type { BrowserContext, Page, Worker } from "playwright-core";
import type { JobRecord } from "@/lib/db/schema";
import { type ChromiumHarness, launchChromium, waitFor } from "../tests/support/browsers";
import type { Standins } from "../tests/support/standins";

/*
 * What the benchmarks do in Chromium beyond what the test harness offers: page-side code as source
 * text (tsx wraps TypeScript functions in helpers the page lacks), the extension's database written
 * directly, and CDP on the service-worker target.
 */

export async function launch(extensionDir: string, standins: Standins): Promise<ChromiumHarness> {
  return launchChromium({ extensionDir, standins });
}

/** Calls a page-side function given as source text with JSON arguments. */
export function call<T>(target: Page | Worker, source: string, ...args: unknown[]): Promise<T> {
  const expression = `(${source})(...${JSON.stringify(args)})`;
  // Each overload takes an expression string; the union of the two does not.
  return (
    target instanceof Object && "goto" in target
      ? (target as Page).evaluate(expression)
      : (target as Worker).evaluate(expression)
  ) as Promise<T>;
}

/**
 * A page of our extension's origin that runs none of our code (the manifest, shown as text):
 * it can reach the extension's IndexedDB without the options page sending messages meanwhile.
 */
export async function extensionOriginPage(harness: ChromiumHarness): Promise<Page> {
  const page = await harness.page();
  await page.goto(`chrome-extension://${harness.extensionId}/manifest.json`);
  return page;
}

/** Page side: writes records into the extension's `jobs` store, in transactions of 1,000. */
const PUT_JOBS = `async (jobs) => {
  const db = await new Promise((resolve, reject) => {
    // No version: the extension owns the schema; if it has not created the database yet, stop.
    const request = indexedDB.open("alsoshare");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error("the extension has not created its database yet"));
  });
  try {
    for (let start = 0; start < jobs.length; start += 1000) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction("jobs", "readwrite");
        for (const job of jobs.slice(start, start + 1000)) tx.objectStore("jobs").put(job);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    }
  } finally {
    db.close();
  }
  return jobs.length;
}`;

export async function putJobs(page: Page, jobs: JobRecord[]): Promise<void> {
  // The worker creates the database when it starts; give it the time a loaded machine needs.
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await call<number>(page, PUT_JOBS, jobs);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw lastError;
}

/** Sends one request of our protocol from an extension page, as the popup or options page would. */
export function sendFromExtensionPage<T>(page: Page, type: string, payload: unknown): Promise<T> {
  return call<T>(
    page,
    `async (type, payload) => {
      const reply = await chrome.runtime.sendMessage({ type, payload });
      if (!reply || !reply.ok) throw new Error("the background refused " + type + ": " + JSON.stringify(reply));
      return reply.data;
    }`,
    type,
    payload,
  );
}

export type Photo = { url: string; pageId: string; pageName: string };

/** Photo-share jobs shaped exactly as the composer's `share.request` creates them. */
export function photoJobs(
  count: number,
  options: Photo & { batch: string; state: JobRecord["state"]; createdAt: number },
): JobRecord[] {
  return Array.from({ length: count }, (_, index): JobRecord => {
    const pk = `3${options.batch}${String(index).padStart(8, "0")}`;
    const code = `B${options.batch}${index.toString(36).padStart(6, "0")}`;
    const createdAt = options.createdAt + index;
    const done = options.state === "shared";
    return {
      id: `${pk}:${options.pageId}`,
      post: {
        pk,
        code,
        kind: "photo",
        caption: `Fresh sourdough, batch ${options.batch} loaf ${index} #bakery`,
        media: [{ type: "image", url: options.url, width: 1080, height: 1080 }],
      },
      permalink: `https://www.instagram.com/p/${code}/`,
      message: `Fresh sourdough, batch ${options.batch} loaf ${index} #bakery`,
      targetId: options.pageId,
      targetName: options.pageName,
      state: options.state,
      attempts: done ? 1 : 0,
      nextAttemptAt: createdAt,
      createdAt,
      updatedAt: createdAt,
      ...(done && {
        result: {
          postId: `${options.pageId}_12209400000${index}`,
          url: `https://www.facebook.com/${options.pageId}_12209400000${index}`,
        },
      }),
      ...(options.state === "failed" && {
        lastError: { kind: "transient", message: "Facebook kept failing. Try again later.", at: createdAt },
      }),
    };
  });
}

/** Puts a photo on the Instagram stand-in's CDN (as Instagram's upload would) and answers its URL. */
export async function uploadPhoto(standins: Standins, bytes: number): Promise<string> {
  const uploadId = String(Date.now());
  const response = await standins.fetchAs(
    `https://www.instagram.com/rupload_igphoto/fb_uploader_${uploadId}`,
    {
      method: "POST",
      headers: { "content-type": "image/jpeg" },
      body: new Uint8Array(bytes).fill(0xab),
    },
  );
  if (!response.ok) throw new Error(`the Instagram stand-in refused the upload (${response.status})`);
  const url = `https://scontent.cdninstagram.com/v/t51.2885-15/${uploadId}_n.jpg`;
  if (!standins.instagram.lookupMedia(url)) throw new Error("the uploaded photo is not on the CDN stand-in");
  return url;
}

/**
 * CDP on the worker target. Playwright gives no CDP session for workers, so the browser session
 * attaches to it and relays (Target.sendMessageToTarget).
 */
export async function workerCdp(context: BrowserContext, extensionId: string) {
  const browser = context.browser();
  if (!browser) throw new Error("no browser behind this context");
  const session = await browser.newBrowserCDPSession();
  let sessionId = "";
  await waitFor(async () => {
    const { targetInfos } = await session.send("Target.getTargets");
    const target = targetInfos.find(
      (info) => info.type === "service_worker" && info.url.startsWith(`chrome-extension://${extensionId}/`),
    );
    if (!target) return false;
    ({ sessionId } = await session.send("Target.attachToTarget", {
      targetId: target.targetId,
      flatten: false,
    }));
    return true;
  }, "the service worker target did not show up");

  let nextId = 1;
  const pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  session.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result as T);
        });
        session
          .send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(reject);
      });
    },
    close: () => session.detach(),
  };
}
