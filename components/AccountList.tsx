import type { AccountView } from "@/lib/messages/views";
import { useT } from "./i18n";

export interface AccountListProps {
  accounts: AccountView[];
  onUnlink?: (account: AccountView) => void;
}

/** Linked accounts by name, each with whether its link still works. */
export function AccountList({ accounts, onUnlink }: AccountListProps) {
  const t = useT();
  if (accounts.length === 0) return <p class="muted">{t("noAccounts")}</p>;
  return (
    <ul class="accounts">
      {accounts.map((account) => (
        <li key={account.id}>
          <span class="account-name">{account.name}</span>
          <span class={`health health-${account.status}`}>
            {account.status === "ok" ? t("statusOk") : t("statusNeedsSignin")}
          </span>
          {onUnlink && (
            <button type="button" onClick={() => onUnlink(account)}>
              {t("unlink")}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
