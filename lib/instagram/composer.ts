import type { Presses } from "./presses";
import { type ComposerText, composerTextFor, matchesText, normalizeText, SELECTORS } from "./selectors";

/** What the dialog shows being posted; the configure answer later says for sure. */
export type MediaGuess = "photo" | "carousel" | "video" | "reel";

export type CaptionStep = {
  dialog: Element;
  captionEditor: HTMLElement;
  shareButton: HTMLElement | null;
  layout: "2024" | "2022";
  media: MediaGuess;
};

type Inspection = {
  step: CaptionStep | null;
  // This dialog is a step of the create flow: its caption step (by structure), upload, or a title that says so.
  createFlow: boolean;
  kind: "upload" | "caption" | "caption-missing" | "shared" | "other";
};

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_POSITION_FOLLOWING = 4;

const before = (a: Node, b: Node) => (a.compareDocumentPosition(b) & DOCUMENT_POSITION_FOLLOWING) !== 0;

// The step's title: a heading, or, in a dialog labelled by aria-label alone, the plain element that
// shows the same text (its name, whatever the language).
function titlesOf(dialog: Element): Element[] {
  const headings = Array.from(dialog.querySelectorAll(SELECTORS.heading));
  if (headings.length > 0) return headings;
  const name = normalizeText(dialog.getAttribute("aria-label") ?? "");
  if (name === "") return [];
  const plain = Array.from(dialog.querySelectorAll(SELECTORS.plainTitle)).find(
    (element) => element.childElementCount === 0 && normalizeText(element.textContent ?? "") === name,
  );
  return plain ? [plain] : [];
}

function buttonText(button: Element): string {
  return (button.textContent ?? "").trim();
}

// The header row holding the step title and its actions: the lowest ancestor of a heading that
// also holds one of `buttons`. Prefers a Share in that row over one lower in the dialog.
function nearestToHeading(dialog: Element, headings: Element[], buttons: HTMLElement[]): HTMLElement | null {
  for (const heading of headings) {
    for (let row = heading.parentElement; row && dialog.contains(row); row = row.parentElement) {
      const inRow = buttons.find((button) => row.contains(button));
      if (inRow) return inRow;
      if (row === dialog) break;
    }
  }
  return buttons[0] ?? null;
}

// The step's primary action, in any language: the header comes before the step's body in the
// markup (whatever the reading direction), so it is the last labelled action after the title and
// before the preview and the editor. The back arrow before the title is an icon with no text.
function headerAction(title: Element | undefined, body: Element, buttons: HTMLElement[]): HTMLElement | null {
  const inHeader = buttons.filter(
    (button) =>
      buttonText(button) !== "" &&
      !button.contains(body) &&
      before(button, body) &&
      (title === undefined || before(title, button)),
  );
  return inHeader[inHeader.length - 1] ?? null;
}

// The previews are the user's own files, shown from blob: URLs (avatars come from the CDN). On
// instagram.com every video post is a reel, unless the title says the older "Create new post" flow.
function guessMedia(dialog: Element, createTitled: boolean): MediaGuess {
  if (dialog.querySelectorAll(SELECTORS.preview).length > 1) return "carousel";
  if (dialog.querySelector("video")) return createTitled ? "video" : "reel";
  return "photo";
}

// The caption editor: Lexical's (a textbox, or only data-lexical-editor), else the 2022 textarea.
function captionEditorOf(dialog: Element): { editor: HTMLElement; layout: CaptionStep["layout"] } | null {
  const lexical = dialog.querySelector<HTMLElement>(SELECTORS.captionEditor2024);
  if (lexical) return { editor: lexical, layout: "2024" };
  const textarea = dialog.querySelector<HTMLElement>(SELECTORS.captionEditor2022);
  return textarea ? { editor: textarea, layout: "2022" } : null;
}

/**
 * What a dialog is, by structure: the caption step is a dialog showing a preview of the user's own
 * media, a caption editor and a primary action in its header. Text (the page's language, or every
 * language we know) only confirms the create flow's other steps and picks Share among the actions.
 */
