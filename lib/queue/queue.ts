import { changeAccount } from "../db/accounts";
import { logEvent } from "../db/events";
import { type QueueStep, scanQueue, settleAndClaim, sharedJobsOf, updateJob, updateJobs } from "../db/jobs";
import type { AccountKind, AccountRecord, JobRecord } from "../db/schema";
import type { Attempt, Destination, DestinationLimits } from "../destinations/destination";
import { NotShareableError, ShareError } from "../destinations/errors";
import { refused } from "../destinations/outcomes";
import { serviceName, serviceOf } from "../destinations/services";
import { OFFLINE_RECHECK_MS, RATE_LIMIT_DEFAULT_WAIT_MS, RATE_LIMIT_MAX_WAIT_MS } from "./backoff";
import { type AttemptOutcome, isWaitingToSend, type JobEvent, mayPostAgain, transition } from "./lifecycle";

export interface QueueDeps {
  /** Where each kind of account's posts go: Facebook Pages, the profile's dialog, other services. */
  destinations: Partial<Record<AccountKind, Destination>>;
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

export function createQueue(deps: QueueDeps) {
  const { isOnline } = deps;
  let running: Promise<void> | undefined;
  let rerun = false;
  /** Queued job → when it is due, as this run knows it; the store has the last word at claim time. */
  let waiting = new Map<string, number>();

  const apply = (event: JobEvent) => (job: JobRecord) => transition(job, event, deps.now());

  /**
   * Runs every due job, one at a time. Each attempt follows its own durable `sending` record; its
   * outcome is stored in the same transaction that claims the next job. An outcome not yet stored
   * when the worker dies leaves its job `sending`, to be looked for before any retry.
   */
  async function drain(): Promise<void> {
    const scan = await scanQueue(apply({ type: "orphan-found", owner: deps.owner }));
    for (const job of scan.recovered) deps.onJobChanged(job);
    waiting = new Map(
      [...scan.queued, ...scan.recovered.filter(isWaitingToSend)].map((job) => [job.id, job.nextAttemptAt]),
    );
    let settle: QueueStep["settle"] = [];
    for (;;) {
      const claimed = await step(settle);
      if (!claimed) break;
      waiting.delete(claimed.job.id);
      deps.onJobChanged(claimed.job);
      const outcome = await attempt(claimed.job, claimed.account);
      settle = [{ id: claimed.job.id, update: apply({ type: "attempt-ended", owner: deps.owner, outcome }) }];
    }
    const next = waiting.size ? Math.min(...waiting.values()) : undefined;
    // Offline with work waiting: the `online` event wakes us, and this recheck in case it never comes.
    deps.scheduleWake(
      next !== undefined && !isOnline() ? Math.max(next, deps.now() + OFFLINE_RECHECK_MS) : next,
    );
  }

  /** Stores the given outcome and claims the job due first, if any (one durable transaction). */
  async function step(settle: QueueStep["settle"]) {
    const now = deps.now();
    const candidates = isOnline()
      ? [...waiting].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1])
      : [];
    if (settle.length === 0 && candidates.length === 0) return undefined;
    const result = await settleAndClaim({
      settle,
      candidates: candidates.map(([id]) => id),
      claim: apply({ type: "claimed", owner: deps.owner, leaseMs: LEASE_MS }),
    });
    for (const settled of result.settled) {
      if (isWaitingToSend(settled)) waiting.set(settled.id, settled.nextAttemptAt);
      deps.onJobChanged(settled);
    }
    for (const { id, job } of result.passed) {
      if (job && isWaitingToSend(job)) waiting.set(id, job.nextAttemptAt);
      else waiting.delete(id);
    }
    return result.claimed;
  }

  /**
   * One attempt at a job, through its account's destination. When an earlier attempt's answer was
   * lost, what it left is looked for first; a post whose time is still to come and that the service
   * cannot hold waits here.
   */
  async function attempt(job: JobRecord, account: AccountRecord | undefined): Promise<AttemptOutcome> {
    if (!account) return refused("unlinked", `${job.targetName} is no longer linked.`);
    const destination = deps.destinations[account.kind];
    if (!destination) {
      return refused("unlinked", `This version of alsoshare cannot share to ${account.name}.`);
    }
    if (destination.signIn === "token" && !account.token) {
      return refused("unlinked", `${account.name} has no sign-in stored. Link it again, then retry.`);
    }
    if (account.status === "needs-signin") return signedOut(account, false);
    const ctx = attemptOf(job, account, destination);
    try {
      // A job with its post made has only its follow-up (a first comment) left: the destination knows it.
      if (!job.result) {
        if (job.needsReconcile) {
          const earlier = await destination.findEarlier(ctx);
          if (typeof earlier === "object") return earlier;
          if (earlier !== "nothing-out") {
            if (!mayPostAgain(job)) return { type: "not-found-yet" };
            // No proof either way (listings are late, captions repeat): the user decides.
            if (earlier === "cannot-tell") {
              return { type: "unconfirmed", message: destination.words.unconfirmed(job, account.name) };
            }
          }
        }
        const { publishAt } = job;
        if (
          publishAt !== undefined &&
          publishAt > deps.now() &&
          destination.holdsUntil?.(job, deps.now()) === undefined
        ) {
          return { type: "due-later", at: publishAt };
        }
      }
      return await destination.send(ctx);
    } catch (cause) {
      return failure(ctx, destination, cause);
    }
  }

  /** The queue's side of one attempt, for its destination: what it stores, it stores here. */
  function attemptOf(job: JobRecord, account: AccountRecord, destination: Destination): Attempt {
    let current = job;
    let signedIn = account;
    const ctx: Attempt = {
      get job() {
        return current;
      },
      get account() {
        return signedIn;
      },
      now: deps.now,
      async prepared(made) {
        const stored = await updateJob(job.id, apply({ type: "prepared", owner: deps.owner, ...made }));
        // If what it made cannot be stored, the final call is not made: an attempt that leaves no
        // trace never publishes.
        if (!stored) {
          throw new NotShareableError(
            "This share was stopped while it was being sent; nothing was published.",
          );
        }
        // Nothing a user sees changed (it is still sending), so no one is told.
        current = stored;
      },
      async postMade(result) {
        const made = await updateJob(job.id, apply({ type: "post-made", owner: deps.owner, result }));
        if (made) current = made;
        return made;
      },
      mayPostAgain: () => mayPostAgain(current),
      sharedJobs: () => sharedJobsOf(job.targetId),
      log: (message) => logEvent("share-failed", message, deps.now()),
      async renewedSignIn(signIn) {
        signedIn = await renewSignIn(signedIn, signIn);
      },
      failure: (cause) => failure(ctx, destination, cause),
    };
    return ctx;
  }

  /** How a failed call ends the attempt: the one table every destination's errors map to. */
  async function failure(ctx: Attempt, destination: Destination, cause: unknown): Promise<AttemptOutcome> {
    const { job, account } = ctx;
    const service = serviceName(account.id);
    if (cause instanceof NotShareableError) return refused("not-shareable", cause.message);
    const error =
      cause instanceof ShareError
        ? cause
        : new ShareError("transient", "Something went wrong while sharing.", { outcomeUnknown: true });
    const { details } = error;
    const maybePosted = details.outcomeUnknown === true;
    const serviceSays = details.userMessage ?? error.message;
    switch (error.kind) {
      case "transient":
        if (details.hostAccessMissing) {
          // Granting the host back wakes the queue.
          return {
            type: "waiting",
            kind: "no-access",
            message: error.message,
            recheckMs: OFFLINE_RECHECK_MS,
            maybePosted,
          };
        }
        if (details.networkError && !isOnline()) {
          // The `online` event wakes the job.
          return {
            type: "waiting",
            kind: "offline",
            message: "Waiting for the network to come back.",
            recheckMs: OFFLINE_RECHECK_MS,
            maybePosted,
          };
        }
        return {
          type: "transient",
          reason: error.message,
          maybePosted,
          unanswered: maybePosted && details.status === undefined,
          jitter: deps.random(),
        };
      case "rate-limit": {
        const waitMs = Math.min(details.retryAfterMs ?? RATE_LIMIT_DEFAULT_WAIT_MS, RATE_LIMIT_MAX_WAIT_MS);
        await slowDown(job.targetId, details.limits ?? "account", deps.now() + waitMs);
        return { type: "rate-limited", waitMs, reason: error.message, maybePosted };
      }
      case "blocked":
        return { type: "blocked", reason: serviceSays, maybePosted };
      case "auth":
        if (await pauseAccount(account)) return signedOut(account, maybePosted);
        // Signed in again while this request was out: the new sign-in gets its turn.
        return {
          type: "transient",
          reason: error.message,
          maybePosted,
          unanswered: false,
          jitter: deps.random(),
        };
      case "duplicate": {
        // Only a post is refused as a duplicate: a comment's post exists, whatever this says.
        if (job.result)
          return refused("duplicate", `${service} refused this as a duplicate (${serviceSays}).`);
        const found = await destination.findEarlier(ctx).catch(() => undefined);
        if (typeof found === "object") return found;
        return refused(
          "duplicate",
          `${service} refused this as a duplicate of an earlier post (${serviceSays}).`,
        );
      }
      case "permission":
        return refused("permission", destination.words.permission(account.name, serviceSays));
      case "media-unreachable":
        return refused("media-unreachable", `${error.message} Press Retry to try again.`);
      case "publish-limit": {
        const quota = await destination.quotaFreesAt?.(ctx);
        if (!quota) return refused("invalid", `${service} refused this post: ${serviceSays}`);
        return { type: "quota-used", until: quota.until, limit: quota.limit };
      }
      case "invalid":
        return refused("invalid", `${service} refused this post: ${serviceSays}`);
    }
  }

  function signedOut(account: AccountRecord, maybePosted: boolean): AttemptOutcome {
    const message = `${account.name} needs you to sign in again before anything more is shared.`;
    return { type: "signed-out", message, maybePosted };
  }

  /**
   * Every queued job of the limited account (or, for a limit on the whole app, of every account of
   * that service) waits as long.
   */
  async function slowDown(targetId: string, scope: "account" | "every-account", until: number) {
    const service = serviceOf(targetId);
    const slowed = await updateJobs(["queued"], (job) =>
      (scope === "every-account" ? serviceOf(job.targetId) === service : job.targetId === targetId)
        ? transition(job, { type: "page-slowed", until }, deps.now())
        : undefined,
    );
    for (const job of slowed) waiting.set(job.id, job.nextAttemptAt);
  }

  /**
   * Stores an account's renewed sign-in (its service rotates tokens), unless the user linked it
   * again meanwhile; answers the account this attempt goes on with.
   */
  async function renewSignIn(
    account: AccountRecord,
    signIn: { token: string; refreshToken?: string; tokenExpiresAt?: number },
  ): Promise<AccountRecord> {
    const renewed: AccountRecord = {
      ...account,
      token: signIn.token,
      tokenExpiresAt: signIn.tokenExpiresAt ?? account.tokenExpiresAt,
      ...(account.home && {
        home: { ...account.home, refreshToken: signIn.refreshToken ?? account.home.refreshToken },
      }),
    };
    return changeAccount(account.id, [], ({ account: stored }) =>
      stored && stored.token === account.token
        ? { account: { ...renewed, status: stored.status }, answer: renewed }
        : { answer: renewed },
    );
  }

  /**
   * A dead token: the account and all its waiting jobs pause until the user signs in again, in one
   * transaction. Answers false when the stored sign-in is no longer the one that failed (the user
   * linked the account again meanwhile): then nothing is paused.
   */
  async function pauseAccount(account: AccountRecord): Promise<boolean> {
    const now = deps.now();
    const paused = await changeAccount(account.id, ["queued"], (scene) => {
      const stored = scene.account;
      if (!stored || stored.token !== account.token) return { answer: undefined };
      const jobs = scene.jobs.flatMap((job) => transition(job, { type: "signed-out" }, now) ?? []);
      if (stored.status === "needs-signin") return { jobs, answer: jobs };
      const message = `${stored.name}: ${serviceName(stored.id)} no longer accepts its sign-in.`;
      return {
        account: { ...stored, status: "needs-signin" },
        jobs,
        events: [{ at: now, type: "share-failed", message }],
        answer: jobs,
      };
    });
    if (!paused) return false;
    for (const job of paused) {
      waiting.delete(job.id);
      deps.onJobChanged(job);
    }
    deps.onAccountsChanged();
    return true;
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
        try {
          do {
            rerun = false;
            await drain();
          } while (rerun);
        } catch (error) {
          // Storage refused a write mid-run: what was stored stays. Look again once our lease has
          // run out, so a job this run left `sending` is taken back and looked for, never stranded.
          deps.scheduleWake(deps.now() + LEASE_MS + 1_000);
          throw error;
        }
      })().finally(() => {
        running = undefined;
      });
      return running;
    },

    /** What a post to this account may hold, as its destination says; undefined: no destination. */
    limitsOf(account: AccountRecord): DestinationLimits | undefined {
      return deps.destinations[account.kind]?.limits(account);
    },

    /** The device is online again: the jobs that waited for it go now. */
    async networkBack(): Promise<void> {
      const woken = await updateJobs(["queued"], apply({ type: "network-back" }));
      for (const job of woken) deps.onJobChanged(job);
      await queue.kick();
    },
  };
  return queue;
}

export type Queue = ReturnType<typeof createQueue>;
