import { describe, expect, it } from "vitest";
import {
  FACEBOOK_MESSAGE_LIMIT,
  isOverLimit,
  toFacebookMessage,
  withPermalink,
} from "../../../lib/caption/message";

const PERMALINK = "https://www.instagram.com/p/C9xYz_AbCdE/";

describe("the permalink line and the length warning", () => {
  it("adds 'See it on Instagram' as the last paragraph, after the text the user edited", () => {
    expect(withPermalink("Rye today\n", PERMALINK)).toBe(`Rye today\n\nSee it on Instagram: ${PERMALINK}`);
    expect(withPermalink("  ", PERMALINK)).toBe(`See it on Instagram: ${PERMALINK}`);
  });

  it("warns past 63,206 characters, counting an emoji as one", () => {
    expect(isOverLimit("🍞".repeat(FACEBOOK_MESSAGE_LIMIT))).toBe(false);
    expect(isOverLimit("🍞".repeat(FACEBOOK_MESSAGE_LIMIT + 1))).toBe(true);
  });
});

describe("the first comment", () => {
  const rules = { hashtags: "keep", hashtagLimit: 5, mentions: "plain", appendPermalink: false } as const;
  const caption = "Rye today #bread\nOut at 7 #rye #bread #bakery";

  it("moves every hashtag, once each, out of the text into the comment", () => {
    const message = toFacebookMessage(caption, { ...rules, hashtags: "comment" }, PERMALINK);
    expect(message.text).toBe("Rye today\nOut at 7");
    expect(message.comment).toBe("#bread #rye #bakery");
  });

  it("puts the permalink in the comment instead of the text, after the hashtags", () => {
    const linkRules = { ...rules, appendPermalink: true, permalinkInComment: true };
    expect(toFacebookMessage(caption, { ...linkRules, hashtags: "comment" }, PERMALINK)).toEqual({
      text: "Rye today\nOut at 7",
      comment: `#bread #rye #bakery\n\nSee it on Instagram: ${PERMALINK}`,
      overLimit: false,
    });
    const linkOnly = toFacebookMessage(caption, linkRules, PERMALINK);
    expect(linkOnly.text).toBe(caption);
    expect(linkOnly.comment).toBe(`See it on Instagram: ${PERMALINK}`);
  });

  it("makes no comment when nothing goes there: no hashtags, or the rules keep everything in the text", () => {
    expect(toFacebookMessage("No tags here", { ...rules, hashtags: "comment" }).comment).toBeUndefined();
    expect(
      toFacebookMessage(caption, { ...rules, appendPermalink: true }, PERMALINK).comment,
    ).toBeUndefined();
    // A link for the comment with no permalink known yet (the composer's preview): nothing to say.
    expect(
      toFacebookMessage("No tags", { ...rules, appendPermalink: true, permalinkInComment: true }).comment,
    ).toBeUndefined();
  });
});
