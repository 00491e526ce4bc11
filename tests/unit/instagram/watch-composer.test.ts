// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CaptionStep,
  WATCH_AFTER_PRESS_MS,
  type WatchComposerOptions,
  watchComposer,
} from "../../../lib/instagram/composer";
import { hearPresses } from "../../../lib/instagram/presses";
import { afterUserPress, userPress } from "../../support/user-press";
import { portalFrom, showPage } from "./composer-fixtures";

// happy-dom delivers mutation records in a later task, as browsers do in a microtask.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

type Calls = {
  steps: CaptionStep[];
  opened: Element[];
  closed: number;
  unrecognized: string[];
  errors: unknown[];
};

/** Watches the page as the content script does; by default after the user pressed Create. */
function watch(overrides: Partial<WatchComposerOptions> = {}, { pressed = true } = {}) {
  const controller = new AbortController();
  const calls: Calls = { steps: [], opened: [], closed: 0, unrecognized: [], errors: [] };
  const presses = pressed ? afterUserPress(controller.signal) : hearPresses(window, controller.signal);
  watchComposer({
    root: document,
    signal: controller.signal,
    presses,
    onCaptionStep: (step) => calls.steps.push(step),
    onComposerOpen: (dialog) => calls.opened.push(dialog),
    onComposerClosed: () => {
      calls.closed += 1;
    },
    onUnrecognized: (reason) => calls.unrecognized.push(reason),
    onError: (error) => calls.errors.push(error),
    ...overrides,
  });
  return { controller, calls };
}

/** Puts a fixture's dialog on the page, in place of the current one if any (one commit, as React does). */
function showStep(name: string, current?: Element): Element {
  const next = portalFrom(name, document);
  if (current) current.replaceWith(next);
  else document.body.append(next);
  return next;
}

let stop: AbortController | undefined;

beforeEach(() => showPage(document, "feed-en"));
afterEach(() => stop?.abort());