function inspectDialog(dialog: Element, text: ComposerText): Inspection {
  const titles = titlesOf(dialog);
  const titled = (hints: string[]) => titles.some((title) => matchesText(title.textContent, hints));
  const createTitled = titled(text.createTitle);
  const buttons = Array.from(dialog.querySelectorAll<HTMLElement>(SELECTORS.button));
  const shareByText = nearestToHeading(
    dialog,
    titles,
    buttons.filter((button) => matchesText(buttonText(button), text.share)),
  );

  const preview = dialog.querySelector(SELECTORS.preview);
  const found = captionEditorOf(dialog);
  if (preview && found) {
    const body = before(found.editor, preview) ? found.editor : preview;
    const action = shareByText ?? headerAction(titles[0], body, buttons);
    if (action && !found.editor.contains(action)) {
      const step: CaptionStep = {
        dialog,
        captionEditor: found.editor,
        shareButton: action,
        layout: found.layout,
        media: guessMedia(dialog, createTitled),
      };
      return { step, createFlow: true, kind: "caption" };
    }
  }
  if (dialog.querySelector(SELECTORS.fileInput)) return { step: null, createFlow: true, kind: "upload" };
  if (titled(text.sharedTitle)) return { step: null, createFlow: false, kind: "shared" };
  if (createTitled) return { step: null, createFlow: true, kind: "caption-missing" };
  return { step: null, createFlow: false, kind: "other" };
}

/**
 * Whether Instagram's own "Share to Facebook" toggle in this step is on: a switch whose row names
 * Facebook, a brand name Instagram leaves untranslated (its row text or its icon's aria-label).
 */
export function instagramSharesToFacebook(step: CaptionStep): boolean {
  return Array.from(step.dialog.querySelectorAll<HTMLInputElement>(SELECTORS.toggle)).some((toggle) => {
    const row = toggle.closest("label") ?? toggle.parentElement;
    const names = [
      row?.textContent ?? "",
      ...Array.from(row?.querySelectorAll("[aria-label]") ?? [], (el) => el.getAttribute("aria-label") ?? ""),
    ];
    return toggle.checked && names.some((name) => FACEBOOK_NAME.test(name));
  });
}

/**
 * "Facebook" as Instagram's languages write it: most keep the Latin name; some spell it in their
 * own script. A hint only: the publish request's own fields say what Instagram does.
 */
const FACEBOOK_NAME = /facebook|فيسبوك|فیسبوک|페이스북|フェイスブック|פייסבוק|фейсбук|फ़ेसबुक|फेसबुक|เฟซบุ๊ก/i;

/** The caption step inside a composer dialog, anchored on its caption editor; null on any other step. */
export function findCaptionStep(dialog: Element): CaptionStep | null {
  return inspectDialog(dialog, composerTextFor(dialog.ownerDocument)).step;
}

const BLOCK_TAGS = new Set("P DIV LI UL OL H1 H2 H3 H4 H5 H6 BLOCKQUOTE PRE".split(" "));

// A <br> ending its block only gives an empty block its height (Lexical writes `<p><br></p>` for an
// empty line), so it adds no line break of its own.
function isTrailingBreak(br: Element): boolean {
  let next = br.nextSibling;
  while (next && next.nodeType === TEXT_NODE && next.textContent === "") next = next.nextSibling;
  return next === null;
}

