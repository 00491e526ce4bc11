import { onTestFinished } from "vitest";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import { accountIdFor } from "@/lib/destinations/services";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { TUMBLR_API } from "@/lib/tumblr/client";
import { createTumblrDestination } from "@/lib/tumblr/destination";
import type { TumblrApp } from "@/lib/tumblr/oauth";
import { type Step, stepThrough } from "../../support/destination-step";
import { fakeAttempt, mediaBytes, queueSide } from "../../support/destination-world";
import {
  createTumblrStandin,
  STANDIN_TUMBLR_APP,
  serveTumblrStandin,
  type TumblrStandin,
} from "../../support/tumblr-standin";

export type { Step } from "../../support/destination-step";
export { image, post, video } from "../../support/destination-world";

export const USER = "acmebaker";
export const BLOG = "acme-bakery";

/**
 * The Tumblr stand-in served on a local port, a linked blog, the destination over the stand-in
 * with Instagram's files as a map, and the queue's side of each attempt (tests/support). The
 * clock moves only when told.
 */
export async function tumblrWorld() {
  const clock = { now: Date.UTC(2026, 8, 1, 9, 0) };
  const tumblr: TumblrStandin = createTumblrStandin({ now: () => clock.now });
  const served = await serveTumblrStandin(tumblr);
  onTestFinished(() => served.close());
  const user = tumblr.addUser({
    name: USER,
    blogs: [
      { name: "acme-sideblog", title: "Acme's crumbs" },
      { name: BLOG, title: "Acme Bakery", primary: true },
    ],
  });
  const blog = user.blogs.find((b) => b.name === BLOG);
  if (!blog) throw new Error("the stand-in lost the blog");
  const signIn = tumblr.signIn(USER);
  const account: AccountRecord = {
    id: accountIdFor("tumblr", blog.uuid),
    kind: "tumblr",
    name: "Acme Bakery",
    token: signIn.accessToken,
    tokenExpiresAt: clock.now + tumblr.tokenSeconds * 1000,
    status: "ok",
    linkedAt: clock.now,
    home: { origin: TUMBLR_API, userId: blog.uuid, handle: BLOG, refreshToken: signIn.refreshToken },
  };
  const side = queueSide(clock, account);
  const files = new Map<string, Blob>();
  const downloads: string[] = [];
  let downloadFailure: Error | undefined;
  let app: TumblrApp | undefined = { key: STANDIN_TUMBLR_APP.key, secret: STANDIN_TUMBLR_APP.secret };
  const destination = createTumblrDestination({
    fetch: served.fetch,
    download: async (url) => {
      downloads.push(url);
      if (downloadFailure) throw downloadFailure;
      return (
        files.get(url) ?? (url.includes(".mp4") ? mediaBytes("mp4", 300_000) : mediaBytes("jpeg", 20_000))
      );
    },
    app: async () => app,
  });

  return {
    clock,
    tumblr,
    blog,
    side,
    destination,
    files,
    downloads,
    fetch: served.fetch,
    setApp(value: TumblrApp | undefined) {
      app = value;
    },
    /** Instagram's CDN stops giving files (the download's own failure). */
    failDownloads(error: Error) {
      downloadFailure = error;
    },
    job: (shared: PublishedPost, message = shared.caption) =>
      createJob(shared, side.account, message, clock.now),
    attemptOn: (job: JobRecord) => fakeAttempt(side, job),
    /** One attempt at the job, as the queue makes it. */
    step: (job: JobRecord): Promise<Step> =>
      stepThrough(destination, job, fakeAttempt(side, job), (done) => {
        side.shared = [...side.shared, done];
      }),
    /** The requests that reached api.tumblr.com, as `METHOD /path`. */
    calls: () => tumblr.requests().map((request) => `${request.method} ${request.path}`),
  };
}
