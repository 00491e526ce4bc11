import { useEffect, useState } from "preact/hooks";
import type { Diagnostics } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";
import { type Api, errorMessage } from "./useApi";

export interface DiagnosticsSectionProps {
  api: Api;
  copy: (text: string) => Promise<void>;
}

function Entries({ items, empty }: { items: Diagnostics["errors"]; empty: string }) {
  const format = useFormat();
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="log">
      {items.map((item, index) => (
        <li key={`${item.at}-${index}`}>
          <time dateTime={new Date(item.at).toISOString()}>{format.dateTime(item.at)}</time> {item.message}
        </li>
      ))}
    </ul>
  );
}

/** Options › Diagnostics: what went wrong lately, and a report to paste into a bug (no tokens in it). */
export function DiagnosticsSection({ api, copy }: DiagnosticsSectionProps) {
  const t = useT();
  const [diagnostics, setDiagnostics] = useState<Diagnostics>();
  const [outcome, setOutcome] = useState<{ text: string; error: boolean }>();

  const load = () =>
    api("data.diagnostics", {}).then(setDiagnostics, (reason: unknown) =>
      setOutcome({ text: errorMessage(reason), error: true }),
    );
  useEffect(() => {
    void load();
  }, [api]);

  const copyReport = async () => {
    if (!diagnostics) return;
    try {
      await copy(diagnostics.report);
      setOutcome({ text: t("diagCopied"), error: false });
    } catch {
      setOutcome({ text: t("diagCopyFailed"), error: true });
    }
  };

  return (
    <section id="diagnostics" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">{t("diagTitle")}</h2>
      {diagnostics && (
        <>
          <dl class="facts">
            <dt>{t("diagExtensionVersion")}</dt>
            <dd>{diagnostics.about.extensionVersion}</dd>
            <dt>{t("diagBrowser")}</dt>
            <dd>{diagnostics.about.browser}</dd>
          </dl>
          <h3>{t("diagComposer")}</h3>
          <Entries items={diagnostics.unrecognized} empty={t("diagComposerNone")} />
          <h3>{t("diagErrors")}</h3>
          <Entries items={diagnostics.errors} empty={t("diagErrorsNone")} />
          <label for="diag-report">{t("diagReport")}</label>
          <p class="muted">{t("diagReportHelp")}</p>
          <textarea id="diag-report" readOnly rows={8} value={diagnostics.report} />
          <div class="inline">
            <button type="button" onClick={() => void copyReport()}>
              {t("diagCopy")}
            </button>
            <button type="button" onClick={() => void load()}>
              {t("diagRefresh")}
            </button>
          </div>
        </>
      )}
      {outcome && (
        <p class={outcome.error ? "error-text" : "muted"} role={outcome.error ? "alert" : "status"}>
          {outcome.text}
        </p>
      )}
    </section>
  );
}
