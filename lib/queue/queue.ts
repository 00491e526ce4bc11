import { putAccount } from "../db/accounts";
import { logEvent } from "../db/events";
import {
  moveJobsOfTarget,
  type QueueStep,
  scanQueue,
  settleAndClaim,
  wakeJobsWaitingForNetwork,
} from "../db/jobs";
import type { AccountRecord, JobRecord } from "../db/schema";
import { GraphError } from "../facebook/errors";
import type { GraphClient } from "../facebook/graph";
import {
  findPostSince,
  type MediaDownload,
  type PageTarget,
  type PublishedFacebookPost,
  publishAlbum,
  publishPhoto,
  publishPhotoStory,
  publishVideo,
} from "../facebook/pages";
import { shareDialogUrl } from "../facebook/share-dialog";
import {
  BLOCKED_WAIT_MS,
  backoffMs,
  MAX_ATTEMPTS,
  OFFLINE_RECHECK_MS,
  RATE_LIMIT_DEFAULT_WAIT_MS,
  UNANSWERED_WAIT_MS,
} from "./backoff";

export interface QueueDeps {
  graph: GraphClient;
  /** Fetches Instagram's copy of a media file when Facebook cannot fetch it (the `source` fallback). */
  download: MediaDownload;
  /** Opens Facebook's share dialog for a profile target (a new browser tab). */
  openTab: (url: string) => Promise<void>;
  /** The user's own Meta app id, if stored: the share dialog then uses Facebook's Feed dialog. */
  appId: () => Promise<string | undefined>;
  /** False when the device knows it has no network (`navigator.onLine`). */
  isOnline: () => boolean;
  now: () => number;
  random: () => number;
  /** This worker's identity: leases held by any other owner are from a worker that is gone. */
  owner: string;
  onJobChanged: (job: JobRecord) => void;
  /** An account's status changed (its sign-in died): the open pages show it. */
  onAccountsChanged: () => void;
  /** Wake the queue at this time (or never, when undefined). */
  scheduleWake: (at: number | undefined) => void;
}

/** Longer than one attempt can take (a few requests, each with a 15 s client timeout). */
const LEASE_MS = 2 * 60_000;

type Patch = QueueStep["settle"][number]["patch"];

