// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { findCaptionStep, instagramSharesToFacebook } from "../../../lib/instagram/composer";
import { dialogOf, parseFixture } from "./composer-fixtures";

const stepOf = (fixture: string) => {
  const step = findCaptionStep(dialogOf(parseFixture(fixture)));
  if (!step) throw new Error(`${fixture} has no caption step`);
  return step;
};

describe("Instagram's own Share to Facebook toggle in the caption step", () => {
  it("is seen on when its row's switch is checked", () => {
    expect(instagramSharesToFacebook(stepOf("caption-step-instagram-shares-en"))).toBe(true);
  });

  it("is seen off once the user turns it off", () => {
    const step = stepOf("caption-step-instagram-shares-en");
    const toggle = step.dialog.querySelector<HTMLInputElement>('input[role="switch"][checked]');
    if (!toggle) throw new Error("fixture has no Facebook toggle");
    toggle.checked = false;
    expect(instagramSharesToFacebook(step)).toBe(false);
  });

  it("is not any other of Instagram's switches turned on", () => {
    const step = stepOf("caption-step-en");
    for (const toggle of Array.from(step.dialog.querySelectorAll<HTMLInputElement>('input[role="switch"]'))) {
      toggle.checked = true;
    }
    expect(instagramSharesToFacebook(step)).toBe(false);
  });

  it("is seen where Instagram writes Facebook in the language's own script", () => {
    const step = stepOf("caption-step-instagram-shares-en");
    const toggle = step.dialog.querySelector<HTMLInputElement>('input[role="switch"][checked]');
    const row = toggle?.closest("label") ?? toggle?.parentElement;
    if (!row) throw new Error("fixture has no Facebook toggle row");
    for (const label of ["مشاركة على فيسبوك", "페이스북에 공유", "Поделиться в Фейсбуке"]) {
      // The row says it in that language alone.
      row.replaceChildren(toggle as HTMLInputElement, label);
      expect(instagramSharesToFacebook(step), label).toBe(true);
    }
  });
});
