import type { JobView } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";

export const STATE_KEYS: Record<JobView["state"], string> = {
  queued: "stateQueued",
  sending: "stateSending",
  shared: "stateShared",
  failed: "stateFailed",
  "needs-signin": "stateNeedsSignin",
  cancelled: "stateCancelled",
};

export const KIND_KEYS: Record<JobView["kind"], string> = {
  photo: "jobsKindPhoto",
  carousel: "jobsKindCarousel",
  video: "jobsKindVideo",
  reel: "jobsKindReel",
  story: "jobsKindStory",
};

export interface JobListProps {
  jobs: JobView[];
  onRetry: (id: string) => void;
  /** "It's there": the user found the post on the Page. */
  onConfirm: (id: string) => void;
  onCancel: (id: string) => void;
  now: number;
}

/** A share whose time has not come: Facebook (or the queue) holds it, and it can still be called off. */
function isLater(job: JobView, now: number): boolean {
  return job.scheduledFor !== undefined && job.scheduledFor > now;
}

/** Shares, newest first: what, where, when, how it went, and what can be done about it. */
export function JobList({ jobs, onRetry, onConfirm, onCancel, now }: JobListProps) {
  const t = useT();
  const format = useFormat();
  return (
    <ul class="jobs">
      {jobs.map((job) => (
        <li key={job.id} class={`job job-${job.state}`}>
          {job.thumbnailUrl ? (
            <img src={job.thumbnailUrl} alt="" width={40} height={40} loading="lazy" decoding="async" />
          ) : (
            <span class="thumb" aria-hidden="true" />
          )}
          <div class="job-text">
            <div class="job-head">
              <strong class="job-target">{job.targetName}</strong>
              {isLater(job, now) ? (
                <span class="state state-scheduled">{t("stateScheduled")}</span>
              ) : (
                <span class={`state state-${job.state}`}>{t(STATE_KEYS[job.state])}</span>
              )}
            </div>
            <div class="muted">
              {t(KIND_KEYS[job.kind])} ·{" "}
              <time dateTime={new Date(job.createdAt).toISOString()} title={format.dateTime(job.createdAt)}>
                {format.timeAgo(job.createdAt, now)}
              </time>
            </div>
            {job.error && job.state !== "shared" && <div class="error-text">{job.error}</div>}
            {job.checkedByUser && <div class="muted">{t("jobsCheckedByYou")}</div>}
            {job.sharedByInstagram && <div class="muted">{t("jobsSharedByInstagram")}</div>}
            {job.scheduledFor !== undefined && isLater(job, now) && (
              <div class="muted">{t("jobsScheduledFor", [format.dateTime(job.scheduledFor)])}</div>
            )}
            {job.firstComment && (
              <div class="muted job-comment">{t("firstCommentLine", [job.firstComment])}</div>
            )}
            <div class="actions">
              <a href={job.permalink} target="_blank" rel="noopener noreferrer">
                {t("jobsOpenInstagram")}
              </a>
              {job.postUrl && (
                <a href={job.postUrl} target="_blank" rel="noopener noreferrer">
                  {t("jobsOpenFacebook")}
                </a>
              )}
              {job.awaitsCheck && (
                <button type="button" onClick={() => onConfirm(job.id)}>
                  {t("jobsItsThere")}
                </button>
              )}
              {(job.state === "failed" || job.state === "cancelled") && (
                <button type="button" onClick={() => onRetry(job.id)}>
                  {t("retry")}
                </button>
              )}
              {(((job.state === "queued" || job.state === "needs-signin") && !job.postUrl) ||
                isLater(job, now)) && (
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