export function createQueue(deps: QueueDeps) {
  const { isOnline, download } = deps;
  let running: Promise<void> | undefined;
  let rerun = false;
  /** Queued job → when it is due, as this run knows it; the store has the last word at claim time. */
  let waiting = new Map<string, number>();

  /**
   * Runs every due job. While one job's request is in flight, the next one is claimed (its durable
   * `sending` record) and the previous result is stored, in one transaction: the bookkeeping rides
   * on network time, and every request still follows its own durable record. A result not yet
   * stored when the worker dies leaves its job `sending`, to be looked for before any retry.
   */
  async function drain(): Promise<void> {
    const scan = await scanQueue(deps.owner, deps.now(), UNANSWERED_WAIT_MS);
    for (const job of scan.recovered) deps.onJobChanged(job);
    waiting = new Map(scan.queued.map((entry) => [entry.id, entry.nextAttemptAt]));
    let ready = (await step([])).claimed;
    let unsaved: QueueStep["settle"] = [];
    while (ready) {
      const { job, account } = ready;
      waiting.delete(job.id);
      deps.onJobChanged(job);
      const attempting = attempt(job, account);
      const next = await step(unsaved);
      const patch = await attempting;
      unsaved = [{ id: job.id, patch }];
      ready = next.claimed;
      if (ready && heldBackBy(ready.job, job, patch)) {
        unsaved.push({ id: ready.job.id, patch: heldBackPatch(ready.job, patch) });
        ready = undefined;
      }
      if (!ready) {
        ready = (await step(unsaved)).claimed;
        unsaved = [];
      }
    }
    const next = waiting.size ? Math.min(...waiting.values()) : undefined;
    // Offline with work waiting: the `online` event wakes us, and this recheck in case it never comes.
    deps.scheduleWake(
      next !== undefined && !isOnline() ? Math.max(next, deps.now() + OFFLINE_RECHECK_MS) : next,
    );
  }

  /** Stores the given results and claims the job due first, if any (one durable transaction). */
  async function step(settle: QueueStep["settle"]) {
    const now = deps.now();
    const candidates = isOnline()
      ? [...waiting].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1])
      : [];
    if (settle.length === 0 && candidates.length === 0) return { claimed: undefined };
    const result = await settleAndClaim({
      settle,
      candidates: candidates.map(([id]) => id),
      owner: deps.owner,
      now,
      leaseMs: LEASE_MS,
    });
    for (const settled of result.settled) {
      if (settled.state === "queued") waiting.set(settled.id, settled.nextAttemptAt);
      deps.onJobChanged(settled);
    }
    for (const passed of result.passed) {
      if (passed.nextAttemptAt === undefined) waiting.delete(passed.id);
      else waiting.set(passed.id, passed.nextAttemptAt);
    }
    return result;
  }

  /** A job claimed ahead must wait after all when the one before it found its Page limited or signed out. */
  function heldBackBy(next: JobRecord, previous: JobRecord, patch: Patch): boolean {
    if (next.targetId !== previous.targetId) return false;
    return (
      patch.state === "needs-signin" || (patch.state === "queued" && patch.lastError?.kind === "rate-limit")
    );
  }

  /** Puts a job claimed ahead back as it was, with the wait its Page now has; no attempt was made. */
  function heldBackPatch(job: JobRecord, patch: Patch): Patch {
    return patch.state === "needs-signin"
      ? { state: "needs-signin", attempts: job.attempts - 1 }
      : {
          state: "queued",
          attempts: job.attempts - 1,
          nextAttemptAt: patch.nextAttemptAt ?? job.nextAttemptAt,
        };
  }

  async function attempt(job: JobRecord, account: AccountRecord | undefined): Promise<Patch> {
    if (!account) {
      return { state: "failed", lastError: error("unlinked", `${job.targetName} is no longer linked.`) };
    }
    if (account.kind === "profile") return openShareDialog(job);
    if (!account.token) {
      return {
        state: "failed",
        lastError: error("unlinked", `${account.name} has no sign-in stored. Link it again, then retry.`),
      };
    }
    if (account.status === "needs-signin") return { state: "needs-signin" };
    const target = { pageId: account.id, token: account.token };
    try {
      if (job.needsReconcile) {
        const found = await findEarlierPost(job, target);
        if (found) return shared(found);
        // Stories are not listed with posts: there is no way to know whether one went out.
        if (job.post.kind === "story") return unconfirmedStory(account);
      }
      return shared(await publish(job, target, account));
    } catch (cause) {
      return failure(job, account, target, cause);
    }
  }

  /** A profile cannot be posted to through the API; Facebook's own dialog asks the user to confirm. */
  async function openShareDialog(job: JobRecord): Promise<Patch> {
    try {
      const url = shareDialogUrl(job.permalink, await deps.appId());
      await deps.openTab(url);
      return { state: "shared", result: { postId: "", url }, needsReconcile: false, lastError: undefined };
    } catch {
      return {
        state: "failed",
        lastError: error("share-dialog", "Could not open Facebook's share dialog. Press Retry to try again."),
      };
    }
  }

  async function publish(
    job: JobRecord,
    target: PageTarget,
    account: AccountRecord,
  ): Promise<PublishedFacebookPost> {
    const { post, message } = job;
    const photos = post.media.filter((item) => item.type === "image").map((item) => item.url);
    const videos = post.media.filter((item) => item.type === "video").map((item) => item.url);
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    switch (post.kind) {
      case "photo":
        if (!firstPhoto) break;
        return publishPhoto(deps.graph, target, { url: firstPhoto, message }, download);
      case "video":
      case "reel":
        if (!firstVideo) break;
        return publishVideo(deps.graph, target, { url: firstVideo, message }, download);
      case "carousel":
        return publishCarousel(job, target, account, photos, videos);
      case "story":
        if (post.media[0]?.type === "image" && firstPhoto) {
          return publishPhotoStory(deps.graph, target, { url: firstPhoto }, download);
        }
        throw new GraphError(
          "invalid",
          "Video stories cannot be shared to a Facebook Page by this extension. Share the video as a reel instead.",
        );
    }
    throw new GraphError(
      "invalid",
      `Instagram gave no ${post.kind === "photo" ? "photo" : "video"} to share.`,
    );
  }

  /**
   * Facebook Page albums hold photos only, so a carousel that mixes in videos goes out as its
   * photos, and the activity log says which items were left out. One that is all videos shares its
   * first video.
   */
  async function publishCarousel(
    job: JobRecord,
    target: PageTarget,
    account: AccountRecord,
    photos: string[],
    videos: string[],
  ): Promise<PublishedFacebookPost> {
    const [firstPhoto] = photos;
    const [firstVideo] = videos;
    const leftOut = firstPhoto ? videos.length : videos.length - 1;
    const posted =
      photos.length > 1
        ? await publishAlbum(deps.graph, target, { urls: photos, message: job.message }, download)
        : firstPhoto
          ? await publishPhoto(deps.graph, target, { url: firstPhoto, message: job.message }, download)
          : firstVideo
            ? await publishVideo(deps.graph, target, { url: firstVideo, message: job.message }, download)
            : undefined;
    if (!posted) throw new GraphError("invalid", "Instagram gave no photo or video to share.");
    if (leftOut > 0) {
      await logEvent(
        "share-failed",
        `${account.name}: shared your carousel without ${leftOut === 1 ? "its video" : `${leftOut} of its videos`}, because a Facebook Page post can hold several photos or one video, not both.`,
        deps.now(),
      );
    }
    return posted;
  }

  async function failure(
    job: JobRecord,
    account: AccountRecord,
    target: PageTarget,
    cause: unknown,
  ): Promise<Patch> {
    const graphError =
      cause instanceof GraphError
        ? cause
        : new GraphError("transient", "Something went wrong while sharing.", { outcomeUnknown: true });
    const now = deps.now();
    // Facebook may have acted on this request: before any new one, look for the post.
    const mustLook = job.needsReconcile || graphError.details.outcomeUnknown;
    const retryAt = (
      waitMs: number,
      kind: string = graphError.kind,
      message = graphError.message,
    ): Patch => ({
      state: "queued",
      nextAttemptAt: now + waitMs,
      needsReconcile: mustLook,
      lastError: error(kind, message),
    });
    const facebookSays = graphError.details.userMessage ?? graphError.message;
    switch (graphError.kind) {
      case "transient":
        if (graphError.details.hostAccessMissing) {
          // Waits without using up attempts; granting the host back wakes the queue.
          return { ...retryAt(OFFLINE_RECHECK_MS, "no-access"), attempts: job.attempts - 1 };
        }
        if (graphError.details.networkError && !isOnline()) {
          // Not the attempt's fault: it does not count, and the `online` event wakes the job.
          return {
            ...retryAt(OFFLINE_RECHECK_MS, "offline", "Waiting for the network to come back."),
            attempts: job.attempts - 1,
          };
        }
        if (job.attempts >= MAX_ATTEMPTS) {
          return {
            state: "failed",
            needsReconcile: mustLook,
            lastError: error(
              "transient",
              `Facebook kept failing (${graphError.message}). Press Retry later; the post is checked for first.`,
            ),
          };
        }
        return retryAt(
          Math.max(
            backoffMs(job.attempts, deps.random),
            graphError.details.outcomeUnknown && graphError.details.status === undefined
              ? UNANSWERED_WAIT_MS
              : 0,
          ),
        );
      case "rate-limit": {
        const waitMs = graphError.details.retryAfterMs ?? RATE_LIMIT_DEFAULT_WAIT_MS;
        await slowTarget(job.targetId, now + waitMs);
        return retryAt(
          waitMs,
          "rate-limit",
          `Facebook asked to slow down (${graphError.message}); trying again in ${minutes(waitMs)}.`,
        );
      }
      case "blocked":
        return retryAt(
          BLOCKED_WAIT_MS,
          "blocked",
          `Facebook has temporarily blocked posting (${facebookSays}); trying again in ${minutes(BLOCKED_WAIT_MS)}.`,
        );
      case "auth":
        await pauseAccount(account);
        return {
          state: "needs-signin",
          needsReconcile: mustLook,
          lastError: error(
            "auth",
            `${account.name} needs you to sign in again before anything more is shared.`,
          ),
        };
      case "duplicate": {
        const found = await findEarlierPost(job, target).catch(() => undefined);
        if (found) return shared(found);
        return {
          state: "failed",
          lastError: error(
            "duplicate",
            `Facebook refused this as a duplicate of an earlier post (${facebookSays}).`,
          ),
        };
      }
      case "permission":
        return {
          state: "failed",
          lastError: error(
            "permission",
            `Facebook did not let ${account.name} publish this: ${facebookSays} Check that the app may post for this Page (pages_manage_posts), link it again, then press Retry.`,
          ),
        };
      case "media-unreachable":
        return {
          state: "failed",
          lastError: error("media-unreachable", `${graphError.message} Press Retry to try again.`),
        };
      case "invalid":
        return {
          state: "failed",
          lastError: error("invalid", `Facebook refused this post: ${facebookSays}`),
        };
    }
  }

  /** The post an earlier attempt at this job may have made: same message, since the job began. */
  function findEarlierPost(job: JobRecord, target: PageTarget) {
    return findPostSince(deps.graph, target, {
      message: job.message,
      sinceMs: job.createdAt,
      video: isVideoJob(job),
    });
  }

  function unconfirmedStory(account: AccountRecord): Patch {
    return {
      state: "failed",
      // The user looks and decides; a Retry after this posts again.
      needsReconcile: false,
      lastError: error(
        "unconfirmed",
        `The story may or may not have reached ${account.name}. Check the Page's stories, and press Retry only if it is not there.`,
      ),
    };
  }

  function shared(post: PublishedFacebookPost): Patch {
    return { state: "shared", result: post, needsReconcile: false, lastError: undefined };
  }

  function error(kind: string, message: string) {
    return { kind, message, at: deps.now() };
  }

  /** A rate limit is per Page: every queued job of that Page waits as long. */
  async function slowTarget(targetId: string, until: number) {
    const slowed = await moveJobsOfTarget(targetId, ["queued"], (job) => ({
      ...job,
      nextAttemptAt: Math.max(job.nextAttemptAt, until),
    }));
    for (const job of slowed) waiting.set(job.id, job.nextAttemptAt);
  }

  /** A dead token: the account and all its waiting jobs pause until the user signs in again. */
  async function pauseAccount(account: AccountRecord) {
    if (account.status !== "needs-signin") {
      await putAccount({ ...account, status: "needs-signin" });
      await logEvent("share-failed", `${account.name}: Facebook no longer accepts its sign-in.`, deps.now());
      deps.onAccountsChanged();
    }
    const paused = await moveJobsOfTarget(account.id, ["queued"], (job) => ({
      ...job,
      state: "needs-signin",
      updatedAt: deps.now(),
    }));
    for (const job of paused) {
      waiting.delete(job.id);
      deps.onJobChanged(job);
    }
  }

  const queue = {
    /**
     * Takes back what a dead worker left mid-way, then runs every due job; calls made while it
     * runs make it look again when done.
     */
    kick(): Promise<void> {
      if (running) {
        rerun = true;
        return running;
      }
      running = (async () => {
        do {
          rerun = false;
          await drain();
        } while (rerun);
      })().finally(() => {
        running = undefined;
      });
      return running;
    },

    /** The device is online again: the jobs that waited for it go now. */
    async networkBack(): Promise<void> {
      const woken = await wakeJobsWaitingForNetwork(deps.now());
      for (const job of woken) deps.onJobChanged(job);
      await queue.kick();
    },
  };
  return queue;
}

function isVideoJob(job: JobRecord): boolean {
  return (
    job.post.kind === "video" ||
    job.post.kind === "reel" ||
    (job.post.kind === "carousel" && job.post.media.every((item) => item.type === "video"))
  );
}

function minutes(ms: number): string {
  if (ms < 90_000) return `${Math.ceil(ms / 1000)} seconds`;
  return `about ${Math.round(ms / 60_000)} minutes`;
}

export type Queue = ReturnType<typeof createQueue>;