// Each block is one line, as typed: Lexical renders every Enter as a new <p>. innerText would double
// paragraph breaks and depends on layout, which a detached or hidden editor does not have.
function editorText(editor: Element): string {
  const lines: string[] = [];
  let line: string | null = null;
  const visit = (node: Node): void => {
    if (node.nodeType === TEXT_NODE) {
      line = (line ?? "") + (node.textContent ?? "");
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const element = node as Element;
    if (element.tagName === "BR") {
      line = (line ?? "") + (isTrailingBreak(element) ? "" : "\n");
      return;
    }
    if (element.tagName === "SCRIPT" || element.tagName === "STYLE") return;
    const block = BLOCK_TAGS.has(element.tagName);
    if (block && line !== null) {
      lines.push(line);
      line = null;
    }
    const linesBefore = lines.length;
    for (const child of Array.from(element.childNodes)) visit(child);
    if (!block) return;
    if (line !== null || lines.length === linesBefore) lines.push(line ?? "");
    line = null;
  };
  for (const child of Array.from(editor.childNodes)) visit(child);
  if (line !== null) lines.push(line);
  return lines.join("\n");
}

/** The caption exactly as typed, line breaks included. */
export function readCaption(step: CaptionStep): string {
  const editor = step.captionEditor;
  if (editor.tagName === "TEXTAREA") return (editor as HTMLTextAreaElement).value;
  return editorText(editor);
}

export type UnrecognizedReason = "shared-without-caption-step" | "closed-at-unrecognized-caption-step";

export type WatchComposerOptions = {
  root: Document;
  signal: AbortSignal;
  /** The user's presses on the page: Instagram's create flow opens, and moves on, only after one. */
  presses: Presses;
  onCaptionStep(step: CaptionStep): void;
  onComposerOpen(dialog: Element): void;
  onComposerClosed(): void;
  /** Instagram shows that this session's post was shared (its "Post shared" step). */
  onShared?(): void;
  onUnrecognized(reason: UnrecognizedReason): void;
  /** Where errors thrown by the callbacks go; they never reach the page. */
  onError?(error: unknown): void;
};

type Session = {
  dialog: Element;
  kind: Inspection["kind"];
  reported: CaptionStep | null;
  sawCaptionStep: boolean;
  unrecognizedSent: boolean;
};

function outermostDialog(dialog: Element): Element {
  let outer = dialog;
  let up = outer.parentElement?.closest(SELECTORS.dialog);
  while (up) {
    outer = up;
    up = outer.parentElement?.closest(SELECTORS.dialog);
  }
  return outer;
}

function sameStep(a: CaptionStep | null, b: CaptionStep): boolean {
  return (
    a !== null &&
    a.dialog === b.dialog &&
    a.captionEditor === b.captionEditor &&
    a.shareButton === b.shareButton
  );
}

/**
 * How long after the user's last press the page's layers stay watched for a create flow, unless a
 * composer is open. Every step of the flow follows a press (Create, Select, Next, Share) and
 * Instagram loads a step on demand, which takes seconds on a slow network. Watching no longer leaves
 * the page without an observer of ours while the user only reads the feed: in Gecko, one observer
 * of <body>'s children alone makes the feed's DOM changes about a tenth slower (bench/analysis.md).
 */
export const WATCH_AFTER_PRESS_MS = 60_000;

/**
 * Follows Instagram's create-post dialog with one MutationObserver for the page's layers, until
 * `signal` aborts. A composer session starts at the upload step (or at a caption step the text
 * hints confirm), follows the dialog as Instagram replaces it at every step, and ends when no
 * dialog takes its place. Caption steps are reported only inside a session, so "Edit info" and
 * an opened post's comment box never are; each new dialog/editor/Share element is reported again,
 * in the same observer callback that inserted it. `onUnrecognized` fires at most once per session:
 * when the post is shared, or the composer closed at its caption position, without any caption
 * step recognized. The layers are watched from a press until WATCH_AFTER_PRESS_MS after the last
 * one, and for as long as a session is open; each time watching starts, the dialogs already open
 * are looked at, so a step that arrived unwatched is seen at the user's next press.
 */
export function watchComposer(options: WatchComposerOptions): void {
  const { root, signal } = options;
  const Observer = root.defaultView?.MutationObserver;
  const target = root.body ?? root.documentElement;
  if (signal.aborted || !Observer || !target) return;

  const guard = (run: () => void): void => {
    try {
      run();
    } catch (error) {
      try {
        options.onError?.(error);
      } catch {
        // An error reporter that throws has nowhere left to report to.
      }
    }
  };

  const text = composerTextFor(root);
  // Dialogs only enter the page through added nodes; while none is open, nodes the feed adds are
  // checked downward only and never walked up.
  const knownDialogs = new Set<Element>();
  let session: Session | null = null;

  const reportUnrecognized = (current: Session, reason: UnrecognizedReason) => {
    if (current.unrecognizedSent || current.sawCaptionStep) return;
    current.unrecognizedSent = true;
    guard(() => options.onUnrecognized(reason));
  };

  const closeSession = (current: Session) => {
    if (current.kind === "caption-missing") {
      reportUnrecognized(current, "closed-at-unrecognized-caption-step");
    }
    session = null;
    guard(() => options.onComposerClosed());
  };

  const evaluate = (dialog: Element) => {
    const inspection = inspectDialog(dialog, text);
    const composerish =
      inspection.kind === "upload" || inspection.kind === "caption-missing" || inspection.kind === "caption";
    if (!session) {
      if (!composerish || !inspection.createFlow) return;
      session = {
        dialog,
        kind: inspection.kind,
        reported: null,
        sawCaptionStep: false,
        unrecognizedSent: false,
      };
      guard(() => options.onComposerOpen(dialog));
    } else if (dialog !== session.dialog) {
      // A second dialog over the composer ("Discard post?") does not move the session.
      if (!composerish) return;
      session.dialog = dialog;
    }
    const current: Session = session;
    current.kind = inspection.kind;
    const step = inspection.step;
    if (step) {
      current.sawCaptionStep = true;
      if (!sameStep(current.reported, step)) {
        current.reported = step;
        guard(() => options.onCaptionStep(step));
      }
    }
    if (inspection.kind === "shared") {
      reportUnrecognized(current, "shared-without-caption-step");
      guard(() => options.onShared?.());
    }
  };

  const collect = (node: Node, touched: Set<Element>) => {
    if (node.nodeType === ELEMENT_NODE) {
      const element = node as Element;
      const up = knownDialogs.size > 0 ? element.closest(SELECTORS.dialog) : null;
      if (up) touched.add(outermostDialog(up));
      else if (element.matches(SELECTORS.dialog)) touched.add(outermostDialog(element));
      else if (element.firstElementChild) {
        for (const inner of Array.from(element.querySelectorAll(SELECTORS.dialog)))
          touched.add(outermostDialog(inner));
      }
    } else if (node.nodeType === TEXT_NODE && knownDialogs.size > 0) {
      // A step title can change by swapping its text node alone.
      const up = node.parentElement?.closest(SELECTORS.dialog);
      if (up) touched.add(outermostDialog(up));
    }
  };

  const process = (records: MutationRecord[]) => {
    const touched = new Set<Element>();
    let removed = false;
    for (const record of records) {
      if (record.removedNodes.length > 0) removed = true;
      if (record.addedNodes.length === 0) continue;
      if (record.target === target) for (const node of Array.from(record.addedNodes)) followLayer(node);
      // Typing in the caption churns the editor's subtree and changes nothing we watch.
      if (session?.reported?.captionEditor.contains(record.target)) continue;
      for (const node of Array.from(record.addedNodes)) collect(node, touched);
    }
    for (const dialog of touched) knownDialogs.add(dialog);
    if (removed) {
      for (const dialog of knownDialogs) if (!dialog.isConnected) knownDialogs.delete(dialog);
    }
    const current: Session | null = session;
    if (current && !current.dialog.isConnected) {
      // Instagram replaces the dialog at each step in one commit: its successor arrives in the same batch.
      const successor = Array.from(touched)
        .reverse()
        .find((dialog) => dialog.isConnected);
      if (successor) current.dialog = successor;
      else closeSession(current);
    }
    for (const dialog of touched) if (dialog.isConnected && !signal.aborted) evaluate(dialog);
  };

  const observer = new Observer((records) => {
    if (!signal.aborted) guard(() => process(records));
  });
  // Instagram portals its dialogs into layers that are children of <body>. Following those layers,
  // and not the app root where the feed churns, keeps a busy feed from costing us anything.
  function followLayer(node: Node) {
    if (node.nodeType !== ELEMENT_NODE || (node as Element).matches(SELECTORS.appRoot)) return;
    observer.observe(node, { childList: true, subtree: true });
  }

  let watching = false;
  let idleCheck: ReturnType<typeof setTimeout> | undefined;
  const startWatching = () => {
    watching = true;
    observer.observe(target, { childList: true });
    for (const layer of Array.from(target.children)) followLayer(layer);
    guard(() => {
      const open = new Set(Array.from(root.querySelectorAll(SELECTORS.dialog), outermostDialog));
      for (const dialog of open) {
        knownDialogs.add(dialog);
        evaluate(dialog);
      }
    });
  };
  // Before any press, as long ago as the epoch.
  const msSincePress = () => Date.now() - (options.presses.lastAt ?? 0);
  // Stops watching once no press came for WATCH_AFTER_PRESS_MS and no composer is open.
  // Runs only while watching (aborting clears its timer), in a timer's own task or right after
  // watching began: no mutation record of ours is ever pending when it stops the observer.
  const checkIdle = () => {
    idleCheck = undefined;
    const sincePress = msSincePress();
    if (session || sincePress < WATCH_AFTER_PRESS_MS) {
      idleCheck = setTimeout(checkIdle, session ? WATCH_AFTER_PRESS_MS : WATCH_AFTER_PRESS_MS - sincePress);
      return;
    }
    observer.disconnect();
    knownDialogs.clear();
    watching = false;
  };
  const onPress = () => {
    if (signal.aborted) return;
    if (!watching) startWatching();
    idleCheck ??= setTimeout(checkIdle, WATCH_AFTER_PRESS_MS);
  };

  options.presses.listen(onPress);
  signal.addEventListener(
    "abort",
    () => {
      observer.disconnect();
      clearTimeout(idleCheck);
    },
    { once: true },
  );
  // Dialogs already open (a composer in a tab Firefox injected us into late) are looked at now, and
  // a press heard before this start is followed as any other. Otherwise nothing is observed before
  // the user's first press: Firefox keeps a document that was ever observed on a slower path for all
  // its later mutations, even once the observer disconnected.
  if (msSincePress() < WATCH_AFTER_PRESS_MS || root.querySelector(SELECTORS.dialog)) {
    startWatching();
    checkIdle();
  }
}
