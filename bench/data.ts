import type { JobRecord } from "@/lib/db/schema";
import { linkPageByToken } from "../tests/support/flows";
import { saveConsent } from "../tests/support/harness";
import type { Standins } from "../tests/support/standins";
import type { BenchBrowser, BenchPage } from "./browsers";

/*
 * The data the benchmarks start from: a linked Page, a photo on the CDN stand-in, and shares written
 * straight into the extension's IndexedDB from one of its pages (bench/extension/blank.html, which
 * runs none of our code, so nothing else writes meanwhile).
 */

export const BENCH_PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGbenchpagetoken0123456789" };

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

export async function putJobs(page: BenchPage, jobs: JobRecord[]): Promise<void> {
  // The background creates the database when it starts; give it the time a loaded machine needs.
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      // A few thousand at a time: one evaluation of 10,000 jobs is megabytes of source text.
      for (let start = 0; start < jobs.length; start += 2000) {
        await page.call<number>(PUT_JOBS, jobs.slice(start, start + 2000));
      }
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw lastError;
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

/** Links the stand-in's Page through the options page, as a user would, and puts a photo on the CDN. */
export async function linkBenchPage(browser: BenchBrowser, standins: Standins): Promise<Photo> {
  standins.graph.addPage(BENCH_PAGE);
  const options = await browser.extensionPage("options.html");
  try {
    await linkPageByToken(options.driver, BENCH_PAGE.token, BENCH_PAGE.name);
  } finally {
    await options.close();
  }
  return { url: await uploadPhoto(standins, 120_000), pageId: BENCH_PAGE.id, pageName: BENCH_PAGE.name };
}

/** The user's consent to reading their publishes (the sharing benches need it). */
export async function giveConsent(browser: BenchBrowser): Promise<void> {
  const page = await browser.extensionPage("blank.html");
  try {
    await saveConsent(page.driver);
  } finally {
    await page.close();
  }
}
