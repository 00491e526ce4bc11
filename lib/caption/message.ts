import type { CaptionRules } from "./rules";
import { type Token, tokenize } from "./tokens";

// Apart from the rules' schema, so the composer content script carries the rules without zod's
// number and boolean schemas (module-level schemas are never tree-shaken out of a bundle).

/**
 * Facebook's limit for a post's message. Facebook counts characters, so we count Unicode code
 * points: an emoji outside the BMP is one, not the two UTF-16 units `String.length` sees.
 */
export const FACEBOOK_MESSAGE_LIMIT = 63206;

const SPACE_AT_START = /^[^\S\r\n]+/;
const SPACE_AT_END = /[^\S\r\n]+$/;
// No space is left before punctuation that followed a removed hashtag ("Loved it #tbt!").
const CLOSING_PUNCTUATION = /^[.,!?;:)\]}…。、！？]/u;

// A line with some hashtags taken out, or null when nothing but hashtags (and spaces) was on it.
function withoutTags(tokens: Token[], remove: (token: Token) => boolean): string | null {
  let out = "";
  let removedAny = false;
  let justRemoved = false;
  for (const token of tokens) {
    if (remove(token)) {
      removedAny = true;
      justRemoved = true;
      continue;
    }
    let piece = token.text;
    if (justRemoved) {
      if (out === "" || SPACE_AT_END.test(out)) piece = piece.replace(SPACE_AT_START, "");
      if (CLOSING_PUNCTUATION.test(piece)) out = out.replace(SPACE_AT_END, "");
      justRemoved = piece === "";
    }
    out += piece;
  }
  if (justRemoved) out = out.replace(SPACE_AT_END, "");
  return removedAny && out.trim() === "" ? null : out;
}

// Joins lines, dropping the ones that became empty; blank lines around a dropped line collapse to
// one, and none is left at either end because of it. Lines nothing was taken from stay as typed.
function joinLines(lines: (string | null)[]): string {
  const kept: string[] = [];
  let afterDropped = false;
  for (const line of lines) {
    if (line === null) {
      afterDropped = true;
      continue;
    }
    const blank = line.trim() === "";
    const previous = kept[kept.length - 1];
    if (afterDropped && blank && (previous === undefined || previous.trim() === "")) continue;
    if (!blank) afterDropped = false;
    kept.push(line);
  }
  if (afterDropped) {
    while (kept.length > 0 && kept[kept.length - 1]?.trim() === "") kept.pop();
  }
  return kept.join("\n");
}

/** The caption with the hashtag rule applied, and the hashtags it moved out, as one line. */
function applyHashtagRule(caption: string, rules: CaptionRules): { text: string; tagLine?: string } {
  if (rules.hashtags === "keep") return { text: caption };
  const lines = caption.split("\n").map(tokenize);
  const tags = lines.flat().filter((token) => token.kind === "hashtag");
  if (tags.length === 0) return { text: caption };

  const keep = new Set(rules.hashtags === "first" ? tags.slice(0, rules.hashtagLimit) : []);
  const body = joinLines(
    lines.map((line) => withoutTags(line, (token) => token.kind === "hashtag" && !keep.has(token))),
  );
  if (rules.hashtags !== "end" && rules.hashtags !== "comment") return { text: body };

  const unique = new Map<string, string>();
  for (const tag of tags) if (tag.kind === "hashtag" && !unique.has(tag.key)) unique.set(tag.key, tag.text);
  const tagLine = Array.from(unique.values()).join(" ");
  if (rules.hashtags === "comment") return { text: body, tagLine };
  const text = body.trimEnd();
  return { text: text === "" ? tagLine : `${text}\n\n${tagLine}` };
}

function applyMentionRule(text: string, rules: CaptionRules): string {
  if (rules.mentions === "plain") return text;
  return tokenize(text)
    .map((token) => (token.kind === "mention" ? `instagram.com/${token.name}` : token.text))
    .join("");
}

/** Whether Facebook would refuse `text` as a post's message. */
export function isOverLimit(text: string): boolean {
  return Array.from(text).length > FACEBOOK_MESSAGE_LIMIT;
}

/** The text with "See it on Instagram: <permalink>" as its last paragraph. */
export function withPermalink(text: string, permalink: string): string {
  const line = `See it on Instagram: ${permalink}`;
  return text.trim() === "" ? line : `${text.trimEnd()}\n\n${line}`;
}

/** Whether the rules put the permalink in the first comment rather than in the text. */
export function permalinkGoesInComment(rules: CaptionRules): boolean {
  return rules.appendPermalink && rules.permalinkInComment === true;
}

/**
 * The Facebook post message for an Instagram caption, and the first comment the rules move part of
 * it to (its hashtags, the permalink), if any. Nothing is ever cut: emoji, line breaks and every
 * script pass through untouched, and `overLimit` tells the caller the text is too long.
 */
export function toFacebookMessage(
  caption: string,
  rules: CaptionRules,
  permalink?: string,
): { text: string; comment?: string; overLimit: boolean } {
  const { text: body, tagLine } = applyHashtagRule(caption, rules);
  let text = applyMentionRule(body, rules);
  const linkInComment = permalinkGoesInComment(rules);
  if (rules.appendPermalink && !linkInComment && permalink) text = withPermalink(text, permalink);
  const comment = firstComment(tagLine, linkInComment ? permalink : undefined);
  return { text, ...(comment && { comment }), overLimit: isOverLimit(text) };
}

/** The first comment's text: the moved hashtags, then the permalink line; undefined when empty. */
function firstComment(tagLine: string | undefined, permalink: string | undefined): string | undefined {
  const text = permalink ? withPermalink(tagLine ?? "", permalink) : (tagLine ?? "");
  return text === "" ? undefined : text;
}
