import { deleteAccount, getAccount, listAccounts, putAccount } from "../db/accounts";
import { logEvent, recentEvents } from "../db/events";
import {
  addJobsOnce,
  jobsOfPost,
  moveJobsOfTarget,
  recentJobs,
  requeueFailedJobs,
  updateJobIf,
} from "../db/jobs";
import type { AccountRecord, JobRecord } from "../db/schema";
import { GraphError } from "../facebook/errors";
import type { GraphClient } from "../facebook/graph";
import { fetchIdentity } from "../facebook/pages";
import { permalinkOf } from "../instagram/post";
import type { Queue } from "../queue/queue";
import { loadSettings, saveSettings } from "../settings/store";
import { MessageError } from "./protocol";
import type { Handlers } from "./router";
import { accountView, jobView } from "./views";

export interface HandlerDeps {
  graph: GraphClient;
  queue: Queue;
  now: () => number;
  /** A job changed outside the queue (cancel, retry): tell whoever shows it. */
  onJobChanged: (job: JobRecord) => void;
}

/** What each message does. The router has already checked who asked and the payload's shape. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const changed = (job: JobRecord | undefined, what: string) => {
    if (!job) throw new MessageError("not-found", `That share cannot be ${what} now.`);
    deps.onJobChanged(job);
    return jobView(job);
  };

  return {
    async "composer.context"() {
      const [accounts, settings] = await Promise.all([listAccounts(), loadSettings()]);
      const linked = new Set(accounts.map((account) => account.id));
      const remembered = settings.rememberLastChoice ? settings.lastTargets : [];
      const preferred = [remembered, settings.defaultTargets].find((ids) => ids.some((id) => linked.has(id)));
      return {
        accounts: accounts.map(accountView),
        settings: { autoShare: settings.autoShare, caption: settings.caption },
        proposedTargets: preferred ? preferred.filter((id) => linked.has(id)) : [...linked],
      };
    },

    async "share.request"({ post, targets, message }, sender) {
      const accounts = await Promise.all(targets.map(getAccount));
      const missing = targets.filter((_, index) => !accounts[index]);
      if (missing.length) throw new MessageError("bad-request", "A chosen account is no longer linked.");
      const now = deps.now();
      const jobs: JobRecord[] = (accounts as AccountRecord[]).map((account) => ({
        id: `${post.pk}:${account.id}`,
        post,
        permalink: permalinkOf(post),
        message,
        targetId: account.id,
        targetName: account.name,
        state: account.status === "needs-signin" ? "needs-signin" : "queued",
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
        tabId: sender.tab?.id,
      }));
      await addJobsOnce(jobs);
      const settings = await loadSettings();
      if (settings.rememberLastChoice) await saveSettings({ ...settings, lastTargets: targets });
      void deps.queue.kick();
      return (await jobsOfPost(post.pk)).map(jobView);
    },

    async "share.status"({ pk }) {
      return (await jobsOfPost(pk)).map(jobView);
    },

    async "share.retry"({ pk }) {
      const retried = await requeueFailedJobs(deps.now(), pk);
      for (const job of retried) deps.onJobChanged(job);
      void deps.queue.kick();
      return (await jobsOfPost(pk)).map(jobView);
    },

    async "composer.unrecognized"({ reason }) {
      await logEvent(
        "composer-unrecognized",
        `Composer not recognized on ${new Date(deps.now()).toISOString().slice(0, 10)}: ${reason}`,
      );
      return null;
    },

    async "accounts.list"() {
      return (await listAccounts()).map(accountView);
    },

    async "accounts.linkToken"({ token }) {
      let identity: { id: string; name: string };
      try {
        identity = await fetchIdentity(deps.graph, token);
      } catch (error) {
        const reason =
          error instanceof GraphError && error.kind === "auth"
            ? "Facebook does not accept this token."
            : error instanceof Error
              ? error.message
              : "";
        throw new MessageError(
          "failed",
          `Could not link the Page. ${reason} Copy a fresh Page access token and try again.`,
        );
      }
      const existing = await getAccount(identity.id);
      const account: AccountRecord = {
        id: identity.id,
        kind: "page",
        name: identity.name,
        token,
        status: "ok",
        linkedAt: existing?.linkedAt ?? deps.now(),
      };
      await putAccount(account);
      await logEvent(
        existing ? "relinked" : "linked",
        `${existing ? "Re-linked" : "Linked"} the Page ${identity.name}.`,
      );
      if (existing?.status === "needs-signin") {
        const resumed = await moveJobsOfTarget(account.id, ["needs-signin"], (job) => ({
          ...job,
          state: "queued",
          nextAttemptAt: deps.now(),
          // A job paused mid-attempt may have been posted: look before sending again.
          needsReconcile: job.needsReconcile || job.attempts > 0,
          updatedAt: deps.now(),
        }));
        for (const job of resumed) deps.onJobChanged(job);
        void deps.queue.kick();
      }
      return accountView(account);
    },

    async "accounts.unlink"({ id, queuedJobs }) {
      const account = await getAccount(id);
      if (!account) throw new MessageError("not-found", "That account is not linked.");
      await deleteAccount(id);
      if (queuedJobs === "cancel") {
        const cancelled = await moveJobsOfTarget(id, ["queued", "needs-signin"], (job) => ({
          ...job,
          state: "cancelled",
          updatedAt: deps.now(),
        }));
        for (const job of cancelled) deps.onJobChanged(job);
      }
      await logEvent("unlinked", `Unlinked ${account.name}.`);
      return null;
    },

    async "settings.get"() {
      return loadSettings();
    },

    async "settings.set"({ settings }) {
      return saveSettings(settings);
    },

    async "jobs.list"({ limit, createdBefore }) {
      return (await recentJobs(limit, createdBefore)).map(jobView);
    },

    async "jobs.retry"({ id }) {
      const job = await updateJobIf(
        id,
        (current) => current.state === "failed" || current.state === "cancelled",
        (current) => ({
          ...current,
          state: "queued",
          attempts: 0,
          nextAttemptAt: deps.now(),
          updatedAt: deps.now(),
        }),
      );
      const view = changed(job, "retried");
      void deps.queue.kick();
      return view;
    },

    async "jobs.retryFailed"() {
      const requeued = await requeueFailedJobs(deps.now());
      for (const job of requeued) deps.onJobChanged(job);
      void deps.queue.kick();
      return requeued.length;
    },

    async "jobs.cancel"({ id }) {
      const job = await updateJobIf(
        id,
        (current) => current.state === "queued" || current.state === "needs-signin",
        (current) => ({ ...current, state: "cancelled", updatedAt: deps.now() }),
      );
      return changed(job, "cancelled");
    },

    async "events.list"() {
      return recentEvents(200);
    },
  };
}
