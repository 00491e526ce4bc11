// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CaptionStep,
  findCaptionStep,
  readCaption,
  watchComposer,
} from "../../../lib/instagram/composer";
import { pickLocale } from "../../../lib/instagram/selectors";
import { afterUserPress } from "../../support/user-press";
import { dialogOf, parseFixture, portalFrom, showPage } from "./composer-fixtures";

// Languages and layouts our per-locale table has no entry for: only structure can find these.
const UNLISTED = [
  { fixture: "caption-step-it", lang: "it", share: "Condividi", caption: "Cottura della domenica 🍞" },
  { fixture: "caption-step-tr", lang: "tr", share: "Paylaş", caption: "Pazar ekmeği 🍞" },
  { fixture: "caption-step-ar", lang: "ar", share: "مشاركة", caption: "خبز يوم الأحد 🍞" },
  // The Lexical editor with only aria-placeholder: no aria-label, no role.
  { fixture: "caption-step-placeholder-only-tr", lang: "tr", share: "Paylaş", caption: "Pazar ekmeği 🍞" },
  // A dialog named by aria-label alone, its title a plain span, every part deep in wrappers.
  {
    fixture: "caption-step-span-title-it",
    lang: "it",
    share: "Condividi",
    caption: "Cottura della domenica",
  },
];

describe("the caption step in a language the table lacks, found by structure alone", () => {
  it.each(UNLISTED)(
    "$fixture: the editor and the header's primary action",
    ({ fixture, lang, share, caption }) => {
      const doc = parseFixture(fixture);
      expect(pickLocale(doc.documentElement.getAttribute("lang"))).toBeNull();
      expect(doc.documentElement.lang).toBe(lang);
      const step = findCaptionStep(dialogOf(doc));
      expect(step?.shareButton?.textContent).toBe(share);
      expect(step?.captionEditor.getAttribute("contenteditable")).toBe("true");
      expect(step && readCaption(step)).toContain(caption);
      expect(step?.media).toBe("photo");
    },
  );

  it("a right-to-left page keeps the same markup order, so the same action is found", () => {
    const doc = parseFixture("caption-step-ar");
    expect(doc.documentElement.dir).toBe("rtl");
    expect(findCaptionStep(dialogOf(doc))?.shareButton?.textContent).toBe("مشاركة");
  });

  it("a video in a language the table lacks is guessed a reel, as every web video post is", () => {
    const doc = parseFixture("caption-step-it");
    const preview = dialogOf(doc).querySelector('img[src^="blob:"]');
    if (!preview) throw new Error("fixture has no preview");
    preview.outerHTML = '<video src="blob:https://www.instagram.com/v0"></video>';
    expect(findCaptionStep(dialogOf(doc))?.media).toBe("reel");
  });
});

describe("dialogs with an editor that are not the composer never get a switch", () => {
  it.each([
    ["the New message dialog, with a message box", "new-message-en"],
    ["an opened post's comment box", "post-view-en"],
    ["Edit info, whose preview is the post already on the CDN", "edit-info-en"],
  ])("%s", (_, fixture) => {
    expect(findCaptionStep(dialogOf(parseFixture(fixture)))).toBeNull();
  });

  it("a caption step without a preview of the user's media", () => {
    const doc = parseFixture("caption-step-it");
    for (const preview of Array.from(dialogOf(doc).querySelectorAll('img[src^="blob:"]'))) preview.remove();
    expect(findCaptionStep(dialogOf(doc))).toBeNull();
  });
});

describe("watchComposer in a language the table lacks", () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  let stop: AbortController | undefined;
  beforeEach(() => showPage(document, "feed-en"));
  afterEach(() => stop?.abort());

  it.each(["caption-step-it", "caption-step-span-title-it", "caption-step-ar"])(
    "opens a session at %s and reports its caption step once",
    async (fixture) => {
      document.documentElement.lang = parseFixture(fixture).documentElement.lang;
      stop = new AbortController();
      const steps: CaptionStep[] = [];
      let opened = 0;
      watchComposer({
        root: document,
        signal: stop.signal,
        presses: afterUserPress(stop.signal),
        onCaptionStep: (step) => steps.push(step),
        onComposerOpen: () => {
          opened += 1;
        },
        onComposerClosed: () => undefined,
        onUnrecognized: () => undefined,
      });
      document.body.append(portalFrom(fixture, document));
      await settle();
      expect(opened).toBe(1);
      expect(steps).toHaveLength(1);
    },
  );

  it("opens no session for the New message dialog", async () => {
    stop = new AbortController();
    let opened = 0;
    watchComposer({
      root: document,
      signal: stop.signal,
      presses: afterUserPress(stop.signal),
      onCaptionStep: () => undefined,
      onComposerOpen: () => {
        opened += 1;
      },
      onComposerClosed: () => undefined,
      onUnrecognized: () => undefined,
    });
    document.body.append(portalFrom("new-message-en", document));
    await settle();
    expect(opened).toBe(0);
  });
});
