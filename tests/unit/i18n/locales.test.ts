import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/*
 * Every translation in public/_locales says everything English says, with the same placeholders,
 * so no user meets a key name, an English leftover sentence, or a "$1" the browser did not fill.
 */

type Message = { message: string; description?: string; placeholders?: Record<string, unknown> };
type Messages = Record<string, Message>;

const DIR = "public/_locales";
/** The UI languages the composer detection knows (Chrome's folder names). */
const REQUIRED = ["en", "pt_BR", "es", "de", "fr", "it", "ja", "ko", "zh_TW", "nl", "pl", "tr", "id", "ar"];

const read = (locale: string) =>
  JSON.parse(readFileSync(`${DIR}/${locale}/messages.json`, "utf8")) as Messages;
const english = read("en");
const locales = readdirSync(DIR).filter((locale) => locale !== "en");

/** The `$1` and `$NAME$` references of a message, in order of appearance, as the browser fills them. */
const references = (text: string) =>
  [...text.matchAll(/\$(\w+)\$|\$\d/g)]
    .map((match) => (match[1] ? `$${match[1].toUpperCase()}$` : match[0]))
    .sort();

describe("the translations", () => {
  it("cover every UI language the composer detection knows", () => {
    expect(readdirSync(DIR).sort()).toEqual(expect.arrayContaining(REQUIRED.sort()));
  });

  it("English names every placeholder it uses", () => {
    const undefinedNames = Object.entries(english).flatMap(([key, { message, placeholders }]) =>
      references(message)
        .filter((name) => /^\$\w+\$$/.test(name) && !placeholders?.[name.slice(1, -1).toLowerCase()])
        .map((name) => `${key}: ${name}`),
    );
    expect(undefinedNames).toEqual([]);
  });

  describe.each(locales)("%s", (locale) => {
    const messages = read(locale);

    it("has every key of English and no other", () => {
      expect({
        missing: Object.keys(english).filter((key) => !(key in messages)),
        extra: Object.keys(messages).filter((key) => !(key in english)),
      }).toEqual({ missing: [], extra: [] });
    });

    it("uses the same placeholders as English in every message", () => {
      const differing = Object.keys(english)
        .filter((key) => messages[key])
        .filter(
          (key) =>
            JSON.stringify(references(messages[key]?.message ?? "")) !==
              JSON.stringify(references(english[key]?.message ?? "")) ||
            JSON.stringify(messages[key]?.placeholders) !== JSON.stringify(english[key]?.placeholders),
        );
      expect(differing).toEqual([]);
    });

    it("keeps the name and description within what the stores accept (75 and 132 characters)", () => {
      expect([...(messages.extName?.message ?? "")].length).toBeLessThanOrEqual(75);
      expect([...(messages.extDescription?.message ?? "")].length).toBeLessThanOrEqual(132);
    });

    it("leaves no message empty", () => {
      expect(Object.keys(messages).filter((key) => !messages[key]?.message.trim())).toEqual([]);
    });

    it("names its own language, as the pages' lang and the language of dates and numbers", () => {
      expect(messages.locale?.message).toBe(locale.replace("_", "-"));
      expect(Intl.getCanonicalLocales(messages.locale?.message ?? "")).toEqual([locale.replace("_", "-")]);
    });
  });
});
