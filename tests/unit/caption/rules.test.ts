import { describe, expect, it } from "vitest";
import { FACEBOOK_MESSAGE_LIMIT, toFacebookMessage } from "../../../lib/caption/message";
import { type CaptionRules, captionRulesSchema, DEFAULT_CAPTION_RULES } from "../../../lib/caption/rules";

const rules = (overrides: Partial<CaptionRules>): CaptionRules => ({
  ...DEFAULT_CAPTION_RULES,
  ...overrides,
});
const message = (caption: string, overrides: Partial<CaptionRules> = {}, permalink?: string) =>
  toFacebookMessage(caption, rules(overrides), permalink).text;

describe("caption rules schema", () => {
  it("accepts the defaults: keep hashtags, first 5, plain mentions, no permalink", () => {
    expect(captionRulesSchema.parse(DEFAULT_CAPTION_RULES)).toEqual({
      hashtags: "keep",
      hashtagLimit: 5,
      mentions: "plain",
      appendPermalink: false,
    });
  });

  it("rejects a hashtag limit outside 0..30 or not whole", () => {
    for (const hashtagLimit of [-1, 31, 2.5]) {
      expect(captionRulesSchema.safeParse(rules({ hashtagLimit })).success).toBe(false);
    }
  });

  it("rejects an unknown hashtag mode", () => {
    expect(captionRulesSchema.safeParse({ ...DEFAULT_CAPTION_RULES, hashtags: "shuffle" }).success).toBe(
      false,
    );
  });
});

describe("hashtags", () => {
  const caption = "Sunday bake 🍞 #sourdough and #Bread!\nWarm from the oven #bread #yum";

  it("keeps them as typed", () => {
    expect(message(caption)).toBe(caption);
  });

  it("moves them to one line at the end, in order, once each whatever their case", () => {
    expect(message(caption, { hashtags: "end" })).toBe(
      "Sunday bake 🍞 and!\nWarm from the oven\n\n#sourdough #Bread #yum",
    );
  });

  it("drops them and tidies the spaces they leave, keeping line breaks", () => {
    expect(message(caption, { hashtags: "drop" })).toBe("Sunday bake 🍞 and!\nWarm from the oven");
  });

  it("keeps only the first N", () => {
    expect(message(caption, { hashtags: "first", hashtagLimit: 2 })).toBe(
      "Sunday bake 🍞 #sourdough and #Bread!\nWarm from the oven",
    );
    expect(message(caption, { hashtags: "first", hashtagLimit: 0 })).toBe(
      message(caption, { hashtags: "drop" }),
    );
  });

  it("removes hashtag-only lines without leaving extra blank lines", () => {
    expect(message("Fresh rye today.\n\n#bread #rye\n#bakery", { hashtags: "drop" })).toBe(
      "Fresh rye today.",
    );
    expect(message("Fresh rye\n\n#bread\n\nSee you!", { hashtags: "drop" })).toBe("Fresh rye\n\nSee you!");
  });

  it("leaves a caption made only of hashtags as the tag line", () => {
    expect(message("#a #b #a", { hashtags: "end" })).toBe("#a #b");
    expect(message("#a #b", { hashtags: "drop" })).toBe("");
  });

  it("does not touch lines that had no hashtag, intentional spaces included", () => {
    expect(message("two  spaces\n\n\nthree breaks #x", { hashtags: "drop" })).toBe(
      "two  spaces\n\n\nthree breaks",
    );
  });

  it("ignores # inside words, numbers, links and entities", () => {
    const text = "C# and F#, we're #1, abc#def, https://example.com/page#top www.site.com/#x &#39;";
    for (const hashtags of ["drop", "end", "first"] as const) {
      expect(message(text, { hashtags, hashtagLimit: 0 })).toBe(text);
    }
  });

  it("splits hashtags written together", () => {
    expect(message("love #food#bakery today", { hashtags: "end" })).toBe("love today\n\n#food #bakery");
  });

  it("recognises hashtags in any script", () => {
    expect(message("빵 #베이커리 パン #パン屋 خبز #مخبز हिंदी #रोटी", { hashtags: "end" })).toBe(
      "빵 パン خبز हिंदी\n\n#베이커리 #パン屋 #مخبز #रोटी",
    );
  });
});

describe("mentions", () => {
  it("keeps @name as typed when plain", () => {
    expect(message("thanks @acme.bakery!")).toBe("thanks @acme.bakery!");
  });

  it("links the Instagram profile when asked, keeping a sentence's final dot", () => {
    expect(message("thanks @acme.bakery. And @jo_2!", { mentions: "link" })).toBe(
      "thanks instagram.com/acme.bakery. And instagram.com/jo_2!",
    );
  });

  it("leaves emails, links and over-long names alone", () => {
    const text = `mail me@acme.com, https://x.com/@acme, @${"a".repeat(31)} @josé`;
    expect(message(text, { mentions: "link" })).toBe(text);
  });
});

describe("permalink", () => {
  const permalink = "https://www.instagram.com/p/C0d3x/";

  it("adds a line after a blank line when asked and known", () => {
    expect(message("Fresh rye\n", { appendPermalink: true }, permalink)).toBe(
      `Fresh rye\n\nSee it on Instagram: ${permalink}`,
    );
  });

  it("adds nothing without a permalink or when not asked", () => {
    expect(message("Fresh rye", { appendPermalink: true })).toBe("Fresh rye");
    expect(message("Fresh rye", {}, permalink)).toBe("Fresh rye");
  });

  it("comes after the moved hashtags", () => {
    expect(message("Rye #bread", { hashtags: "end", appendPermalink: true }, permalink)).toBe(
      `Rye\n\n#bread\n\nSee it on Instagram: ${permalink}`,
    );
  });
});

describe("length", () => {
  it("counts code points, so emoji count once", () => {
    const emoji = "🍞".repeat(FACEBOOK_MESSAGE_LIMIT);
    expect(emoji.length).toBe(2 * FACEBOOK_MESSAGE_LIMIT);
    expect(toFacebookMessage(emoji, DEFAULT_CAPTION_RULES)).toEqual({ text: emoji, overLimit: false });
    expect(toFacebookMessage(`${emoji}a`, DEFAULT_CAPTION_RULES).overLimit).toBe(true);
  });

  it("never shortens a text over the limit", () => {
    const long = "a".repeat(FACEBOOK_MESSAGE_LIMIT + 10);
    expect(toFacebookMessage(long, DEFAULT_CAPTION_RULES).text).toBe(long);
  });
});

describe("text that must survive", () => {
  it("keeps ZWJ sequences, flags, skin tones, RTL and line breaks", () => {
    const text = "👩🏽‍🍳 🏳️‍🌈 🇧🇷🇯🇵 👍🏿\nשלום עולם\r\nمرحبا بالعالم\n\n中文 日本語 한국어";
    for (const hashtags of ["keep", "end", "drop", "first"] as const) {
      for (const mentions of ["plain", "link"] as const) {
        expect(message(text, { hashtags, mentions })).toBe(text);
      }
    }
  });
});
