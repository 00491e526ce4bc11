import type { Settings } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";

export interface ConsentChoiceProps {
  consent: Settings["consent"];
  /** The user's answer; the page saves it (with the time) and hands the stored consent back. */
  onAnswer: (readInstagram: boolean) => void;
  busy?: boolean;
}

/**
 * The question the stores ask us to put before any reading: the answer so far, and the buttons
 * that change it. Shown on the first-run page and in the options' privacy section.
 */
export function ConsentChoice({ consent, onAnswer, busy = false }: ConsentChoiceProps) {
  const t = useT();
  const format = useFormat();
  if (consent?.readInstagram) {
    return (
      <div class="consent">
        <p class="ok-text" role="status">
          {t("consentGiven", [format.dateTime(consent.at ?? 0)])}
        </p>
        <button type="button" class="danger-outline" disabled={busy} onClick={() => onAnswer(false)}>
          {t("consentWithdraw")}
        </button>
      </div>
    );
  }
  return (
    <div class="consent">
      <p role="status">{consent ? t("consentDeclined") : t("consentAsk")}</p>
      <div class="inline">
        <button type="button" class="primary" disabled={busy} onClick={() => onAnswer(true)}>
          {t("consentAllow")}
        </button>
        {!consent && (
          <button type="button" disabled={busy} onClick={() => onAnswer(false)}>
            {t("consentNotNow")}
          </button>
        )}
      </div>
    </div>
  );
}

/** What alsoshare reads on instagram.com and where the data stays: the disclosure itself. */
export function ConsentDisclosure({ level }: { level: "h2" | "h4" }) {
  const t = useT();
  const Heading = level;
  return (
    <>
      <Heading>{t("consentReadsTitle")}</Heading>
      <p>{t("consentReads")}</p>
      <Heading>{t("consentStaysTitle")}</Heading>
      <p>{t("consentStays")}</p>
    </>
  );
}
