// Every selector and visible string the composer detection relies on. Instagram's class names are
// obfuscated and change weekly, so we anchor on roles and tags; text is only a hint (DESIGN §2).
// Each entry names the fixtures in tests/fixtures/composer/ it must match; tests/unit/instagram/any-language.test.ts
// holds the languages the table lacks, and the decoys that must never match.

export const SELECTORS = {
  // caption-step-{en,pt-br,es,de,fr,ko,ja}.html, caption-step-2022-en.html, upload-step-en.html,
  // crop-step-en.html, post-shared-en.html, edit-info-en.html, post-view-en.html
  dialog: '[role="dialog"]',
  // Instagram's React root, which holds the feed: feed-en.html and the stand-in page. Dialogs are
  // portalled next to it as children of <body>, so it is the one layer the watcher never follows.
  appRoot: 'div[id^="mount_"]',
  // Step titles ("Create new post", "Crop", "Post shared"): every step fixture above; the 2022
  // layout titled its steps with a bare <h1>: caption-step-2022-en.html. A dialog labelled by
  // aria-label alone titles its step with a plain span: caption-step-span-title-it.html.
  heading: '[role="heading"], h1',
  // Where such a plain title may be: caption-step-span-title-it.html.
  plainTitle: "span, div",
  // The Lexical caption editor: caption-step-{en,pt-br,es,de,fr,ko,ja,it,tr,ar}.html, edit-info-en.html;
  // with only aria-placeholder and no role: caption-step-placeholder-only-tr.html.
  captionEditor2024:
    '[role="textbox"][contenteditable="true"], [contenteditable="true"][data-lexical-editor="true"]',
  // The 2022 caption field: caption-step-2022-en.html. Also the comment box of post-view-en.html,
  // which has no preview of the user's own media, so it is never taken for a caption step.
  captionEditor2022: "textarea",
  // Share is a div[role=button] today and was a <button> in 2022: every caption-step fixture.
  button: '[role="button"], button',
  // Instagram's toggles ("Hide like and view counts", its own "Share to Facebook"): every caption-step
  // fixture; the Facebook one: caption-step-instagram-shares-en.html.
  toggle: 'input[type="checkbox"][role="switch"]',
  // The first step of the create flow hides a file picker: upload-step-en.html.
  fileInput: 'input[type="file"]',
  // The media being posted, previewed from the user's own files (blob: URLs; what is already posted
  // comes from the CDN): every caption-step fixture, and never edit-info-en.html or post-view-en.html.
  preview: 'img[src^="blob:"], video[src^="blob:"], video[poster^="blob:"]',
} as const;

export type Locale = "en" | "pt-BR" | "es" | "de" | "fr" | "ko" | "ja";

export type ComposerText = {
  share: string[];
  createTitle: string[];
  sharedTitle: string[];
};

// Instagram web's own strings, as rendered in each language (older wordings kept where they changed).
export const COMPOSER_TEXT: Record<Locale, ComposerText> = {
  en: {
    share: ["Share"],
    createTitle: ["Create new post"],
    sharedTitle: ["Post shared", "Reel shared"],
  },
  "pt-BR": {
    share: ["Compartilhar"],
    createTitle: ["Criar nova publicação", "Criar novo post"],
    sharedTitle: ["Publicação compartilhada", "Post compartilhado", "Reel compartilhado"],
  },
  es: {
    share: ["Compartir"],
    createTitle: ["Crear nueva publicación"],
    sharedTitle: ["Publicación compartida", "Reel compartido"],
  },
  de: {
    share: ["Teilen"],
    createTitle: ["Neuen Beitrag erstellen"],
    sharedTitle: ["Beitrag geteilt", "Reel geteilt"],
  },
  fr: {
    share: ["Partager"],
    createTitle: ["Créer une publication", "Créer une nouvelle publication"],
    sharedTitle: ["Publication partagée", "Reel partagé"],
  },
  ko: {
    share: ["공유하기"],
    createTitle: ["새 게시물 만들기"],
    sharedTitle: ["게시물이 공유되었습니다", "릴스가 공유되었습니다"],
  },
  ja: {
    share: ["シェア"],
    createTitle: ["新規投稿を作成"],
    sharedTitle: ["投稿がシェアされました", "リール動画がシェアされました"],
  },
};

const LOCALES = Object.keys(COMPOSER_TEXT) as Locale[];

/** The table entry for an `<html lang>` value ("pt-br", "pt", "ja-JP"), or null when we have none. */
export function pickLocale(lang: string | null | undefined): Locale | null {
  const wanted = (lang ?? "").trim().toLowerCase();
  if (wanted === "") return null;
  const exact = LOCALES.find((locale) => locale.toLowerCase() === wanted);
  if (exact) return exact;
  const primary = wanted.split(/[-_]/)[0];
  return LOCALES.find((locale) => locale.toLowerCase().split("-")[0] === primary) ?? null;
}

function mergeText(parts: ComposerText[]): ComposerText {
  return {
    share: parts.flatMap((part) => part.share),
    createTitle: parts.flatMap((part) => part.createTitle),
    sharedTitle: parts.flatMap((part) => part.sharedTitle),
  };
}

/**
 * The text hints for a page: its own language plus English (Instagram leaves some strings
 * untranslated), or every language we know when the page's is not in the table. Hints only
 * confirm what structure found; a language the table lacks is found without them.
 */
export function composerTextFor(doc: Document): ComposerText {
  const locale = pickLocale(doc.documentElement.getAttribute("lang"));
  if (locale === null) return mergeText(LOCALES.map((known) => COMPOSER_TEXT[known]));
  return locale === "en" ? COMPOSER_TEXT.en : mergeText([COMPOSER_TEXT[locale], COMPOSER_TEXT.en]);
}

// "Write a caption..." and "Write a caption…" (and a stray space before the dots) are one string.
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.]+$/, "")
    .trim();
}

export function matchesText(text: string | null | undefined, hints: readonly string[]): boolean {
  if (!text) return false;
  const normalized = normalizeText(text);
  return normalized !== "" && hints.some((hint) => normalizeText(hint) === normalized);
}
