import { describe, expect, it } from "vitest";
import { FACEBOOK_MESSAGE_LIMIT, isOverLimit, withPermalink } from "../../../lib/caption/message";

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
