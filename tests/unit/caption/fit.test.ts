import { describe, expect, it } from "vitest";
import { fitText, textLength } from "../../../lib/caption/fit";
import { withPermalink } from "../../../lib/caption/message";

const PERMALINK = "https://www.instagram.com/p/C9xYz_AbCdE/";
const LINE = `See it on Instagram: ${PERMALINK}`;
const BLUESKY = { max: 300, counts: "graphemes" } as const;
const graphemeCount = (text: string) => textLength(text, { counts: "graphemes" });

describe("fitting a text to a service's limit", () => {
  it("leaves a text that fits as it is, counted as the service counts", () => {
    const text = withPermalink("Rye today 🍞", PERMALINK);
    expect(fitText(text, BLUESKY, PERMALINK)).toEqual({ text, shortened: false });
    // 300 family emoji are 300 graphemes, but 1,500 code points.
    const family = "👨‍👩‍👧".repeat(300);
    expect(fitText(family, BLUESKY)).toEqual({ text: family, shortened: false });
    expect(fitText(family, { max: 300, counts: "code-points" }).shortened).toBe(true);
  });

  it("keeps the permalink line whole and cuts the text before it at a word, with an ellipsis", () => {
    const body = "Fresh rye from the wood oven, ".repeat(20).trim();
    const fitted = fitText(withPermalink(body, PERMALINK), BLUESKY, PERMALINK);
    expect(fitted.shortened).toBe(true);
    expect(fitted.text.endsWith(`…\n\n${LINE}`)).toBe(true);
    expect(graphemeCount(fitted.text)).toBeLessThanOrEqual(300);
    const kept = fitted.text.slice(0, fitted.text.indexOf("…"));
    expect(body.startsWith(kept)).toBe(true);
    // The cut falls after a whole word, with no space left before the ellipsis.
    expect(kept).toMatch(/(Fresh|rye|from|the|wood|oven,)$/);
  });

  it("adds the permalink line to a cut text that had none, so readers can see the rest", () => {
    const fitted = fitText("word ".repeat(100), { max: 100, counts: "code-points" }, PERMALINK);
    expect(fitted.text).toMatch(new RegExp(`^(word )*word…\\n\\n${LINE.replace(/[.?/]/g, "\\$&")}$`));
    expect([...fitted.text].length).toBeLessThanOrEqual(100);
  });

  it("shortens a text with no permalink to give, with the ellipsis only", () => {
    const fitted = fitText("one two three four five", { max: 12, counts: "code-points" });
    expect(fitted).toEqual({ text: "one two…", shortened: true });
  });

  it("never cuts inside an emoji, a flag or a letter with combining marks", () => {
    const text = `${"🇫🇷 ".repeat(5)}${"👩🏽‍🍳".repeat(20)} e\u0301\u0301${"é".repeat(40)}`;
    for (let max = 5; max < 40; max++) {
      const fitted = fitText(text, { max, counts: "graphemes" });
      expect(graphemeCount(fitted.text)).toBeLessThanOrEqual(max);
      const kept = fitted.text.replace(/…$/, "");
      // Every grapheme kept is a grapheme of the text, whole.
      const original = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)];
      const cut = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(kept)];
      expect(cut.map((s) => s.segment)).toEqual(original.slice(0, cut.length).map((s) => s.segment));
    }
  });

  it("cuts Japanese and Chinese text between words, though they have no spaces", () => {
    const text = "今日は新しいパンを焼きました。".repeat(30);
    const fitted = fitText(text, { max: 50, counts: "graphemes" }, PERMALINK);
    expect(graphemeCount(fitted.text)).toBeLessThanOrEqual(50);
    const kept = fitted.text.slice(0, fitted.text.indexOf("…"));
    expect(kept.length).toBeGreaterThan(0);
    const boundaries = new Set(
      [...new Intl.Segmenter(undefined, { granularity: "word" }).segment(text)].map((s) => s.index),
    );
    expect(boundaries.has(kept.length)).toBe(true);
  });

  it("never cuts a link or a hashtag in two: it is kept whole or left out", () => {
    const url = `https://example.com/${"long-path/".repeat(12)}`;
    const text = `Our menu is at ${url} and more #sourdoughbakery`;
    for (let max = 10; max < textLength(text, { counts: "code-points" }); max++) {
      const { text: fitted } = fitText(text, { max, counts: "code-points" });
      expect([...fitted].length).toBeLessThanOrEqual(max);
      if (fitted.includes("https://")) expect(fitted).toContain(url);
      if (fitted.includes("#")) expect(fitted).toContain("#sourdoughbakery");
    }
    expect(fitText(text, { max: 40, counts: "code-points" }).text).toBe("Our menu is at…");
  });

  it("counts every link as the service's link length (Mastodon: 23)", () => {
    const url = `https://example.com/${"x".repeat(200)}`;
    const text = `Menu: ${url}`;
    const mastodon = { max: 40, counts: "code-points", linkLength: 23 } as const;
    expect(textLength(text, mastodon)).toBe(29);
    expect(fitText(text, mastodon)).toEqual({ text, shortened: false });
    const longer = `${"Fresh bread daily. ".repeat(3)}${url}`;
    const withLine = { ...mastodon, max: 60 };
    const fitted = fitText(longer, withLine, PERMALINK);
    expect(textLength(fitted.text, withLine)).toBeLessThanOrEqual(60);
    expect(fitted.text).toBe(`Fresh bread…\n\n${LINE}`);
  });

  it("keeps only the permalink line when no word of the text fits before it", () => {
    const text = withPermalink("Supercalifragilisticexpialidocious bread", PERMALINK);
    const fitted = fitText(text, { max: graphemeCount(LINE) + 5, counts: "graphemes" });
    expect(fitted).toEqual({ text: LINE, shortened: true });
  });

  it("cuts one word longer than the whole room between graphemes when nothing else would be left", () => {
    expect(fitText("a".repeat(500), { max: 10, counts: "graphemes" })).toEqual({
      text: `${"a".repeat(9)}…`,
      shortened: true,
    });
  });
});
