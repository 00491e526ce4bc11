import { useEffect, useState } from "preact/hooks";
import type { CaptionRules } from "@/lib/caption/rules";
import {
  type AppIdVerdict,
  appIdVerdict,
  canSaveAppId,
  type TokenCheckView,
} from "@/lib/messages/link-checks";
import type { AccountView, AppSetupView, ConnectionView, SignInCheckView } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";
import { PagePicker, SignInReport, TokenReport } from "./LinkReports";
import { type PreviewPage, SharePreview } from "./SharePreview";
import type { Api } from "./useApi";
import { type Notice, useOneAction } from "./useOneAction";

export interface LinkWizardProps {
  api: Api;
  accounts: AccountView[];
  /** The page's status line (the same notice as AccountsSection's). */
  onNotice: (notice: Notice) => void;
  copy: (text: string) => Promise<void>;
  /** The user's caption rules, for the share preview; absent until the settings are read. */
  caption?: CaptionRules;
}

/**
 * Linking, step by step, each step checked as it is done: the Meta app (redirect URL, App ID), a
 * test sign-in (permissions granted, Pages one may post to), or a pasted Page token; then a preview
 * of what a share will look like. Nothing is posted.
 */
export function LinkWizard({ api, accounts, onNotice, copy, caption }: LinkWizardProps) {
  const t = useT();
  const format = useFormat();
  const [app, setApp] = useState<AppSetupView>();
  const [appId, setAppId] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const [copied, setCopied] = useState<"yes" | "failed">();
  const [signIn, setSignIn] = useState<SignInCheckView>();
  const [connection, setConnection] = useState<ConnectionView>();
  const [token, setToken] = useState("");
  const [tokenCheck, setTokenCheck] = useState<TokenCheckView>();
  const { busy, run, fail } = useOneAction(onNotice);

  useEffect(() => {
    api("accounts.app", {}).then((setup) => {
      setApp(setup);
      setAppId(setup.appId ?? "");
    }, fail);
  }, [api]);

  const verdict = appIdVerdict(appId);

  const copyRedirect = () => {
    if (!app) return;
    copy(app.redirectUrl).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };

  const saveApp = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const secret = appSecret.trim();
      setApp(await api("accounts.setApp", { appId: appId.trim(), ...(secret && { appSecret: secret }) }));
      setAppSecret("");
      setSignIn(undefined);
      onNotice({ text: t("appSaved"), error: false });
    });
  };

  const removeSecret = () =>
    void run(async () => {
      setApp(await api("accounts.setApp", { appId: app?.appId ?? appId.trim(), appSecret: null }));
      onNotice({ text: t("secretRemoved"), error: false });
    });

  /** The test sign-in: its report, and the Pages to pick when posting would work. */
  const connect = () =>
    void run(async () => {
      setSignIn(undefined);
      setConnection(undefined);
      const report = await api("accounts.checkSignIn", {});
      setSignIn(report);
      if (report.outcome === "checked" && report.connectionId && report.pages) {
        setConnection({ connectionId: report.connectionId, pages: report.pages });
        onNotice({ text: report.pages.length === 0 ? t("noPagesFound") : t("pickPages"), error: false });
      }
    });

  const linkPicked = (picked: string[]) => {
    if (!connection) return;
    void run(async () => {
      const linked = await api("accounts.linkPages", {
        connectionId: connection.connectionId,
        pageIds: picked,
      });
      setConnection(undefined);
      onNotice({ text: t("linkedAs", [format.list(linked.map((account) => account.name))]), error: false });
    });
  };

  const checkToken = () =>
    void run(async () => {
      setTokenCheck(undefined);
      setTokenCheck(await api("accounts.checkToken", { token: token.trim() }));
    });

  const linkToken = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const account = await api("accounts.linkToken", { token: token.trim() });
      setToken("");
      setTokenCheck(undefined);
      onNotice({ text: t("linkedAs", [account.name]), error: false });
    });
  };

  return (
    <div class="wizard" aria-busy={busy}>
      <h3 id="wizard-app-heading">{t("facebookLogin")}</h3>
      <ol class="wizard-steps">
        <li>{t("stepCreateApp")}</li>
        <li>
          {t("stepRedirect")}
          <div class="inline copy-line">
            <code id="redirect-url">{app?.redirectUrl}</code>
            <button type="button" onClick={copyRedirect} disabled={!app}>
              {t("wizardCopy")}
            </button>
          </div>
          <p class={copied === "failed" ? "error-text" : "ok-text"} role="status">
            {copied && t(copied === "yes" ? "wizardCopied" : "wizardCopyFailed")}
          </p>
        </li>
        <li>
          <form onSubmit={saveApp}>
            {t("stepCopyIds")}
            <label for="app-id">{t("appId")}</label>
            <input
              id="app-id"
              type="text"
              inputMode="numeric"
              autocomplete="off"
              spellcheck={false}
              aria-describedby="app-id-check"
              aria-invalid={verdict.state !== "empty" && !canSaveAppId(verdict)}
              value={appId}
              onInput={(event) => setAppId(event.currentTarget.value)}
            />
            <AppIdCheck verdict={verdict} />
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
            <p>
              <button type="submit" disabled={busy || !canSaveAppId(verdict)}>
                {t("saveApp")}
              </button>
            </p>
          </form>
        </li>
        <li>
          {t("stepTestSignIn")}
          <p class="muted">{t("instagramScopeHelp")}</p>
          <p>
            <button type="button" class="primary" onClick={connect} disabled={busy || !app?.appId}>
              {t("connectFacebook")}
            </button>
          </p>
          {signIn && <SignInReport report={signIn} savedAppId={app?.appId} />}
          {connection && connection.pages.length > 0 && (
            <PagePicker
              connection={connection}
              busy={busy}
              onLink={linkPicked}
              onCancel={() => setConnection(undefined)}
            />
          )}
        </li>
      </ol>

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
            onInput={(event) => {
              setToken(event.currentTarget.value);
              setTokenCheck(undefined);
            }}
          />
          <button type="button" onClick={checkToken} disabled={busy || token.trim().length < 10}>
            {t("tokenCheck")}
          </button>
          <button type="submit" class="primary" disabled={busy || token.trim().length === 0}>
            {busy ? t("linking") : t("link")}
          </button>
        </div>
      </form>
      {tokenCheck && <TokenReport check={tokenCheck} />}

      {caption && <SharePreview rules={caption} pages={previewPages(accounts, signIn, tokenCheck)} />}
    </div>
  );
}

