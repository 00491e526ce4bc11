import { useEffect, useState } from "preact/hooks";
import type { AccountView } from "@/lib/messages/views";
import type { Settings } from "@/lib/settings/schema";
import { AccountList } from "./AccountList";
import { useT } from "./i18n";
import { JobHistory } from "./JobHistory";
import { KINDS } from "./kinds";
import { type Api, errorMessage } from "./useApi";
import { useJobPages } from "./useJobPages";

/** The popup reads this many shares at first, and as many again for each "Show more". */
export const POPUP_PAGE = 10;
const REFRESH_MS = 1_500;

export interface PopupProps {
  api: Api;
  openOptions: () => void;
  now?: () => number;
}

/** The toolbar popup: linked accounts, auto-share, and the recent shares with their live state. */
export function Popup({ api, openOptions, now = Date.now }: PopupProps) {
  const t = useT();
  const [accounts, setAccounts] = useState<AccountView[]>();
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();
  const history = useJobPages(api, POPUP_PAGE);

  useEffect(() => {
    // One small request paints everything; the same one keeps the states live while open.
    const load = () =>
      api("popup.state", { limit: POPUP_PAGE }).then(
        (state) => {
          setAccounts(state.accounts);
          setSettings(state.settings);
          history.receiveFirst(state.jobs);
          setError(undefined);
        },
        (reason: unknown) => setError(errorMessage(reason)),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [api]);

  const setAutoShare = (kind: keyof Settings["autoShare"], on: boolean) => {
    if (!settings) return;
    const next = { ...settings, autoShare: { ...settings.autoShare, [kind]: on } };
    setSettings(next);
    api("settings.set", { settings: next }).then(setSettings, (reason: unknown) => {
      setSettings(settings);
      setError(errorMessage(reason));
    });
  };

  const needSignin = accounts?.filter((account) => account.status === "needs-signin") ?? [];
  const firstRun = accounts?.length === 0;

  return (
    <main class="popup">
      <header class="page-head">
        <h1>{t("popupTitle")}</h1>
        <button type="button" class="link-button" onClick={openOptions}>
          {t("popupSettings")}
        </button>
      </header>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {firstRun && (
        <section class="callout" aria-labelledby="popup-welcome">
          <h2 id="popup-welcome">{t("popupWelcomeTitle")}</h2>
          <p>{t("popupWelcomeText")}</p>
          <button type="button" class="primary" onClick={openOptions}>
            {t("openOptions")}
          </button>
        </section>
      )}
      {needSignin.length > 0 && (
        <section class="callout callout-warning" aria-labelledby="popup-signin">
          <h2 id="popup-signin">{t("popupSigninTitle")}</h2>
          <p>{t("popupSigninText", [needSignin.map((account) => account.name).join(", ")])}</p>
          <button type="button" class="primary" onClick={openOptions}>
            {t("popupSigninAction")}
          </button>
        </section>
      )}
      {accounts && accounts.length > 0 && (
        <section aria-labelledby="popup-accounts">
          <h2 id="popup-accounts">{t("accounts")}</h2>
          <AccountList accounts={accounts} />
        </section>
      )}
      {settings && accounts && accounts.length > 0 && (
        <section aria-labelledby="popup-auto">
          <h2 id="popup-auto">{t("popupAutoShare")}</h2>
          <div class="switches">
            {KINDS.map(([kind, label]) => (
              <label key={kind} class="check">
                <input
                  type="checkbox"
                  role="switch"
                  aria-checked={settings.autoShare[kind]}
                  checked={settings.autoShare[kind]}
                  onChange={(event) => setAutoShare(kind, event.currentTarget.checked)}
                />
                {t(label)}
              </label>
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="popup-shares">
        <h2 id="popup-shares">{t("recentShares")}</h2>
        <JobHistory api={api} history={history} now={now()} onError={setError} />
      </section>
    </main>
  );
}
