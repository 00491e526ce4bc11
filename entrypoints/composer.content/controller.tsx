import { ComposerPanel } from "@/components/ComposerPanel";
import { isOverLimit, permalinkGoesInComment, toFacebookMessage, withPermalink } from "@/lib/caption/message";
import type { CaptionRules } from "@/lib/caption/rules";
import { acceptBridge } from "@/lib/instagram/bridge-receiver";
import {
  type CaptionStep,
  instagramSharesToFacebook,
  type MediaGuess,
  readCaption,
  watchComposer,
} from "@/lib/instagram/composer";
import type { Confirmation } from "@/lib/instagram/confirm";
import { permalinkOf } from "@/lib/instagram/permalink";
import type { ObservedPublish, PublishedPost } from "@/lib/instagram/post";
import { hearPresses } from "@/lib/instagram/presses";
import type { ConsentedContext } from "@/lib/messages/views";
import { createHost, createStatusLine, type InPageApi, renderInto } from "./in-page";

export interface ComposerApi extends InPageApi {
  /** Asks Instagram itself whether the post the page announced is real, the user's, and new. */
  confirm(pk: string, pressedAt: number): Promise<Confirmation>;
  now(): number;
}

/** What one opening of Instagram's composer has decided so far. */
interface Session {
  context?: ConsentedContext;
  /** Set only by a real click on the switch; otherwise auto-share for the post's kind decides. */
  userChoice?: boolean;
  targets: string[];
  choosing: boolean;
  caption: string;
  editedMessage?: string;
  /** When the user wants it on Facebook; unset: the default delay from the options. */
  when?: "now" | number;
  media: MediaGuess;
  /** The switch was on screen: only a switch the user could see (and turn off) may share. */
  shown: boolean;
  /** When the user's own press (trusted click, Enter or Space) of this composer's Share came. */
  pressedAt?: number;
  /** A post confirmed with Instagram was handed to the background: nothing more from this session. */
  requested: boolean;
  /** Announced posts still being confirmed with Instagram. */
  confirming: number;
  /** Instagram showed its "shared" step for this session. */
  sharedShown: boolean;
  /** The user was already told why this session's post is not shared. */
  explained: boolean;
  panel?: { host: HTMLElement; stop: AbortController; step: CaptionStep };
}

const HOST_TAG = "alsoshare-panel";
/** A press of Share vouches for the publish answers that follow it for this long (reels transcode). */
const PRESS_VOUCHES_MS = 10 * 60_000;
/**
 * After Instagram's "shared" step, how long before we say no publish came. Instagram shows the step
 * after its publish answer, so this only covers the answer's way to us; one being confirmed waits.
 */
const WITNESS_WAIT_MS = 5_000;
// As long as any real permalink ("/reel/" + an 11-character code), to warn before the limit is hit.
const SAMPLE_PERMALINK = "https://www.instagram.com/reel/XXXXXXXXXXX/";

/** Where the panel goes: under the caption editor, or under its wrapper when that holds nothing else. */
function placePanel(step: CaptionStep, host: HTMLElement): void {
  const wrapper = step.captionEditor.parentElement;
  if (wrapper && wrapper !== step.dialog && wrapper.childElementCount === 1) wrapper.after(host);
  else step.captionEditor.after(host);
}

/** Whether the rules end the post's text with its permalink (rather than its first comment). */
function permalinkInText(rules: CaptionRules): boolean {
  return rules.appendPermalink && !permalinkGoesInComment(rules);
}

/**
 * The switch's life in the page: one session per opening of the composer, the panel mounted on each
 * caption step, and at most one share request per session, sent when Instagram proves the post
 * was published and only if the switch the user saw was on. `report` receives what went wrong on
 * our side (never thrown into the page) and posts published while no switch could be shown.
 * Nothing is watched, read or sent before the background answers that the user consented.
 */
