import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// A path, not a URL: the happy-dom environment replaces the global URL class.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/composer");

export const CAPTION_STEP_FIXTURES = {
  en: "caption-step-en",
  "pt-BR": "caption-step-pt-br",
  es: "caption-step-es",
  de: "caption-step-de",
  fr: "caption-step-fr",
  ko: "caption-step-ko",
  ja: "caption-step-ja",
} as const;

export function fixtureHtml(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.html`), "utf8");
}

/** A fixture page as a detached document (no observers run on it). */
export function parseFixture(name: string): Document {
  return new DOMParser().parseFromString(fixtureHtml(name), "text/html");
}

export function dialogOf(doc: Document): Element {
  const dialog = doc.querySelector('[role="dialog"]');
  if (!dialog) throw new Error("fixture has no dialog");
  return dialog;
}

/** Makes the live test document the given fixture page (its <html lang> included). */
export function showPage(doc: Document, name: string): void {
  const page = parseFixture(name).documentElement;
  doc.documentElement.setAttribute("lang", page.getAttribute("lang") ?? "");
  doc.documentElement.innerHTML = page.innerHTML;
}

/** The portal (body child) holding a fixture's dialog, ready to insert into `into`. */
export function portalFrom(name: string, into: Document): Element {
  let portal: Element | null = dialogOf(parseFixture(name));
  while (portal?.parentElement && portal.parentElement.tagName !== "BODY") portal = portal.parentElement;
  if (!portal) throw new Error(`${name} has no portal`);
  return into.importNode(portal, true);
}
