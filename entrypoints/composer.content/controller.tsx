import { render } from "preact";
import { ComposerPanel } from "@/components/ComposerPanel";
import { COMPOSER_CSS } from "@/components/composer-styles";
import { type Translate, TranslateContext } from "@/components/i18n";
import { ShareStatus } from "@/components/ShareStatus";
import { toFacebookMessage } from "@/lib/caption/rules";
import { acceptBridge } from "@/lib/instagram/bridge-receiver";
import { type CaptionStep, readCaption, watchComposer } from "@/lib/instagram/composer";
import { type PublishedPost, permalinkOf } from "@/lib/instagram/post";
import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { ComposerContext, JobView, Responses } from "@/lib/messages/views";

export interface ComposerApi {
  request<T extends RequestType>(type: T, payload: RequestPayload<T>): Promise<Responses[T]>;
  t: Translate;
}

/** What one opening of Instagram's composer has decided so far. */
interface Session {
  context?: ComposerContext;
  /** Set only by a real click on the switch; otherwise auto-share for the post's kind decides. */
  userChoice?: boolean;
  targets: string[];
  caption: string;
  editedMessage?: string;
  requested: boolean;
  panel?: { host: HTMLElement; step: CaptionStep; stop: AbortController };
}

const HOST_TAG = "alsoshare-panel";

function createHost(doc: Document, tag: string): { host: HTMLElement; root: HTMLElement } {
  const host = doc.createElement(tag);
  const isDark =
    doc.documentElement.classList.contains("dark") ||
    doc.documentElement.classList.contains("__fb-dark-mode") ||
    (doc.defaultView?.getComputedStyle(doc.documentElement).colorScheme ?? "").includes("dark");
  if (isDark) host.dataset.theme = "dark";
  // Open, as the UI contract says: assistive tech and tests can reach in; styles stay scoped.
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = COMPOSER_CSS;
  const root = doc.createElement("div");
  shadow.append(style, root);
  return { host, root };
}

/**
 * The switch's life in the page: one session per opening of the composer, the panel mounted on each
 * caption step, and at most one share request per session, sent when Instagram proves the post
 * was published and only if the switch was on for it.
 */
export function startComposer(win: Window, signal: AbortSignal, api: ComposerApi) {
  const doc = win.document;
  let session: Session | undefined;
  const status = createStatusLine(doc, signal, api);

  const panelOn = (current: Session, kind: PublishedPost["kind"] = "photo") =>
    current.userChoice ?? current.context?.settings.autoShare[kind] ?? false;

  const messageOf = (current: Session, post?: PublishedPost) => {
    if (current.editedMessage !== undefined) return { text: current.editedMessage, overLimit: false };
    const rules = current.context?.settings.caption;
    const caption = post?.caption ?? current.caption;
    return rules
      ? toFacebookMessage(caption, rules, post && permalinkOf(post))
      : { text: caption, overLimit: false };
  };

  const renderPanel = (current: Session) => {
    const panel = current.panel;
    if (!panel) return;
    const message = messageOf(current);
    const rerender = () => renderPanel(current);
    render(
      <TranslateContext.Provider value={api.t}>
        <ComposerPanel
          on={panelOn(current)}
          onToggle={() => {
            current.userChoice = !panelOn(current);
            rerender();
          }}
          accounts={current.context?.accounts ?? []}
          targets={current.targets}
          onTargetsChange={(ids) => {
            current.targets = ids;
            rerender();
          }}
          message={message.text}
          onMessageChange={(text) => {
            current.editedMessage = text;
            rerender();
          }}
          overLimit={message.overLimit}
        />
      </TranslateContext.Provider>,
      panel.host.shadowRoot?.lastElementChild ?? panel.host,
    );
  };

  const unmountPanel = (current: Session) => {
    current.panel?.stop.abort();
    current.panel?.host.remove();
    current.panel = undefined;
  };

  const mountPanel = (current: Session, step: CaptionStep) => {
    unmountPanel(current);
    const { host } = createHost(doc, HOST_TAG);
    const anchor = step.captionEditor.parentElement;
    if (anchor && anchor !== step.dialog) anchor.after(host);
    else step.captionEditor.after(host);
    const stop = new AbortController();
    current.panel = { host, step, stop };
    current.caption = readCaption(step);
    step.captionEditor.addEventListener(
      "input",
      () => {
        current.caption = readCaption(step);
        renderPanel(current);
      },
      { signal: stop.signal },
    );
    renderPanel(current);
  };

  const onPublished = async (post: PublishedPost) => {
    const current = session;
    if (!current || current.requested) return;
    current.requested = true;
    if (!panelOn(current, post.kind) || current.targets.length === 0) return;
    const message = messageOf(current, post).text;
    status.show(post.pk, []);
    try {
      status.show(post.pk, await api.request("share.request", { post, targets: current.targets, message }));
    } catch (error) {
      status.fail(error instanceof Error ? error.message : String(error));
    }
  };

  acceptBridge(win, (post) => void onPublished(post), signal);

  const begin = () =>
    watchComposer({
      root: doc,
      signal,
      onComposerOpen() {
        if (session) unmountPanel(session);
        const current: Session = { targets: [], caption: "", requested: false };
        session = current;
        void api.request("composer.context", {}).then(
          (context) => {
            current.context = context;
            current.targets = context.proposedTargets;
            renderPanel(current);
          },
          () => undefined,
        );
      },
      onCaptionStep(step) {
        if (session) mountPanel(session, step);
      },
      onComposerClosed() {
        // The session lives on until the next composer: Instagram's answer may still be coming.
        if (session) unmountPanel(session);
      },
      onUnrecognized(reason) {
        void api.request("composer.unrecognized", { reason }).catch(() => undefined);
      },
    });
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", begin, { once: true, signal });
  else begin();

  signal.addEventListener("abort", () => session && unmountPanel(session), { once: true });
  return { onShareUpdate: status.update };
}

/** The in-page line under Instagram's dialog that follows one share until it ends. */
function createStatusLine(doc: Document, signal: AbortSignal, api: ComposerApi) {
  let host: HTMLElement | undefined;
  let pk: string | undefined;

  const draw = (content: preact.ComponentChildren) => {
    if (!host) {
      host = createHost(doc, "alsoshare-status").host;
      host.style.cssText =
        "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647";
      doc.body.append(host);
      signal.addEventListener("abort", () => host?.remove(), { once: true });
    }
    render(
      <TranslateContext.Provider value={api.t}>{content}</TranslateContext.Provider>,
      host.shadowRoot?.lastElementChild ?? host,
    );
  };
  const dismiss = () => {
    pk = undefined;
    draw(null);
  };
  const show = (postPk: string, jobs: JobView[]) => {
    pk = postPk;
    draw(
      <ShareStatus
        jobs={jobs}
        onRetry={() =>
          void api.request("share.retry", { pk: postPk }).then((next) => show(postPk, next), fail)
        }
        onDismiss={dismiss}
      />,
    );
  };
  const fail = (reason: unknown) =>
    draw(
      <div class="status" role="status">
        {api.t("statusFailed", ["Facebook", reason instanceof Error ? reason.message : String(reason)])}
      </div>,
    );
  return {
    show,
    fail,
    /** A newer state of a post we are showing (from the background). */
    update(postPk: string, jobs: JobView[]) {
      if (postPk === pk) show(postPk, jobs);
    },
  };
}
