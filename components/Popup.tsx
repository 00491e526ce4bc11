import { useLayoutEffect, useState } from "preact/hooks";
import type { Subscribe, WatchEvent } from "@/lib/messages/pushes";
import type { AccountView, NewPostsView, PopupState, Settings } from "@/lib/messages/views";
import { AccountList } from "./AccountList";
import { useFormat, useT } from "./i18n";
import { JobHistory } from "./JobHistory";
import { KINDS } from "./kinds";
import { InstagramPostList, instagramLinks, useInstagramPosts } from "./PastPosts";
import { POPUP_PAGE, POPUP_POSTS } from "./popup-sizes";
import { type Api, errorMessage } from "./useApi";
import { useJobPages } from "./useJobPages";
import type { Notice } from "./useOneAction";

/** The longest the popup waits for its own read of the store before asking the background. */
const PEEK_WAIT_MS = 200;

export interface PopupProps {
  api: Api;
  /** What the background tells while the popup is open: it keeps the states live. */
  subscribe: Subscribe;
  /**
   * The same state read from the store without the background, for a first paint while a stopped
   * background starts; undefined when only the background can tell. Its answer replaces this one.
   */
  peekState?: () => Promise<PopupState | undefined>;
  openOptions: () => void;
  now?: () => number;
}

/** The toolbar popup: linked accounts, auto-share, and the recent shares with their live state. */
export function Popup({ api, subscribe, peekState, openOptions, now = Date.now }: PopupProps) {
  const t = useT();
  const format = useFormat();
  const [accounts, setAccounts] = useState<AccountView[]>();
  const [settings, setSettings] = useState<Settings>();
  const [newPosts, setNewPosts] = useState<NewPostsView>();
  const [error, setError] = useState<string>();
  const [postsOpen, setPostsOpen] = useState(false);
  const [postsNotice, setPostsNotice] = useState<Notice>();
  const history = useJobPages(api, POPUP_PAGE);
  // A Graph call: read once the popup's own state has painted, and only when a Page has an Instagram account.
  const instagram = useInstagramPosts(
    api,
    (accounts && instagramLinks(accounts)) || undefined,
    POPUP_POSTS,
    setError,
  );

  // Before the first paint, not after it: the stored rows, read by then, paint in the next frame.
  useLayoutEffect(() => {
    const show = (state: PopupState) => {
      setAccounts(state.accounts);
      setSettings(state.settings);
      setNewPosts(state.newPosts);
      history.receiveFirst(state.jobs);
    };
    let answered = false;
    // One small request paints everything; then the background pushes what changes.
    const load = () =>
      api("popup.state", { limit: POPUP_PAGE }).then(
        (state) => {
          answered = true;
          show(state);
          setError(undefined);
        },
        (reason: unknown) => setError(errorMessage(reason)),
      );
    let stop: (() => void) | undefined;
    let closed = false;
    const connect = () => {
      if (closed || stop) return;
      stop = subscribe((event: WatchEvent) => {
        if (event.type === "job.changed") {
          history.receive(event.payload.job);
          instagram.receive([event.payload.job]);
        } else if (event.type === "accounts.changed") setAccounts(event.payload.accounts);
        else if (event.type === "settings.changed") setSettings(event.payload.settings);
        // Data replaced, or pushes missed while the worker was stopped.
        else void load();
      });
      void load();
    };
    const peeked = peekState?.();
    // The stored rows paint first, and the background is asked after that frame: a stopped one,
    // woken, would start on the same CPU as the paint. A read that hangs holds it back no longer.
    const waited = setTimeout(connect, PEEK_WAIT_MS);
    if (peeked) {
      peeked
        .then(
          // The background's answer, whenever it comes, is the one kept.
          (state) => state && !answered && show(state),
          () => undefined,
        )
        .then(() => requestAnimationFrame(() => setTimeout(connect)));
    } else connect();
    return () => {
      closed = true;
      clearTimeout(waited);
      stop?.();
    };
  }, [api, subscribe, peekState]);

  const setAutoShare = (kind: keyof Settings["autoShare"], on: boolean) => {
    const show = (value: boolean) =>
      setSettings((current) => current && { ...current, autoShare: { ...current.autoShare, [kind]: value } });
    show(on);
    api("settings.update", { patch: { autoShare: { [kind]: on } } }).then(setSettings, (reason: unknown) => {
      show(!on);
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
        <Callout
          id="popup-welcome"
          title={t("popupWelcomeTitle")}
          text={t("popupWelcomeText")}
          action={t("openOptions")}
          onAction={openOptions}
        />
      )}
      {settings && settings.consent?.readInstagram !== true && (
        <Callout
          id="popup-consent"
          warning
          title={t("popupConsentTitle")}
          text={t("popupConsentText")}
          action={t("popupConsentAction")}
          onAction={openOptions}
        />
      )}
      {needSignin.length > 0 && (
        <Callout
          id="popup-signin"
          warning
          title={t("popupSigninTitle")}
          text={t("popupSigninText", [format.list(needSignin.map((account) => account.name))])}
          action={t("popupSigninAction")}
          onAction={openOptions}
        />
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
      {newPosts && (
        <p class={newPosts.lastError ? "error-text" : "muted"} id="popup-new-posts">
          {newPosts.lastCheckedAt === undefined
            ? t("newPostsNotYet")
            : t("newPostsLooked", [format.timeAgo(newPosts.lastCheckedAt, now())])}{" "}
          {newPosts.lastError}
        </p>
      )}
      {accounts && settings && instagramLinks(accounts) && (
        <section aria-labelledby="popup-instagram">
          {/* Shown folded: the list comes later (a Graph call), and the popup must not shift under the user. */}
          <h2 id="popup-instagram">
            <button
              type="button"
              class="link-button"
              aria-expanded={postsOpen}
              onClick={() => setPostsOpen(!postsOpen)}
            >
              {t("recentInstagramPosts")}
            </button>
          </h2>
          {postsOpen && (
            <>
              {instagram.lists?.map((list) => (
                <InstagramPostList
                  key={list.instagramId}
                  api={api}
                  list={list}
                  pages={accounts.filter((account) => account.kind === "page")}
                  caption={settings.caption}
                  onShared={instagram.receive}
                  onNotice={setPostsNotice}
                />
              ))}
              <p class={postsNotice?.error ? "error-text" : "muted"} role="status">
                {postsNotice?.text}
              </p>
            </>
          )}
        </section>
      )}
      <section aria-labelledby="popup-shares">
        <h2 id="popup-shares">{t("recentShares")}</h2>
        <JobHistory api={api} history={history} now={now()} onError={setError} />
      </section>
    </main>
  );
}

/** Something the user should do first, with the one button that does it. */
function Callout(props: {
  id: string;
  warning?: boolean;
  title: string;
  text: string;
  action: string;
  onAction: () => void;
}) {
  return (
    <section class={props.warning ? "callout callout-warning" : "callout"} aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <p>{props.text}</p>
      <button type="button" class="primary" onClick={props.onAction}>
        {props.action}
      </button>
    </section>
  );
}
