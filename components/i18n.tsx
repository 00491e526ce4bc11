import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { type Format, formatOf } from "./format";

/** Looks up one of our strings (browser.i18n in the extension, a table in tests). */
export type Translate = (key: string, substitutions?: string[]) => string;

export const TranslateContext = createContext<Translate>((key) => key);

export function useT(): Translate {
  return useContext(TranslateContext);
}

/** Numbers, dates and lists in the language of the strings on screen. */
export function useFormat(): Format {
  return formatOf(useT());
}