/** The App ID's format, judged as it is typed: what is wrong with it, in plain words. */
function AppIdCheck({ verdict }: { verdict: AppIdVerdict }) {
  const t = useT();
  const format = useFormat();
  const line = (text: string, tone: "muted" | "ok-text" | "warning-text" | "error-text") => (
    <p id="app-id-check" class={tone}>
      {text}
    </p>
  );
  switch (verdict.state) {
    case "empty":
      return line(t("appIdCheckEmpty"), "muted");
    case "ok":
      return line(t("appIdCheckOk", [format.number(verdict.digits)]), "ok-text");
    case "unusual-length":
      return line(t("appIdCheckUnusual", [format.number(verdict.digits)]), "warning-text");
    case "bad-length":
      return line(t("appIdCheckLength", [format.number(verdict.digits)]), "error-text");
    case "looks-like-secret":
      return line(t("appIdCheckSecret"), "error-text");
    case "not-digits":
      return line(t("appIdCheckDigits"), "error-text");
  }
}

/** The Pages a share can be previewed to: linked ones first, then those just checked. */
function previewPages(
  accounts: AccountView[],
  signIn: SignInCheckView | undefined,
  token: TokenCheckView | undefined,
): PreviewPage[] {
  const pages: PreviewPage[] = accounts
    .filter((account) => account.kind === "page")
    .map((account) => ({ id: account.id, name: account.name, pictureUrl: account.pictureUrl }));
  const checked = [
    ...(signIn?.outcome === "checked" ? (signIn.pages ?? []).filter((page) => page.canPost) : []),
    ...(token?.kind === "page" ? [{ id: token.pageId, name: token.pageName }] : []),
  ];
  for (const page of checked) {
    if (!pages.some((known) => known.id === page.id)) pages.push(page);
  }
  return pages;
}
