import { render } from "preact";
import { COMPOSER_CSS } from "@/components/composer-styles";
import type { Translate } from "@/components/i18n";
import { ShareStatus } from "@/components/ShareStatus";
import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { Responses, ShareStatusView } from "@/lib/messages/views";

/** What our UI in Instagram's pages needs from the extension: its messages and its strings. */
export interface InPageApi {
  request<T extends RequestType>(type: T, payload: RequestPayload<T>): Promise<Responses[T]>;
  t: Translate;
}

/** Our own element in Instagram's page: an open shadow root with our styles, in the page's theme. */
export function createHost(doc: Document, tag: string): HTMLElement {
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
  shadow.append(style, doc.createElement("div"));
  return host;
}

export const renderInto = (host: HTMLElement, content: preact.ComponentChildren) =>
  render(content, host.shadowRoot?.lastElementChild ?? host);

/** The in-page line under Instagram's dialog that follows one share until it ends. */
export function createStatusLine(doc: Document, signal: AbortSignal, api: InPageApi) {
  let host: HTMLElement | undefined;
  let pk: string | undefined;
  let reads = 0;

  const draw = (content: preact.ComponentChildren) => {
    if (!host) {
      host = createHost(doc, "alsoshare-status");
      host.style.cssText =
        "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647";
      doc.body.append(host);
      signal.addEventListener("abort", () => host?.remove(), { once: true });
    }
    renderInto(host, content);
  };
  const dismiss = () => {
    pk = undefined;
    draw(null);
  };
  const show = (postPk: string, jobs: ShareStatusView[]) => {
    pk = postPk;
    draw(
      <ShareStatus
        t={api.t}
        jobs={jobs}
        onRetry={() =>
          void api.request("share.retry", { pk: postPk }).then((next) => show(postPk, next), fail)
        }
        onDismiss={dismiss}
      />,
    );
  };
  const explain = (content: preact.ComponentChildren) =>
    draw(
      <div class="status" role="status" aria-live="polite">
        {content}
      </div>,
    );
  const fail = (reason: unknown) =>
    explain(api.t("statusFailed", ["Facebook", reason instanceof Error ? reason.message : String(reason)]));
  return {
    show,
    fail,
    /** Instagram could not be asked whether the post is real: nothing is shared until it answers. */
    unconfirmed(retry: () => void) {
      pk = undefined;
      explain(
        <>
          {api.t("statusUnconfirmed")}{" "}
          <button type="button" class="link" onClick={(event) => event.isTrusted && retry()}>
            {api.t("retry")}
          </button>
        </>,
      );
    },
    notSeen() {
      pk = undefined;
      explain(api.t("statusPublishNotSeen"));
    },
    /** The background says this post's shares changed: read them again if it is the post shown. */
    changed(postPk: string) {
      if (postPk !== pk) return;
      // Only the newest read is drawn: answers to two quick reads may come back in either order.
      const read = ++reads;
      api.request("share.status", { pk: postPk }).then(
        (jobs) => read === reads && postPk === pk && show(postPk, jobs),
        () => undefined,
      );
    },
  };
}

export type StatusLine = ReturnType<typeof createStatusLine>;
