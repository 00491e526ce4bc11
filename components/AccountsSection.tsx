import { useEffect, useState } from "preact/hooks";
import type { AccountView } from "@/lib/messages/views";
import { AccountList } from "./AccountList";
import { useT } from "./i18n";
import type { Api } from "./useApi";

export interface Notice {
  text: string;
  error: boolean;
}

export interface AccountsSectionProps {
  api: Api;
  /** Accounts changed: the page refreshes what depends on them. */
  onChange: () => Promise<void>;
  onNotice: (notice: Notice) => void;
}

const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

/** Options › Accounts: what is linked, whether each link works, and how to link more. */
export function AccountsSection({ api, onChange, onNotice }: AccountsSectionProps) {
  const t = useT();
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [token, setToken] = useState("");
  const [linking, setLinking] = useState(false);

  const reload = async () => {
    setAccounts(await api("accounts.list", {}));
    await onChange();
  };
  useEffect(() => {
    api("accounts.list", {}).then(setAccounts, (reason) =>
      onNotice({ text: messageOf(reason), error: true }),
    );
  }, [api]);

  const link = async (event: Event) => {
    event.preventDefault();
    setLinking(true);
    try {
      const account = await api("accounts.linkToken", { token: token.trim() });
      setToken("");
      onNotice({ text: t("linkedAs", [account.name]), error: false });
      await reload();
    } catch (reason) {
      onNotice({ text: messageOf(reason), error: true });
    } finally {
      setLinking(false);
    }
  };

  return (
    <section aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">{t("accounts")}</h2>
      <AccountList
        accounts={accounts}
        onUnlink={(account) =>
          void api("accounts.unlink", { id: account.id, queuedJobs: "cancel" }).then(reload, (reason) =>
            onNotice({ text: messageOf(reason), error: true }),
          )
        }
      />
      <form onSubmit={link}>
        <label for="page-token">{t("pageToken")}</label>
        <p class="muted">{t("tokenHelp")}</p>
        <div class="inline">
          <input
            id="page-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
          <button type="submit" class="primary" disabled={linking || token.trim().length === 0}>
            {linking ? t("linking") : t("link")}
          </button>
        </div>
      </form>
    </section>
  );
}
