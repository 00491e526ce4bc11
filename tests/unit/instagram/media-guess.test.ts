// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { findCaptionStep } from "../../../lib/instagram/composer";
import { dialogOf, parseFixture } from "./composer-fixtures";

/** The English caption step, with its preview changed to show `media` and titled `title`. */
function captionStepShowing(media: string[], title?: string) {
  const doc = parseFixture("caption-step-en");
  const dialog = dialogOf(doc);
  const preview = dialog.querySelector('img[src^="blob:"]');
  if (!preview) throw new Error("fixture has no preview");
  preview.outerHTML = media
    .map((kind, index) =>
      kind === "video"
        ? `<video src="blob:https://www.instagram.com/v${index}"></video>`
        : `<img alt="" src="blob:https://www.instagram.com/p${index}">`,
    )
    .join("");
  const heading = dialog.querySelector('[role="heading"]');
  if (title && heading) heading.textContent = title;
  return findCaptionStep(dialog);
}

describe("what the caption step shows being posted (it decides which auto-share applies)", () => {
  it("one photo: a photo (the avatar from the CDN is not media)", () => {
    expect(captionStepShowing(["image"])?.media).toBe("photo");
  });
  it("several previews: a carousel, mixed photo and video too", () => {
    expect(captionStepShowing(["image", "image"])?.media).toBe("carousel");
    expect(captionStepShowing(["image", "video"])?.media).toBe("carousel");
  });
  it("a video titled 'Create new post': a video; titled otherwise ('New reel'): a reel", () => {
    expect(captionStepShowing(["video"])?.media).toBe("video");
    expect(captionStepShowing(["video"], "New reel")?.media).toBe("reel");
  });
});
