import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toFacebookMessage } from "../../../lib/caption/message";
import type { CaptionRules } from "../../../lib/caption/rules";
import { hashtagsIn } from "../../../lib/caption/tokens";

// Captions built from the pieces real ones are made of, glued in every way, plus raw strings.
const piece = fc.constantFrom(
  "bake",
  "Pão",
  "빵",
  "パン屋",
  "مرحبا",
  "שלום",
  "हिंदी",
  "C#",
  "#1",
  "&#39;",
  "#sourdough",
  "#Sourdough",
  "#パン",
  "#빵스타그램",
  "#a_b",
  "@acme.bakery",
  "@jo_2",
  "me@acme.com",
  "https://example.com/p#top",
  "www.site.com/@x",
  "🍞",
  "👩🏽‍🍳",
  "🏳️‍🌈",
  "🇧🇷",
  "👍🏿",
  "!",
  ".",
  ",",
);
const glue = fc.constantFrom(" ", "  ", "\n", "\n\n", "", "\t", "\u3000");
const caption = fc.oneof(
  fc.array(fc.tuple(piece, glue), { maxLength: 30 }).map((parts) => parts.flat().join("")),
  fc.string({ unit: "grapheme", maxLength: 60 }),
);
const rules: fc.Arbitrary<CaptionRules> = fc.record({
  hashtags: fc.constantFrom("keep", "end", "drop", "first"),
  hashtagLimit: fc.integer({ min: 0, max: 30 }),
  mentions: fc.constantFrom("plain", "link"),
  appendPermalink: fc.boolean(),
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

function emojiIn(text: string): string[] {
  const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(segmenter.segment(text), ({ segment }) => segment)
    .filter((segment) => EMOJI.test(segment))
    .sort();
}

const run = (text: string, rule: CaptionRules) => toFacebookMessage(text, rule).text;

describe("caption rule properties", () => {
  it("'keep' with plain mentions gives the caption back unchanged", () => {
    fc.assert(
      fc.property(caption, fc.integer({ min: 0, max: 30 }), (text, hashtagLimit) => {
        expect(run(text, { hashtags: "keep", hashtagLimit, mentions: "plain", appendPermalink: false })).toBe(
          text,
        );
      }),
    );
  });

  it("never breaks a surrogate pair nor loses or splits an emoji", () => {
    fc.assert(
      fc.property(caption, rules, (text, rule) => {
        const out = toFacebookMessage(text, rule, "https://www.instagram.com/p/C0d3x/").text;
        expect(LONE_SURROGATE.test(out)).toBe(false);
        expect(emojiIn(out)).toEqual(emojiIn(text));
      }),
    );
  });

  it("'drop' leaves no hashtag", () => {
    fc.assert(
      fc.property(caption, (text) => {
        expect(
          hashtagsIn(
            run(text, { hashtags: "drop", hashtagLimit: 5, mentions: "plain", appendPermalink: false }),
          ),
        ).toEqual([]);
      }),
    );
  });

  it("'end' keeps every hashtag once, on the last line, in first-seen order", () => {
    fc.assert(
      fc.property(caption, (text) => {
        const out = run(text, {
          hashtags: "end",
          hashtagLimit: 5,
          mentions: "plain",
          appendPermalink: false,
        });
        const expected: string[] = [];
        for (const tag of hashtagsIn(text)) {
          if (!expected.some((seen) => seen.toLowerCase() === tag.toLowerCase())) expected.push(tag);
        }
        expect(hashtagsIn(out)).toEqual(expected);
        if (expected.length > 0) expect(out.split("\n").at(-1)).toBe(expected.join(" "));
      }),
    );
  });

  it("'first' keeps the first N hashtags in place", () => {
    fc.assert(
      fc.property(caption, fc.integer({ min: 0, max: 30 }), (text, hashtagLimit) => {
        const out = run(text, { hashtags: "first", hashtagLimit, mentions: "plain", appendPermalink: false });
        expect(hashtagsIn(out)).toEqual(hashtagsIn(text).slice(0, hashtagLimit));
      }),
    );
  });

  it("is idempotent without the permalink", () => {
    fc.assert(
      fc.property(caption, rules, (text, rule) => {
        const once = run(text, { ...rule, appendPermalink: false });
        expect(run(once, { ...rule, appendPermalink: false })).toBe(once);
      }),
    );
  });

  it("'drop' never makes a caption longer", () => {
    fc.assert(
      fc.property(caption, (text) => {
        const out = run(text, {
          hashtags: "drop",
          hashtagLimit: 0,
          mentions: "plain",
          appendPermalink: false,
        });
        expect(out.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
