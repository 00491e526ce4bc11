import { formatOf } from "@/components/format";
import type { Translate } from "@/components/i18n";
import type { ShareStatusView } from "@/lib/messages/views";

export interface ShareStatusProps {
  t: Translate;
  /** The post's shares, those Instagram's own cross-post made (and we sent nothing for) included. */
  jobs: ShareStatusView[];
  onRetry: () => void;
  onDismiss: () => void;
}

/**
 * One line that says how the share to Facebook is going, read out by screen readers. No jobs yet
 * means the request is on its way. Hook-free, strings passed in, as ComposerPanel.
 */
export function ShareStatus({ t, jobs: all, onRetry, onDismiss }: ShareStatusProps) {
  const sharedByInstagram = all.filter((job) => job.sharedByInstagram).map((job) => job.targetName);
  const jobs = all.filter((job) => !job.sharedByInstagram);
  const failed = jobs.filter((job) => job.state === "failed");
  const signIn = jobs.find((job) => job.state === "needs-signin");
  // A share for later waits for its time, not for us: it is as good as done.
  const pending =
    (jobs.length === 0 && sharedByInstagram.length === 0) ||
    jobs.some((job) => job.state === "sending" || (job.state === "queued" && job.scheduledFor === undefined));
  const shared = jobs.filter((job) => job.state === "shared" || job.scheduledFor !== undefined);
  const scheduledFor = Math.min(...shared.flatMap((job) => job.scheduledFor ?? []));

  // Only Facebook: the line reads as it always did; with other services, it names them.
  // Facebook first, then the others by name, however the shares are ordered.
  const services = [...new Set(jobs.map((job) => job.service))].sort(
    (a, b) => Number(b === "Facebook") - Number(a === "Facebook") || a.localeCompare(b),
  );
  const onlyFacebook = services.every((service) => service === "Facebook");
  const names = formatOf(t).list(services);

  let content: preact.ComponentChildren;
  if (pending) {
    content = onlyFacebook ? t("statusSharing") : t("statusSharingTo", [names]);
  } else if (failed.length > 0) {
    content = (
      <>
        {failed.map((job) => t("statusFailed", [job.targetName, job.error ?? ""])).join(" ")}{" "}
        <button type="button" class="link" onClick={onRetry}>
          {t("retry")}
        </button>
      </>
    );
  } else if (signIn) {
    content = t("statusNeedsSignin", [signIn.targetName]);
  } else if (shared.length > 0) {
    content = (
      <>
        {Number.isFinite(scheduledFor)
          ? t("statusScheduled", [formatOf(t).dateTime(scheduledFor)])
          : onlyFacebook
            ? t("statusShared")
            : t("statusSharedTo", [names])}
        {/* A share the user confirmed by looking at the Page has no link: Facebook never gave one. */}
        {shared.flatMap(({ id, postUrl, targetName, service }) =>
          postUrl
            ? [
                <span key={id}>
                  {" · "}
                  <a href={postUrl} target="_blank" rel="noopener noreferrer">
                    {shared.length > 1
                      ? `${t("viewPost")} (${onlyFacebook ? targetName : t("accountOnService", [targetName, service])})`
                      : t("viewPost")}
                  </a>
                </span>,
              ]
            : [],
        )}
      </>
    );
  } else if (sharedByInstagram.length === 0) {
    return null;
  }
  const { locale, dir } = formatOf(t);
  return (
    <div class="status" role="status" aria-live="polite" lang={locale} dir={dir}>
      {sharedByInstagram.map((name) => (
        <span key={name}>{t("statusSharedByInstagram", [name])} </span>
      ))}
      {content && <span>{content}</span>}
      {!pending && (
        <button type="button" class="close" aria-label={t("dismiss")} onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
