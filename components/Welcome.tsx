import { useEffect, useState } from "preact/hooks";
import type { Settings } from "@/lib/messages/views";
import { ConsentChoice, ConsentDisclosure } from "./ConsentChoice";
import { useT } from "./i18n";
import { type Api, errorMessage } from "./useApi";

export interface WelcomeProps {
  api: Api;
  now: () => number;
}

/** The first-run page: what alsoshare does and reads, where data stays, and the user's consent. */
export function Welcome({ api, now }: WelcomeProps) {
  const t = useT();
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api("settings.get", {}).then(setSettings, (reason: unknown) => setError(errorMessage(reason)));
  }, [api]);

  const answer = async (readInstagram: boolean) => {
    setBusy(true);
    try {
      setSettings(await api("settings.update", { patch: { consent: { readInstagram, at: now() } } }));
      setError(undefined);
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="options">
      <header class="page-head">
        <h1>{t("welcomeTitle")}</h1>
      </header>
      <p>{t("welcomeWhat")}</p>
      <ConsentDisclosure level="h2" />
      {settings && (
        <ConsentChoice consent={settings.consent} busy={busy} onAnswer={(given) => void answer(given)} />
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {/* Paragraphs, not a tight list: each link keeps a target the size WCAG 2.2 asks. */}
      <p>
        <a href="/options.html#accounts-heading">{t("welcomeLinkPage")}</a>
      </p>
      <p>
        <a href="/privacy.html">{t("privacyPolicy")}</a>
      </p>
    </main>
  );
}
