import { browser } from "wxt/browser";

// WXT types getMessage per known key (and loses it under the polyfill); our keys come as strings.
const i18n = browser.i18n as unknown as { getMessage(name: string, substitutions?: string[]): string };

/** Our strings from `_locales`, in the browser's language; the key itself if one is missing. */
export function translate(key: string, substitutions?: string[]): string {
  return i18n.getMessage(key, substitutions) || key;
}
