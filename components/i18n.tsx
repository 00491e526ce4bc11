import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** Looks up one of our strings (browser.i18n in the extension, a table in tests). */
export type Translate = (key: string, substitutions?: string[]) => string;

export const TranslateContext = createContext<Translate>((key) => key);

export function useT(): Translate {
  return useContext(TranslateContext);
}
