import { deleteAccount, getAccount, listAccounts, putAccount } from "../db/accounts";
import { logEvent } from "../db/events";
import { moveJobsOfTarget } from "../db/jobs";
import type { AccountRecord } from "../db/schema";
import { GraphError } from "../facebook/errors";
import { fetchIdentity } from "../facebook/pages";
import { MessageError } from "../messages/protocol";
import { accountView } from "../messages/views";
import type { HandlerDeps, HandlersFor } from "./deps";

/** Linking and unlinking the accounts posts go to. */
export function createAccountsHandlers(
  deps: HandlerDeps,
): HandlersFor<"accounts.list" | "accounts.linkToken" | "accounts.unlink"> {
  return {
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
  };
}
