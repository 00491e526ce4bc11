import { describe, expect, it } from "vitest";
import { formatFor } from "@/components/format";

const NOW = Date.UTC(2026, 7, 1, 12);
const MINUTE = 60_000;

describe("numbers, dates and lists in the language of our strings", () => {
  it("writes numbers the way each language does", () => {
    expect(formatFor("en").number(63206)).toBe("63,206");
    expect(formatFor("de").number(63206)).toBe("63.206");
    expect(formatFor("pt-BR").number(63206)).toBe("63.206");
  });

  it("counts days with the language's own plural forms", () => {
    expect(formatFor("en").inDays(1)).toBe("in 1 day");
    expect(formatFor("en").inDays(3)).toBe("in 3 days");
    expect(formatFor("pl").inDays(2)).toBe("za 2 dni");
    expect(formatFor("pl").inDays(5)).toBe("za 5 dni");
    expect(formatFor("fr").inDays(3)).toBe("dans 3 jours");
  });

  it("says how long ago, and gives the date past a week", () => {
    expect(formatFor("en").timeAgo(NOW - 3 * MINUTE, NOW)).toBe("3 minutes ago");
    expect(formatFor("es").timeAgo(NOW - 2 * 60 * MINUTE, NOW)).toBe("hace 2 horas");
    expect(formatFor("en").timeAgo(NOW - 10, NOW)).toBe("now");
    expect(formatFor("en").timeAgo(Date.UTC(2026, 6, 1, 12), NOW)).toBe("Jul 1, 2026");
  });

  it("joins names as a sentence would", () => {
    expect(formatFor("en").list(["Acme Bakery", "Acme Café"])).toBe("Acme Bakery and Acme Café");
    expect(formatFor("es").list(["A", "B", "C"])).toBe("A, B y C");
  });

  it("writes Arabic right to left, the others left to right", () => {
    expect(formatFor("ar").dir).toBe("rtl");
    expect(formatFor("en").dir).toBe("ltr");
    expect(formatFor("zh-TW").dir).toBe("ltr");
  });

  it("falls back to the browser's language for a tag that is no language", () => {
    expect(formatFor("not a tag").locale).toBeUndefined();
    expect(formatFor(undefined).number(2)).toBe(new Intl.NumberFormat().format(2));
  });
});
