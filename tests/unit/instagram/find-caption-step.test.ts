// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { findCaptionStep, readCaption } from "../../../lib/instagram/composer";
import { COMPOSER_TEXT } from "../../../lib/instagram/selectors";
import { CAPTION_STEP_FIXTURES, dialogOf, parseFixture } from "./composer-fixtures";

describe("findCaptionStep", () => {
  for (const [locale, fixture] of Object.entries(CAPTION_STEP_FIXTURES)) {
    it(`finds the editor and the header's Share in today's ${locale} caption step`, () => {
      const dialog = dialogOf(parseFixture(fixture));
      const step = findCaptionStep(dialog);
      const text = COMPOSER_TEXT[locale as keyof typeof COMPOSER_TEXT];
      expect(step?.layout).toBe("2024");
      expect(step?.captionEditor.getAttribute("role")).toBe("textbox");
      expect(step?.captionEditor.getAttribute("data-lexical-editor")).toBe("true");
      expect(step?.shareButton?.textContent).toBe(text.share[0]);
      expect(step?.shareButton?.getAttribute("role")).toBe("button");
    });
  }

  it("finds the textarea and <button> of the 2022 layout", () => {
    const step = findCaptionStep(dialogOf(parseFixture("caption-step-2022-en")));
    expect(step?.layout).toBe("2022");
    expect(step?.captionEditor.tagName).toBe("TEXTAREA");
    expect(step?.shareButton?.tagName).toBe("BUTTON");
    expect(step?.shareButton?.textContent).toBe("Share");
  });

  it("finds the step by structure in a language the table lacks", () => {
    const doc = parseFixture("caption-step-en");
    doc.documentElement.setAttribute("lang", "it");
    const dialog = dialogOf(doc);
    const [heading] = dialog.querySelectorAll('[role="heading"]');
    if (heading) heading.textContent = "Crea nuovo post";
    const share = Array.from(dialog.querySelectorAll('[role="button"]')).find(
      (b) => b.textContent === "Share",
    );
    if (share) share.textContent = "Condividi";
    const step = findCaptionStep(dialog);
    expect(step?.shareButton?.textContent).toBe("Condividi");
    expect(step?.captionEditor.getAttribute("contenteditable")).toBe("true");
  });

  it("keeps the editor as the anchor when Share was renamed", () => {
    const dialog = dialogOf(parseFixture("caption-step-en"));
    const share = Array.from(dialog.querySelectorAll('[role="button"]')).find(
      (b) => b.textContent === "Share",
    );
    if (share) share.textContent = "Post";
    const step = findCaptionStep(dialog);
    expect(step?.captionEditor.getAttribute("aria-label")).toBe("Write a caption...");
    expect(step?.shareButton?.textContent).toBe("Post");
  });

  for (const fixture of ["upload-step-en", "crop-step-en", "sharing-en", "post-shared-en"]) {
    it(`finds no caption step on ${fixture}`, () => {
      expect(findCaptionStep(dialogOf(parseFixture(fixture)))).toBeNull();
    });
  }

  it("ignores the caption editor of Edit info, which edits a post already shared", () => {
    expect(findCaptionStep(dialogOf(parseFixture("edit-info-en")))).toBeNull();
  });

  it("ignores the comment box of an opened post", () => {
    expect(findCaptionStep(dialogOf(parseFixture("post-view-en")))).toBeNull();
  });

  it("finds nothing to anchor on in the feed or an unknown layout", () => {
    for (const fixture of ["feed-en", "unknown-layout-en"]) {
      const doc = parseFixture(fixture);
      expect(doc.querySelector('[role="dialog"]')).toBeNull();
      expect(doc.querySelector('[role="textbox"]')).toBeNull();
    }
  });
});

describe("readCaption", () => {
  it("reads the Lexical editor line by line, blank lines and emoji kept", () => {
    const step = findCaptionStep(dialogOf(parseFixture("caption-step-en")));
    if (!step) throw new Error("no caption step");
    expect(readCaption(step)).toBe("Sunday bake 🍞 #sourdough #breadtok\n\nthanks @acme.bakery 👩🏽‍🍳");
  });

  it("reads non-Latin captions unchanged", () => {
    const step = findCaptionStep(dialogOf(parseFixture("caption-step-ja")));
    if (!step) throw new Error("no caption step");
    expect(readCaption(step)).toBe("焼きたてのパン🍞 #パン屋\n\n@pan.ya さんと");
  });

  it("turns Shift+Enter breaks into line breaks and an empty editor into nothing", () => {
    const step = findCaptionStep(dialogOf(parseFixture("caption-step-en")));
    if (!step) throw new Error("no caption step");
    step.captionEditor.innerHTML =
      '<p dir="auto"><span data-lexical-text="true">one</span><br><span data-lexical-text="true">two</span><br><br></p>' +
      '<p dir="auto"><span data-lexical-text="true">  three  </span></p>';
    expect(readCaption(step)).toBe("one\ntwo\n\n  three  ");
    step.captionEditor.innerHTML = '<p dir="auto"><br></p>';
    expect(readCaption(step)).toBe("");
  });

  it("reads the 2022 textarea's value", () => {
    const step = findCaptionStep(dialogOf(parseFixture("caption-step-2022-en")));
    if (!step) throw new Error("no caption step");
    (step.captionEditor as HTMLTextAreaElement).value = "line one\nline two #tag";
    expect(readCaption(step)).toBe("line one\nline two #tag");
  });
});
