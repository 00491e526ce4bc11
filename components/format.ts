/**
 * Numbers, dates, lists and "3 minutes ago" in the language of our strings, through Intl: the one
 * place views format what they show. Pure and hook-free, so the composer panel can use it without
 * pulling preact/hooks into the content script.
 */
export interface Format {
  /** The BCP 47 tag the strings are in ("pt-BR"), or undefined for the browser's own. */
  locale: string | undefined;
  dir: "ltr" | "rtl";
  number(value: number): string;
  /** Date and time, for a log line or a tooltip. */
  dateTime(at: number): string;
  /** "3 minutes ago"; the date once it is more than a week old. */
  timeAgo(then: number, now: number): string;
  /** "in 3 days", always with the number ("in 1 day", not "tomorrow"), so any sentence can hold it. */
  inDays(days: number): string;
  /** "in 30 minutes", "in 3 hours", "in 1 day": a delay, in the largest unit that counts it whole. */
  inMinutes(minutes: number): string;
  /** "A, B and C". */
  list(items: string[]): string;
}

// Scripts written right to left; our translations include ar.
const RTL = /^(ar|ckb|dv|fa|he|ps|sd|ug|ur|yi)(-|$)/i;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
];

const formats = new Map<string, Format>();

/** The formatter for `tag` (the `locale` message of our strings), made once per language. */
export function formatFor(tag: string | undefined): Format {
  let locale: string | undefined;
  try {
    locale = tag ? Intl.getCanonicalLocales(tag)[0] : undefined;
  } catch {
    locale = undefined;
  }
  const key = locale ?? "";
  const known = formats.get(key);
  if (known) return known;

  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const counted = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  const lists = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
  const format: Format = {
    locale,
    dir: locale && RTL.test(locale) ? "rtl" : "ltr",
    number: (value) => numbers.format(value),
    dateTime: (at) => dates.format(at),
    timeAgo: (then, now) => {
      let amount = Math.round((now - then) / 60_000);
      if (amount < 1) return relative.format(0, "second");
      for (const [unit, next] of UNITS) {
        if (amount < next) return relative.format(-amount, unit);
        amount = Math.round(amount / next);
      }
      return days.format(then);
    },
    inDays: (count) => counted.format(count, "day"),
    inMinutes: (minutes) =>
      minutes % 1440 === 0
        ? counted.format(minutes / 1440, "day")
        : minutes % 60 === 0
          ? counted.format(minutes / 60, "hour")
          : counted.format(minutes, "minute"),
    list: (items) => lists.format(items),
  };
  formats.set(key, format);
  return format;
}

/** The formatter for the strings `t` finds: their `locale` message names their language. */
export const formatOf = (t: (key: string) => string): Format => formatFor(t("locale"));
