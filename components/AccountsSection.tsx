import { useState } from "preact/hooks";
import type { CaptionRules } from "@/lib/caption/rules";
import type { AccountView } from "@/lib/messages/views";
import { AccountList } from "./AccountList";
import { useT } from "./i18n";
import { LinkWizard } from "./LinkWizard";
import { ServicesSection } from "./ServicesSection";
import type { Api } from "./useApi";
import { type Notice, useOneAction } from "./useOneAction";

export interface AccountsSectionProps {
  api: Api;
  /** The linked accounts as the background last told the page; an action here changes them there. */
  accounts: AccountView[];
  onNotice: (notice: Notice) => void;
  /** Copies text to the clipboard (the redirect URL). */
  copy: (text: string) => Promise<void>;
  /** The user's caption rules, for the wizard's share preview. */
  caption?: CaptionRules;
  /** Asks the browser for host access, in the click (another service's server). */
  requestHosts: (origins: string[]) => Promise<boolean>;
}

/** Options › Accounts: what is linked, whether each link works, and how to link more. */
export function AccountsSection({
  api,
  accounts,
  onNotice,
  copy,
  caption,
  requestHosts,
}: AccountsSectionProps) {
  const t = useT();
  const [unlinking, setUnlinking] = useState<AccountView>();
  const [keepJobs, setKeepJobs] = useState(false);
  const { busy, run } = useOneAction(onNotice);
  const [elsewhere, setElsewhere] = useState<AccountView>();

  /**
   * A Page: a new sign-in, then that one Page linked again with the fresh token, no picking needed.
   * Another service's account: its form below, filled in with what is known.
   */
  const signInAgain = (account: AccountView) => {
    if (account.kind !== "page") {
      setElsewhere(account);
      onNotice({ text: t("signInAgainBelow", [account.handle ?? account.name]), error: false });
      return;
    }
    void run(async () => {
      const found = await api("accounts.connect", {});
      if (!found.pages.some((page) => page.id === account.id && page.canPost)) {
        throw new Error(t("pageNotFoundAtSignIn", [account.name]));
      }
      await api("accounts.linkPages", { connectionId: found.connectionId, pageIds: [account.id] });
      onNotice({ text: t("signedInAgain", [account.name]), error: false });
    });
  };

  const linkProfile = () =>
    void run(async () => {
      await api("accounts.linkProfile", {});
      onNotice({ text: t("profileLinked"), error: false });
    });

  const confirmUnlink = (event: Event) => {
    event.preventDefault();
    if (!unlinking) return;
    const account = unlinking;
    void run(async () => {
      await api("accounts.unlink", { id: account.id, queuedJobs: keepJobs ? "keep" : "cancel" });
      setUnlinking(undefined);
      onNotice({ text: t("unlinked", [account.name]), error: false });
    });
  };

  const hasProfile = accounts.some((account) => account.kind === "profile");

  return (
    <section aria-labelledby="accounts-heading" aria-busy={busy}>
      <h2 id="accounts-heading">{t("accounts")}</h2>
      <AccountList
        accounts={accounts}
        onUnlink={(account) => {
          setKeepJobs(false);
          setUnlinking(account);
        }}
        onSignInAgain={signInAgain}
      />

      {unlinking && (
        <form class="unlink-confirm" onSubmit={confirmUnlink} aria-labelledby="unlink-heading">
          <h3 id="unlink-heading">{t("unlinkQuestion", [unlinking.name])}</h3>
          <fieldset>
            <legend>{t("waitingShares")}</legend>
            <label class="check">
              <input
                type="radio"
                name="queued-jobs"
                checked={!keepJobs}
                onChange={() => setKeepJobs(false)}
              />
              {t("cancelWaiting")}
            </label>
            <label class="check">
              <input type="radio" name="queued-jobs" checked={keepJobs} onChange={() => setKeepJobs(true)} />
              {t("keepWaiting")}
            </label>
          </fieldset>
          <div class="inline">
            <button type="submit" class="primary" disabled={busy}>
              {t("unlink")}
            </button>
            <button type="button" onClick={() => setUnlinking(undefined)}>
              {t("keepLinked")}
            </button>
          </div>
        </form>
      )}

      <LinkWizard api={api} accounts={accounts} onNotice={onNotice} copy={copy} caption={caption} />

      <ServicesSection api={api} onNotice={onNotice} requestHosts={requestHosts} signInAgain={elsewhere} />

      <h3>{t("profileHeading")}</h3>
      <p class="muted">{t("profileHelp")}</p>
      <button type="button" onClick={linkProfile} disabled={busy || hasProfile}>
        {hasProfile ? t("profileAlreadyLinked") : t("linkProfile")}
      </button>
    </section>
  );
}
