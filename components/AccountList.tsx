import { serviceOfAccount } from "@/lib/messages/service-names";
import { type AccountView, tokenHealth } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";

export interface AccountListProps {
  accounts: AccountView[];
  /** For "expires in N days"; defaults to the time of drawing. */
  now?: number;
  onUnlink?: (account: AccountView) => void;
  /** Shown for a Page whose link died or is about to. */
  onSignInAgain?: (account: AccountView) => void;
}

/** Linked accounts by name, each with whether its link still works and for how long. */
export function AccountList({ accounts, now = Date.now(), onUnlink, onSignInAgain }: AccountListProps) {
  const t = useT();
  const format = useFormat();
  if (accounts.length === 0) return <p class="muted">{t("noAccounts")}</p>;
  return (
    <ul class="accounts">
      {accounts.map((account) => {
        const health = tokenHealth(account, now);
        const label =
          health.state === "needs-signin"
            ? t("statusNeedsSignin")
            : health.state === "expires"
              ? health.days === 0
                ? t("expiresToday")
                : t("expiresIn", [format.inDays(health.days)])
              : t("statusOk");
        const warn = health.state === "needs-signin" || (health.state === "expires" && health.warn);
        return (
          <li key={account.id} data-account-id={account.id}>
            {account.pictureUrl && (
              <img class="account-picture" src={account.pictureUrl} alt="" width={24} height={24} />
            )}
            <span class="account-name">{account.name}</span>
            {account.handle && (
              <span class="muted">{t("accountOnService", [account.handle, serviceOfAccount(account)])}</span>
            )}
            {account.kind === "profile" ? (
              <span class="muted">{t("profileRoute")}</span>
            ) : (
              <span class={`health health-${warn ? "needs-signin" : "ok"}`}>{label}</span>
            )}
            {account.instagram && (
              <span
                class={
                  account.instagram.state === "no-permission" ? "instagram-link warn" : "instagram-link muted"
                }
              >
                {account.instagram.state === "linked"
                  ? t("instagramLinked", [`@${account.instagram.username}`])
                  : account.instagram.state === "none"
                    ? t("instagramNone")
                    : t("instagramNoPermission")}
              </span>
            )}
            {onSignInAgain && account.kind !== "profile" && warn && (
              <button type="button" class="primary" onClick={() => onSignInAgain(account)}>
                {t("signInAgain")}
              </button>
            )}
            {onUnlink && (
              <button type="button" onClick={() => onUnlink(account)}>
                {t("unlink")}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