describe("watchComposer", () => {
  it("reports the caption step in the same observer callback that inserted it", async () => {
    const { controller, calls } = watch();
    stop = controller;
    const seenByNextObserver: number[] = [];
    const later = new MutationObserver(() => seenByNextObserver.push(calls.steps.length));
    later.observe(document.body, { childList: true, subtree: true });
    showStep("caption-step-en");
    await settle();
    later.disconnect();
    expect(seenByNextObserver).toEqual([1]);
    expect(calls.steps[0]?.shareButton?.textContent).toBe("Share");
  });

  it("follows one session from upload to Post shared and reports each caption-step mount", async () => {
    const { controller, calls } = watch();
    stop = controller;
    let portal = showStep("upload-step-en");
    await settle();
    expect(calls.opened).toHaveLength(1);

    for (const step of ["crop-step-en", "caption-step-en"]) {
      portal = showStep(step, portal);
      await settle();
    }
    expect(calls.steps).toHaveLength(1);

    // Going back to Edit and forward again mounts a new caption step; so does a re-render.
    portal = showStep("crop-step-en", portal);
    await settle();
    portal = showStep("caption-step-en", portal);
    await settle();
    portal = showStep("caption-step-en", portal);
    await settle();
    expect(calls.steps).toHaveLength(3);
    expect(calls.steps[2]?.captionEditor.isConnected).toBe(true);
    expect(calls.steps[1]?.captionEditor.isConnected).toBe(false);

    for (const step of ["sharing-en", "post-shared-en"]) {
      portal = showStep(step, portal);
      await settle();
    }
    expect(calls.closed).toBe(0);
    portal.remove();
    await settle();
    expect(calls).toMatchObject({ closed: 1, unrecognized: [], errors: [] });
    expect(calls.opened).toHaveLength(1);
  });

  it("treats a removal and an insertion in the same task as one step change", async () => {
    const { controller, calls } = watch();
    stop = controller;
    const upload = showStep("upload-step-en");
    await settle();
    upload.remove();
    showStep("caption-step-en");
    await settle();
    expect(calls).toMatchObject({ closed: 0, unrecognized: [] });
    expect(calls.opened).toHaveLength(1);
    expect(calls.steps).toHaveLength(1);
  });

  it("does not report the step again while the user types", async () => {
    const { controller, calls } = watch();
    stop = controller;
    showStep("caption-step-en");
    await settle();
    const paragraph = calls.steps[0]?.captionEditor.querySelector("p");
    for (const word of ["more", " words", " #here"]) {
      const span = document.createElement("span");
      span.setAttribute("data-lexical-text", "true");
      span.textContent = word;
      paragraph?.append(span);
      await settle();
    }
    expect(calls.steps).toHaveLength(1);
  });

  it("reports a caption step already open when watching starts", () => {
    showPage(document, "caption-step-pt-br");
    const { controller, calls } = watch();
    stop = controller;
    expect(calls.opened).toHaveLength(1);
    expect(calls.steps[0]?.shareButton?.textContent).toBe("Compartilhar");
  });

  it("recognizes the caption step by structure on a page in a language the table lacks", async () => {
    document.documentElement.setAttribute("lang", "it");
    const { controller, calls } = watch();
    stop = controller;
    const upload = showStep("upload-step-en");
    await settle();
    const caption = portalFrom("caption-step-en", document);
    const heading = caption.querySelector('[role="heading"]');
    if (heading) heading.textContent = "Crea nuovo post";
    for (const button of Array.from(caption.querySelectorAll('[role="button"]'))) {
      if (button.textContent === "Share") button.textContent = "Condividi";
    }
    upload.replaceWith(caption);
    await settle();
    expect(calls.opened).toHaveLength(1);
    expect(calls.steps[0]?.shareButton?.textContent).toBe("Condividi");
  });

  it("keeps the session while a confirmation dialog opens over the composer", async () => {
    const { controller, calls } = watch();
    stop = controller;
    showStep("caption-step-en");
    await settle();
    const discard = document.createElement("div");
    discard.innerHTML =
      '<div role="dialog"><h3>Discard post?</h3><button type="button">Discard</button><button type="button">Cancel</button></div>';
    document.body.append(discard);
    await settle();
    discard.remove();
    await settle();
    expect(calls).toMatchObject({ closed: 0, unrecognized: [] });
    expect(calls.steps).toHaveLength(1);
  });

  it("reports once when a post is shared without a recognizable caption step", async () => {
    const { controller, calls } = watch();
    stop = controller;
    let portal = showStep("upload-step-en");
    await settle();
    const reshaped = portalFrom("caption-step-en", document);
    reshaped.querySelector('[role="textbox"]')?.remove();
    reshaped.querySelectorAll('[role="button"]').forEach((button) => {
      if (button.textContent === "Share") button.remove();
    });
    portal.replaceWith(reshaped);
    portal = reshaped;
    await settle();
    for (const step of ["sharing-en", "post-shared-en", "post-shared-en"]) {
      portal = showStep(step, portal);
      await settle();
    }
    portal.remove();
    await settle();
    expect(calls).toMatchObject({ unrecognized: ["shared-without-caption-step"], closed: 1, steps: [] });
  });

  it("reports when the composer is closed at a caption step it could not recognize", async () => {
    const { controller, calls } = watch();
    stop = controller;
    const portal = portalFrom("caption-step-en", document);
    portal.querySelector('[role="textbox"]')?.remove();
    portal.querySelectorAll('[role="button"]').forEach((button) => {
      if (button.textContent === "Share") button.remove();
    });
    document.body.append(portal);
    await settle();
    portal.remove();
    await settle();
    expect(calls).toMatchObject({ unrecognized: ["closed-at-unrecognized-caption-step"], closed: 1 });
  });

  it("stays quiet when the user cancels before the caption step", async () => {
    const { controller, calls } = watch();
    stop = controller;
    const upload = showStep("upload-step-en");
    await settle();
    const portal = showStep("crop-step-en", upload);
    await settle();
    portal.remove();
    await settle();
    expect(calls).toMatchObject({ closed: 1, unrecognized: [], steps: [] });
  });

  it("does nothing on a layout with no dialog or textbox roles", async () => {
    showPage(document, "unknown-layout-en");
    const { controller, calls } = watch();
    stop = controller;
    const modal = document.querySelector("[aria-modal]");
    if (!modal) throw new Error("fixture changed");
    modal.replaceWith(modal.cloneNode(true));
    await settle();
    expect(calls).toEqual({ steps: [], opened: [], closed: 0, unrecognized: [], errors: [] });
  });

  for (const fixture of ["edit-info-en", "post-view-en"]) {
    it(`does nothing for ${fixture}`, async () => {
      const { controller, calls } = watch();
      stop = controller;
      const portal = showStep(fixture);
      await settle();
      portal.remove();
      await settle();
      expect(calls).toEqual({ steps: [], opened: [], closed: 0, unrecognized: [], errors: [] });
    });
  }

  it("is silent after its signal aborts", async () => {
    const { controller, calls } = watch();
    controller.abort();
    showStep("caption-step-en");
    await settle();
    expect(calls).toEqual({ steps: [], opened: [], closed: 0, unrecognized: [], errors: [] });
  });

  it("does nothing at all when started with an aborted signal", () => {
    showStep("caption-step-en");
    const { calls } = watch({ signal: AbortSignal.abort() });
    expect(calls.steps).toEqual([]);
  });

  it("keeps a throwing callback away from the page and keeps watching", async () => {
    const { controller, calls } = watch({
      onCaptionStep: () => {
        throw new Error("host failed to mount");
      },
    });
    stop = controller;
    const portal = showStep("caption-step-en");
    await settle();
    portal.remove();
    await settle();
    expect(calls.errors).toHaveLength(1);
    expect(calls.closed).toBe(1);
  });

  it("never queries the whole document while a busy feed churns", async () => {
    const { controller, calls } = watch();
    stop = controller;
    const main = document.querySelector("main > div");
    const article = document.querySelector("article");
    if (!main || !article) throw new Error("feed fixture changed");
    const documentQueries = vi.spyOn(document, "querySelectorAll");
    const documentQuery = vi.spyOn(document, "querySelector");
    for (let batch = 0; batch < 50; batch += 1) {
      for (let i = 0; i < 20; i += 1) main.append(article.cloneNode(true));
      for (let i = 0; i < 20; i += 1) main.firstElementChild?.remove();
      await settle();
    }
    expect(documentQueries).not.toHaveBeenCalled();
    expect(documentQuery).not.toHaveBeenCalled();
    expect(calls.opened).toEqual([]);
  });

  it("does not even receive the feed's mutations inside Instagram's app root", async () => {
    const records: number[] = [];
    // Count what our observer is handed: the feed's churn must not reach it at all.
    class CountingObserver extends window.MutationObserver {
      constructor(callback: MutationCallback) {
        super((batch, observer) => {
          records.push(batch.length);
          callback(batch, observer);
        });
      }
    }
    vi.stubGlobal("MutationObserver", CountingObserver);
    const { controller, calls } = watch();
    vi.unstubAllGlobals();
    stop = controller;
    const main = document.querySelector('div[id^="mount_"] main');
    if (!main) throw new Error("feed fixture changed");
    for (let i = 0; i < 200; i += 1) main.append(document.createElement("article"));
    await settle();
    expect(records).toEqual([]);

    showStep("caption-step-en");
    await settle();
    expect(calls.steps).toHaveLength(1);
  });
});

