import { withPermalink } from "./message";
import { type Token, tokenize } from "./tokens";

/** How a service measures a post's text. */
export interface TextLimit {
  max: number;
  /** Bluesky counts graphemes (what a reader sees as one character); Mastodon and Threads, code points. */
  counts: "code-points" | "graphemes";
  /** Every link counts as this many, whatever its length (Mastodon: 23). */
  linkLength?: number;
}

const ELLIPSIS = "…";
/** The permalink line's start, as `withPermalink` writes it. */
const PERMALINK_LINE_START = withPermalink("", "");
const PARAGRAPH_BREAK = "\n\n";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });

/** The text's length as the service counts it. */
export function textLength(text: string, limit: Pick<TextLimit, "counts" | "linkLength">): number {
  let length = 0;
  for (const token of tokenize(text)) length += tokenLength(token, limit);
  return length;
}

function tokenLength(token: Token, limit: Pick<TextLimit, "counts" | "linkLength">): number {
  if (token.kind === "url" && limit.linkLength !== undefined) return limit.linkLength;
  return plainLength(token.text, limit.counts);
}

function plainLength(text: string, counts: TextLimit["counts"]): number {
  if (counts === "code-points") return [...text].length;
  let length = 0;
  for (const _ of graphemes.segment(text)) length++;
  return length;
}

/**
 * The text as it fits `limit`. A text that fits is left as it is. A longer one keeps its "See it
 * on Instagram" line whole, and the rest is cut at a word boundary with "…": never inside a
 * grapheme, a link or a hashtag. When the text had no such line and `permalink` is given, the cut
 * text gets one, so readers can find the rest on Instagram.
 */
export function fitText(
  text: string,
  limit: TextLimit,
  permalink?: string,
): { text: string; shortened: boolean } {
  if (textLength(text, limit) <= limit.max) return { text, shortened: false };
  const { body, line } = splitPermalinkLine(text, permalink);
  const tail = line === undefined ? "" : `${PARAGRAPH_BREAK}${line}`;
  const room = limit.max - textLength(tail, limit) - plainLength(ELLIPSIS, limit.counts);
  // A limit too small for the line itself: the line gives way, so the text still fits.
  if (line !== undefined && room < 0) return { text: fitText(body, limit).text, shortened: true };
  // A word too long for the room is cut only when nothing else would be left to read.
  const kept = cutToLength(body, Math.max(0, room), limit, line === undefined);
  if (kept === "") return { text: line ?? "", shortened: true };
  return { text: `${kept}${ELLIPSIS}${tail}`, shortened: true };
}

/** The text before its permalink paragraph, and that paragraph (or the one to add). */
function splitPermalinkLine(text: string, permalink: string | undefined): { body: string; line?: string } {
  const start = text.lastIndexOf(PARAGRAPH_BREAK);
  const last = (start === -1 ? text : text.slice(start + PARAGRAPH_BREAK.length)).trim();
  const link = last.slice(PERMALINK_LINE_START.length);
  if (last.startsWith(PERMALINK_LINE_START) && link !== "" && !/\s/.test(link)) {
    return { body: start === -1 ? "" : text.slice(0, start), line: last };
  }
  return { body: text, ...(permalink && { line: withPermalink("", permalink) }) };
}

/**
 * The longest start of `text` that counts at most `room`, ending at a word boundary, without the
 * spaces it ends with. Links, hashtags and mentions are kept whole or left out. With `cutWord`, a
 * first word too long for the room is cut between graphemes, as there is no boundary in it.
 */
function cutToLength(text: string, room: number, limit: TextLimit, cutWord: boolean): string {
  let kept = "";
  let used = 0;
  for (const piece of pieces(text)) {
    const length = tokenLength(piece, limit);
    if (used + length > room) {
      if (cutWord && kept.trim() === "" && piece.kind === "text")
        kept += graphemesWithin(piece.text, room - used, limit);
      break;
    }
    kept += piece.text;
    used += length;
  }
  return kept.trimEnd();
}

/** The text as the units a cut may fall between: whole links, hashtags, mentions, and words. */
function* pieces(text: string): Generator<Token> {
  for (const token of tokenize(text)) {
    if (token.kind !== "text") {
      yield token;
      continue;
    }
    for (const { segment } of words.segment(token.text)) yield { kind: "text", text: segment };
  }
}

function graphemesWithin(text: string, room: number, limit: TextLimit): string {
  let kept = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const length = plainLength(segment, limit.counts);
    if (used + length > room) break;
    kept += segment;
    used += length;
  }
  return kept;
}