export function startComposer(
  win: Window,
  signal: AbortSignal,
  api: ComposerApi,
  report: (reason: string) => void = (reason) =>
    void api.request("composer.unrecognized", { reason }).catch(() => undefined),
) {
  const doc = win.document;
  let session: Session | undefined;
  const status = createStatusLine(doc, signal, api);
  let reportedError = false;

  const isOn = (current: Session) =>
    current.userChoice ?? current.context?.settings.autoShare[current.media] ?? false;

  const rules = (current: Session) => current.context?.settings.caption;

  /** The text in the panel: the user's own, or the caption after the rules; no permalink yet. */
  const previewOf = (current: Session): string => {
    if (current.editedMessage !== undefined) return current.editedMessage;
    const captionRules = rules(current);
    return captionRules ? toFacebookMessage(current.caption, captionRules).text : current.caption;
  };

  const finalMessage = (current: Session, post: PublishedPost): string => {
    const captionRules = rules(current);
    if (current.editedMessage === undefined && captionRules) {
      return toFacebookMessage(post.caption, captionRules, permalinkOf(post)).text;
    }
    const text = current.editedMessage ?? post.caption;
    return captionRules && permalinkInText(captionRules) ? withPermalink(text, permalinkOf(post)) : text;
  };

  const renderPanel = (current: Session) => {
    const panel = current.panel;
    if (!panel) return;
    const text = previewOf(current);
    const captionRules = rules(current);
    const permalinkLater = captionRules ? permalinkInText(captionRules) : false;
    const rerender = () => renderPanel(current);
    renderInto(
      panel.host,
      <ComposerPanel
        t={api.t}
        on={isOn(current)}
        onToggle={() => {
          current.userChoice = !isOn(current);
          rerender();
        }}
        accounts={current.context?.accounts ?? []}
        targets={current.targets}
        onTargetsChange={(ids) => {
          current.targets = ids;
          rerender();
        }}
        choosing={current.choosing}
        onChoosingChange={(open) => {
          current.choosing = open;
          rerender();
        }}
        message={text}
        onMessageChange={(edited) => {
          current.editedMessage = edited;
          rerender();
        }}
        overLimit={isOverLimit(permalinkLater ? withPermalink(text, SAMPLE_PERMALINK) : text)}
        permalinkLater={permalinkLater}
        firstComment={captionRules && toFacebookMessage(current.caption, captionRules).comment}
        delayMinutes={current.context?.settings.delayMinutes ?? 0}
        when={current.when}
        onWhenChange={(when) => {
          current.when = when;
          rerender();
        }}
        now={api.now()}
        permalinkInComment={captionRules && permalinkGoesInComment(captionRules)}
        instagramSharesToo={instagramSharesToFacebook(panel.step)}
        needsReload={!bridge.open}
      />,
    );
  };

  const unmountPanel = (current: Session) => {
    const panel = current.panel;
    if (!panel) return;
    current.panel = undefined;
    panel.stop.abort();
    renderInto(panel.host, null);
    panel.host.remove();
  };

  const mountPanel = (current: Session, step: CaptionStep) => {
    unmountPanel(current);
    current.media = step.media;
    current.caption = readCaption(step);
    const host = createHost(doc, HOST_TAG);
    placePanel(step, host);
    const stop = new AbortController();
    current.panel = { host, stop, step };
    step.captionEditor.addEventListener(
      "input",
      () => {
        current.caption = readCaption(step);
        renderPanel(current);
      },
      { signal: stop.signal },
    );
    // Instagram's own toggles (its "Share to Facebook" among them) change the step below our panel.
    step.dialog.addEventListener("change", () => renderPanel(current), { signal: stop.signal });
    renderPanel(current);
    current.shown = true;
  };

  const reported = new Set<string>();
  const reportOnce = (reason: string) => {
    if (reported.has(reason)) return;
    reported.add(reason);
    report(reason);
  };

  // The user's own press of this composer's Share (a click, Enter or Space): the only thing that lets
  // an announced post be shared.
  const presses = hearPresses(win, signal);
  presses.listen((event) => {
    const current = session;
    const share = current?.panel?.step.shareButton;
    if (!current || !share || event.type === "pointerdown") return;
    if (event.type === "keydown" && !["Enter", " "].includes((event as KeyboardEvent).key)) return;
    if (share.contains(event.target as Node | null)) current.pressedAt ??= api.now();
  });

  const onPublished = async (announced: ObservedPublish) => {
    const current = session;
    if (!current) {
      // Instagram published a post from a composer we never recognized: say so in diagnostics.
      reportOnce(`a ${announced.post.kind} was published from a composer not found on the page`);
      return;
    }
    // A session whose switch never showed was reported by the watcher (or by onError).
    if (!current.shown || current.requested) return;
    const pressedAt = current.pressedAt;
    if (pressedAt === undefined || api.now() - pressedAt > PRESS_VOUCHES_MS) {
      // Without the user's own press of Share, an announced post is the page's word alone.
      reportOnce("a post was announced without a press of Share, and was not shared");
      return;
    }
    if (!isOn(current) || current.targets.length === 0) {
      // The user's "not to Facebook": posts made anywhere are not to share it either. The page's
      // word names the post, so at worst a forged name holds a share back; it never makes one.
      void api.request("share.declined", { pk: announced.post.pk }).catch(() => undefined);
      return;
    }
    current.confirming += 1;
    const confirmation = await api
      .confirm(announced.post.pk, pressedAt)
      .catch((): Confirmation => ({ confirmed: false, reason: "unreachable" }));
    current.confirming -= 1;
    if (current.requested || !isOn(current)) return;
    if (!confirmation.confirmed) {
      if (confirmation.reason === "unreachable") {
        current.explained = true;
        status.unconfirmed(() => void onPublished(announced));
      } else {
        // Forged announcements end here, in silence for the user and once in diagnostics.
        reportOnce(`an announced post was not confirmed by Instagram (${confirmation.reason})`);
      }
      return;
    }
    current.requested = true;
    // What is shared is what Instagram confirmed; the page only said which post to ask about.
    const post = confirmation.post;
    status.show(post.pk, []);
    try {
      const answer = await api.request("share.request", {
        post,
        targets: current.targets,
        message: finalMessage(current, post),
        instagramSharedTo: announced.instagramSharedTo,
        ...(current.when !== undefined && { when: current.when }),
      });
      status.show(post.pk, answer.jobs);
    } catch (error) {
      status.fail(error);
    }
  };

  // The second witness: Instagram says it shared the post, the switch was on, and no publish we
  // could confirm came. Say so rather than fail in silence (Instagram may have changed its API).
  const witness = (current: Session) => {
    if (current.sharedShown || current.pressedAt === undefined) return;
    current.sharedShown = true;
    win.setTimeout(() => {
      if (signal.aborted || current.requested || current.confirming > 0 || current.explained) return;
      if (!isOn(current) || current.targets.length === 0) return;
      status.notSeen();
      reportOnce("Instagram showed a post as shared, and no publish of it could be confirmed");
    }, WITNESS_WAIT_MS);
  };

  // The page's word about a publish, as the background reads it; one it cannot read ends here.
  const onSummary = (summary: unknown) =>
    void api.request("instagram.readPublish", { summary }).then(
      (announced) => announced && onPublished(announced),
      () => undefined,
    );
  // Taken now, at document_start, whatever the consent: see acceptBridge.
  const bridge = acceptBridge(win, onSummary, signal);
  const watching = new AbortController();
  signal.addEventListener("abort", () => watching.abort(), { once: true });
  /** Consent withdrawn while this page was open: the switch goes, and nothing more is read. */
  const withdraw = () => {
    bridge.setReading(false);
    watching.abort();
    if (session) unmountPanel(session);
    session = undefined;
  };

  const begin = () =>
    watchComposer({
      root: doc,
      signal: watching.signal,
      presses,
      onComposerOpen() {
        if (session) unmountPanel(session);
        const current: Session = {
          targets: [],
          choosing: false,
          caption: "",
          media: "photo",
          shown: false,
          requested: false,
          confirming: 0,
          sharedShown: false,
          explained: false,
        };
        session = current;
        api.request("composer.context", {}).then(
          (context) => {
            if (!context.consent) return withdraw();
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
        if (!session) return;
        unmountPanel(session);
        // After a press, the session lives on until the next composer: Instagram's answer may still
        // be coming. Closed or discarded without one, nothing that comes later is this composer's.
        if (session.pressedAt === undefined) session = undefined;
      },
      onShared() {
        if (session) witness(session);
      },
      onUnrecognized(reason) {
        report(reason);
      },
      onError(error) {
        // Our failure stays ours: Instagram's composer goes on without the switch. Once per page,
        // and only the error's kind, which carries nothing of the page.
        if (reportedError) return;
        reportedError = true;
        report(`the switch could not be shown (${error instanceof Error ? error.name : "error"})`);
      },
    });
  const start = () => {
    bridge.setReading(true);
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", begin, { once: true, signal });
    else begin();
  };
  api.request("composer.context", {}).then(
    (context) => context.consent && !signal.aborted && start(),
    () => undefined,
  );

  signal.addEventListener("abort", () => session && unmountPanel(session), { once: true });
  return { status };
}
