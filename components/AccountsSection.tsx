import { useEffect, useState } from "preact/hooks";
import type { AccountView, AppSetupView, ConnectionView } from "@/lib/messages/views";
import { AccountList } from "./AccountList";
import { useFormat, useT } from "./i18n";
import { type Api, errorMessage } from "./useApi";

export interface Notice {
  text: string;
  error: boolean;
}

export interface AccountsSectionProps {
  api: Api;
  /** The linked accounts as the background last told the page; an action here changes them there. */
  accounts: AccountView[];
  onNotice: (notice: Notice) => void;
}

/** Options › Accounts: what is linked, whether each link works, and how to link more. */
export function AccountsSection({ api, accounts, onNotice }: AccountsSectionProps) {
  const t = useT();
  const format = useFormat();
  const [app, setApp] = useState<AppSetupView>();
  const [appId, setAppId] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const [connection, setConnection] = useState<ConnectionView>();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [unlinking, setUnlinking] = useState<AccountView>();
  const [keepJobs, setKeepJobs] = useState(false);
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);

  const fail = (reason: unknown) => onNotice({ text: errorMessage(reason), error: true });
  useEffect(() => {
    api("accounts.app", {}).then((setup) => {
      setApp(setup);
      setAppId(setup.appId ?? "");
    }, fail);
  }, [api]);

  /** One action at a time; its failure becomes the page's notice. */
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (reason) {
      fail(reason);
    } finally {
      setBusy(false);
    }
  };

  const saveApp = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const secret = appSecret.trim();
      setApp(await api("accounts.setApp", { appId: appId.trim(), ...(secret && { appSecret: secret }) }));
      setAppSecret("");
      onNotice({ text: t("appSaved"), error: false });
    });
  };

  const removeSecret = () =>
    void run(async () => {
      setApp(await api("accounts.setApp", { appId: app?.appId ?? appId.trim(), appSecret: null }));
      onNotice({ text: t("secretRemoved"), error: false });
    });

  const connect = () =>
    void run(async () => {
      setConnection(undefined);
      const found = await api("accounts.connect", {});
      setPicked(new Set(found.pages.filter((page) => page.linked && page.canPost).map((page) => page.id)));
      setConnection(found);
      onNotice({ text: found.pages.length === 0 ? t("noPagesFound") : t("pickPages"), error: false });
    });

  const linkPicked = (event: Event) => {
    event.preventDefault();
    if (!connection) return;
    void run(async () => {
      const linked = await api("accounts.linkPages", {
        connectionId: connection.connectionId,
        pageIds: [...picked],
      });
      setConnection(undefined);
      onNotice({ text: t("linkedAs", [format.list(linked.map((account) => account.name))]), error: false });
    });
  };

  /** A new sign-in, then that one Page linked again with the fresh token; no picking needed. */
  const signInAgain = (account: AccountView) =>
    void run(async () => {
      const found = await api("accounts.connect", {});
      if (!found.pages.some((page) => page.id === account.id && page.canPost)) {
        throw new Error(t("pageNotFoundAtSignIn", [account.name]));
      }
      await api("accounts.linkPages", { connectionId: found.connectionId, pageIds: [account.id] });
      onNotice({ text: t("signedInAgain", [account.name]), error: false });
    });

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

  const linkToken = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const account = await api("accounts.linkToken", { token: token.trim() });
      setToken("");
      onNotice({ text: t("linkedAs", [account.name]), error: false });
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

      <h3>{t("facebookLogin")}</h3>
      <form onSubmit={saveApp}>
        <ol class="steps muted">
          <li>{t("stepCreateApp")}</li>
          <li>
            {t("stepRedirect")} <code id="redirect-url">{app?.redirectUrl}</code>
          </li>
          <li>{t("stepCopyIds")}</li>
        </ol>
        <p class="muted">{t("instagramScopeHelp")}</p>
        <label for="app-id">{t("appId")}</label>
        <input
          id="app-id"
          inputMode="numeric"
          autocomplete="off"
          spellcheck={false}
          value={appId}
          onInput={(event) => setAppId(event.currentTarget.value)}
        />
        <label for="app-secret">{t("appSecret")}</label>
        <p class="muted">{app?.hasSecret ? t("secretStored") : t("secretHelp")}</p>
        <div class="inline">
          <input
            id="app-secret"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={appSecret}
            onInput={(event) => setAppSecret(event.currentTarget.value)}
          />
          {app?.hasSecret && (
            <button type="button" onClick={removeSecret} disabled={busy}>
              {t("removeSecret")}
            </button>
          )}
        </div>
        <div class="inline">
          <button type="submit" disabled={busy || !/^\d{5,20}$/.test(appId.trim())}>
            {t("saveApp")}
          </button>
          <button type="button" class="primary" onClick={connect} disabled={busy || !app?.appId}>
            {t("connectFacebook")}
          </button>
        </div>
      </form>

      {connection && connection.pages.length > 0 && (
        <form class="page-picker" onSubmit={linkPicked}>
          <fieldset>
            <legend>{t("pickPages")}</legend>
            {connection.pages.map((page) => (
              <label key={page.id} class="check">
                <input
                  type="checkbox"
                  value={page.id}
                  disabled={!page.canPost}
                  checked={picked.has(page.id)}
                  onChange={(event) => {
                    const next = new Set(picked);
                    if (event.currentTarget.checked) next.add(page.id);
                    else next.delete(page.id);
                    setPicked(next);
                  }}
                />
                {page.pictureUrl && <img src={page.pictureUrl} alt="" width={24} height={24} />}
                <span class="page-name">{page.name}</span>
                {!page.canPost && <span class="muted"> — {t("cannotPost")}</span>}
                {page.linked && <span class="muted"> — {t("alreadyLinked")}</span>}
              </label>
            ))}
          </fieldset>
          <div class="inline">
            <button type="submit" class="primary" disabled={busy || picked.size === 0}>
              {t("linkPicked")}
            </button>
            <button type="button" onClick={() => setConnection(undefined)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}

      <h3>{t("profileHeading")}</h3>
      <p class="muted">{t("profileHelp")}</p>
      <button type="button" onClick={linkProfile} disabled={busy || hasProfile}>
        {hasProfile ? t("profileAlreadyLinked") : t("linkProfile")}
      </button>

      <h3>{t("pasteTokenHeading")}</h3>
      <form onSubmit={linkToken}>
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
          <button type="submit" class="primary" disabled={busy || token.trim().length === 0}>
            {busy ? t("linking") : t("link")}
          </button>
        </div>
      </form>
    </section>
  );
}
