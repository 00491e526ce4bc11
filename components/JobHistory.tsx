import { useT } from "./i18n";
import { JobList } from "./JobList";
import { type Api, errorMessage } from "./useApi";
import type { useJobPages } from "./useJobPages";

export interface JobHistoryProps {
  api: Api;
  history: ReturnType<typeof useJobPages>;
  now: number;
  onError: (message: string) => void;
}

/** The shares list with its actions and "Show more", as the popup and the options page show it. */
export function JobHistory({ api, history, now, onError }: JobHistoryProps) {
  const t = useT();
  const act = (type: "jobs.retry" | "jobs.confirmShared" | "jobs.cancel") => (id: string) =>
    void api(type, { id }).then(history.receive, (reason: unknown) => onError(errorMessage(reason)));
  return (
    <>
      {history.jobs?.length === 0 && <p class="muted">{t("noShares")}</p>}
      {history.jobs && history.jobs.length > 0 && (
        <JobList
          jobs={history.jobs}
          now={now}
          onRetry={act("jobs.retry")}
          onConfirm={act("jobs.confirmShared")}
          onCancel={act("jobs.cancel")}
        />
      )}
      {history.more && (
        <button
          type="button"
          class="more"
          onClick={() => void history.showMore().catch((reason: unknown) => onError(errorMessage(reason)))}
        >
          {t("showMore")}
        </button>
      )}
    </>
  );
}