describe("watchComposer, around the user's presses", () => {
  // Our observers that are observing something now: none, and the page pays nothing for us.
  const observing = new Set<MutationObserver>();
  // Every observe() of ours, ended or not: Firefox keeps a document that was ever observed on its
  // slower path for every later mutation, even once the observer disconnected.
  let observeCalls = 0;
  class TrackedObserver extends window.MutationObserver {
    override observe(target: Node, init?: MutationObserverInit) {
      observing.add(this);
      observeCalls += 1;
      super.observe(target, init);
    }
    override disconnect() {
      observing.delete(this);
      super.disconnect();
    }
  }
  const watchTracked = (pressed: boolean) => {
    vi.stubGlobal("MutationObserver", TrackedObserver);
    try {
      return watch({}, { pressed });
    } finally {
      vi.unstubAllGlobals();
    }
  };
  afterEach(() => {
    observing.clear();
    observeCalls = 0;
    vi.useRealTimers();
  });

  it("never observes a page the user has not pressed, nor at the page's own events", async () => {
    const { controller, calls } = watchTracked(false);
    stop = controller;
    document.body.dispatchEvent(new Event("pointerdown", { bubbles: true }));
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(observeCalls).toBe(0);

    // The user presses Create: watching starts before Instagram's handler opens the composer.
    userPress(document.querySelector('a[href="/"]') ?? document.body);
    expect(observing.size).toBe(1);
    showStep("upload-step-en");
    await settle();
    expect(calls.opened).toHaveLength(1);
  });

  it("follows a composer already open when it starts, as in a tab Firefox injected it into late", async () => {
    const portal = showStep("caption-step-en");
    const { controller, calls } = watchTracked(false);
    stop = controller;
    expect(calls.steps).toHaveLength(1);
    // Instagram draws the step again: a new dialog, reported again, so it was followed unpressed.
    showStep("caption-step-en", portal);
    await settle();
    expect(calls.steps).toHaveLength(2);
  });

  it("sees a caption step that came unwatched at the user's next press, before it reaches the page", () => {
    const { controller, calls } = watchTracked(false);
    stop = controller;
    const portal = showStep("caption-step-en");
    expect(calls.steps).toEqual([]);
    const editor = portal.querySelector('[role="textbox"]');
    if (!editor) throw new Error("caption fixture changed");
    let stepsWhenThePageHeard = -1;
    editor.addEventListener("pointerdown", () => {
      stepsWhenThePageHeard = calls.steps.length;
    });
    userPress(editor);
    expect(stepsWhenThePageHeard).toBe(1);
    expect(calls.steps[0]?.captionEditor).toBe(editor);
  });

  it("stops watching a minute after the last press, and never while the composer is open", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { controller, calls } = watchTracked(true);
    stop = controller;
    await vi.advanceTimersByTimeAsync(WATCH_AFTER_PRESS_MS - 1_000);
    userPress();
    await vi.advanceTimersByTimeAsync(WATCH_AFTER_PRESS_MS - 1_000);
    expect(observing.size).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(observing.size).toBe(0);

    userPress();
    let portal = showStep("upload-step-en");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.opened).toHaveLength(1);
    // The user looks for a file for minutes; Instagram then moves on to the next steps.
    await vi.advanceTimersByTimeAsync(5 * WATCH_AFTER_PRESS_MS);
    expect(observing.size).toBe(1);
    portal = showStep("crop-step-en", portal);
    await vi.advanceTimersByTimeAsync(0);
    showStep("caption-step-en", portal);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.steps).toHaveLength(1);

    document.querySelector('[role="dialog"]')?.closest("body > *")?.remove();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.closed).toBe(1);
    await vi.advanceTimersByTimeAsync(WATCH_AFTER_PRESS_MS);
    expect(observing.size).toBe(0);
  });
});
