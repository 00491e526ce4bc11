import { useEffect, useState } from "preact/hooks";
import type { AccountView, JobView } from "@/lib/messages/views";
import { AccountList } from "./AccountList";
import { useT } from "./i18n";
import { JobList } from "./JobList";
import type { Api } from "./useApi";

/** The popup shows this many shares; the options page pages through the rest. */
export const POPUP_JOB_COUNT = 20;
const REFRESH_MS = 1_500;

export interface PopupProps {
  api: Api;
  openOptions: () => void;
}

/** The toolbar popup: linked accounts, and the recent shares with their live state. */
export function Popup({ api, openOptions }: PopupProps) {
  const t = useT();
  const [accounts, setAccounts] = useState<AccountView[]>();
  const [jobs, setJobs] = useState<JobView[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const load = () =>
      Promise.all([api("accounts.list", {}), api("jobs.list", { limit: POPUP_JOB_COUNT })]).then(
        ([nextAccounts, nextJobs]) => {
          setAccounts(nextAccounts);
          setJobs(nextJobs);
          setError(undefined);
        },
        (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [api]);

  const act = (type: "jobs.retry" | "jobs.cancel") => (id: string) =>
    void api(type, { id }).then(
      (changed) => setJobs((current) => current?.map((job) => (job.id === id ? changed : job))),
      (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
    );

  return (
    <main class="popup">
      <h1>{t("extName")}</h1>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="popup-accounts">
        <h2 id="popup-accounts">{t("accounts")}</h2>
        {accounts && <AccountList accounts={accounts} />}
        {accounts?.length === 0 || accounts?.some((account) => account.status === "needs-signin") ? (
          <button type="button" class="primary" onClick={openOptions}>
            {t("openOptions")}
          </button>
        ) : null}
      </section>
      <section aria-labelledby="popup-shares">
        <h2 id="popup-shares">{t("recentShares")}</h2>
        {jobs?.length === 0 && <p class="muted">{t("noShares")}</p>}
        {jobs && jobs.length > 0 && (
          <JobList jobs={jobs} now={Date.now()} onRetry={act("jobs.retry")} onCancel={act("jobs.cancel")} />
        )}
      </section>
    </main>
  );
}
