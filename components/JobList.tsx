import type { JobView } from "@/lib/messages/views";
import { useT } from "./i18n";

const STATE_KEYS: Record<JobView["state"], string> = {
  queued: "stateQueued",
  sending: "stateSending",
  shared: "stateShared",
  failed: "stateFailed",
  "needs-signin": "stateNeedsSignin",
  cancelled: "stateCancelled",
};

export interface JobListProps {
  jobs: JobView[];
  onRetry: (id: string) => void;
  onCancel: (id: string) => void;
  now: number;
}

function timeAgo(then: number, now: number): string {
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours} h ago` : new Date(then).toLocaleDateString();
}

/** Shares, newest first: what, where, when, how it went, and what can be done about it. */
export function JobList({ jobs, onRetry, onCancel, now }: JobListProps) {
  const t = useT();
  return (
    <ul class="jobs">
      {jobs.map((job) => (
        <li key={job.id} class={`job job-${job.state}`}>
          {job.thumbnailUrl ? (
            <img src={job.thumbnailUrl} alt="" width={40} height={40} loading="lazy" />
          ) : (
            <span class="thumb" />
          )}
          <div class="job-text">
            <div>
              <strong>{job.targetName}</strong> ·{" "}
              <span class={`state state-${job.state}`}>{t(STATE_KEYS[job.state])}</span>
            </div>
            <div class="muted">
              {job.kind} · {timeAgo(job.createdAt, now)}
            </div>
            {job.error && job.state !== "shared" && <div class="error-text">{job.error}</div>}
            <div class="actions">
              <a href={job.permalink} target="_blank" rel="noopener noreferrer">
                Instagram
              </a>
              {job.postUrl && (
                <a href={job.postUrl} target="_blank" rel="noopener noreferrer">
                  Facebook
                </a>
              )}
              {(job.state === "failed" || job.state === "cancelled") && (
                <button type="button" onClick={() => onRetry(job.id)}>
                  {t("retry")}
                </button>
              )}
              {(job.state === "queued" || job.state === "needs-signin") && (
                <button type="button" onClick={() => onCancel(job.id)}>
                  {t("cancel")}
                </button>
              )}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
