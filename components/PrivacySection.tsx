import { useEffect, useRef, useState } from "preact/hooks";
import { IMPORT_MAX_BYTES } from "@/lib/messages/protocol";
import type { Settings } from "@/lib/messages/views";
import { ConsentChoice, ConsentDisclosure } from "./ConsentChoice";
import { useFormat, useT } from "./i18n";
import { type Api, errorMessage } from "./useApi";

export interface PrivacySectionProps {
  api: Api;
  /** Saves a file the user can keep (the options page makes it a download). */
  download: (fileName: string, text: string) => void;
  /** Undefined while the settings load: then no consent control is shown yet. */
  settings: Settings | undefined;
  /** Saves the user's answer about reading Instagram. */
  onConsent: (readInstagram: boolean) => void;
}

type Outcome = { text: string; error: boolean };

/** Options › Privacy & data: what is kept and where, export, import, and deleting it all. */
export function PrivacySection({ api, download, settings, onConsent }: PrivacySectionProps) {
  const t = useT();
  const format = useFormat();
  const [includeTokens, setIncludeTokens] = useState(false);
  const [exportOutcome, setExportOutcome] = useState<Outcome>();
  const [importOutcome, setImportOutcome] = useState<Outcome>();
  const [clearOutcome, setClearOutcome] = useState<Outcome>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLFieldSetElement>(null);
  // Focus moves to the question, so keyboard and screen reader users meet it next.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const exportData = async () => {
    try {
      const file = await api("data.export", { includeTokens });
      download(file.fileName, file.text);
      setExportOutcome({ text: t("privacyExported", [file.fileName]), error: false });
    } catch (reason) {
      setExportOutcome({ text: errorMessage(reason), error: true });
    }
  };

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      // Checked here too, so a huge file is not even read into memory.
      if (file.size > IMPORT_MAX_BYTES) throw new Error(t("privacyTooBig"));
      const { accounts } = await api("data.import", { text: await file.text() });
      setImportOutcome({ text: t("privacyImported", [format.number(accounts)]), error: false });
    } catch (reason) {
      setImportOutcome({ text: errorMessage(reason), error: true });
    } finally {
      input.value = "";
      setBusy(false);
    }
  };

  const clearAll = async () => {
    setBusy(true);
    try {
      await api("data.clear", { confirm: "delete everything" });
      setConfirming(false);
      setClearOutcome({ text: t("privacyCleared"), error: false });
    } catch (reason) {
      setClearOutcome({ text: errorMessage(reason), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="privacy" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{t("privacyTitle")}</h2>
      <p>{t("privacyWhere")}</p>
      <ul class="bullets">
        <li>{t("privacyStoredAccounts")}</li>
        <li>{t("privacyStoredSettings")}</li>
        <li>{t("privacyStoredShares")}</li>
        <li>{t("privacyStoredLog")}</li>
      </ul>
      <p>{t("privacyNothingElse")}</p>
      <p>
        <a href="/privacy.html">{t("privacyPolicy")}</a>
      </p>

      <h3>{t("consentTitle")}</h3>
      <ConsentDisclosure level="h4" />
      {settings && <ConsentChoice consent={settings.consent} onAnswer={onConsent} />}

      <h3>{t("privacyExportTitle")}</h3>
      <p class="muted">{t("privacyExportHelp")}</p>
      <label class="check">
        <input
          type="checkbox"
          checked={includeTokens}
          onChange={(event) => setIncludeTokens(event.currentTarget.checked)}
        />
        {t("privacyIncludeTokens")}
      </label>
      {includeTokens && <p class="warning-text">{t("privacyTokensWarning")}</p>}
      <button type="button" onClick={() => void exportData()}>
        {t("privacyExport")}
      </button>
      {exportOutcome && (
        <p
          class={exportOutcome.error ? "error-text" : "muted"}
          role={exportOutcome.error ? "alert" : "status"}
        >
          {exportOutcome.text}
        </p>
      )}

      <h3>{t("privacyImportTitle")}</h3>
      <label for="privacy-import">{t("privacyImport")}</label>
      <p class="muted" id="privacy-import-help">
        {t("privacyImportHelp")}
      </p>
      <input
        id="privacy-import"
        type="file"
        accept="application/json,.json"
        aria-describedby="privacy-import-help"
        disabled={busy}
        onChange={(event) => void importFile(event.currentTarget)}
      />
      {importOutcome && (
        <p
          class={importOutcome.error ? "error-text import-outcome" : "ok-text import-outcome"}
          role={importOutcome.error ? "alert" : "status"}
        >
          {importOutcome.text}
        </p>
      )}

      <h3>{t("privacyClearTitle")}</h3>
      {confirming ? (
        <fieldset class="confirm" ref={confirmRef} tabIndex={-1}>
          <legend>{t("privacyClearConfirm")}</legend>
          <div class="inline">
            <button type="button" class="danger" disabled={busy} onClick={() => void clearAll()}>
              {t("privacyClearYes")}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("privacyClearNo")}
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          type="button"
          class="danger-outline"
          onClick={() => {
            setConfirming(true);
            setClearOutcome(undefined);
          }}
        >
          {t("privacyClear")}
        </button>
      )}
      {clearOutcome && (
        <p class={clearOutcome.error ? "error-text" : "muted"} role={clearOutcome.error ? "alert" : "status"}>
          {clearOutcome.text}
        </p>
      )}
    </section>
  );
}
