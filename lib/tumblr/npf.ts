import { linkOf, tokenize } from "../caption/tokens";

/** One NPF text block: a paragraph, its links marked in Unicode code points (NPF spec). */
export interface TextBlock {
  type: "text";
  text: string;
  formatting?: { start: number; end: number; type: "link"; url: string }[];
}

/** At most 30 tags a post, each at most 140 characters, as Tumblr takes them. */
const MAX_TAGS = 30;
const MAX_TAG_LENGTH = 140;
/** Tumblr keeps a slug of up to 55 characters; ours ends with the job's mark. */
const SLUG_WORDS_MAX = 40;

/**
 * The caption as NPF text blocks: one per line, an empty one for a blank line (as Tumblr stores
 * them), every link marked so it can be followed. Instagram's @mentions are not Tumblr blogs,
 * so they stay plain text.
 */
export function textBlocks(text: string): TextBlock[] {
  const lines = text.replace(/\r\n?/g, "\n").trim().split("\n");
  return text.trim() === "" ? [] : lines.map(textBlock);
}

function textBlock(line: string): TextBlock {
  const formatting: NonNullable<TextBlock["formatting"]> = [];
  let offset = 0;
  for (const token of tokenize(line)) {
    const start = offset;
    offset += codePoints(token.text);
    if (token.kind !== "url") continue;
    const { link, uri } = linkOf(token.text);
    if (uri) formatting.push({ start, end: start + codePoints(link), type: "link", url: uri });
  }
  return formatting.length > 0 ? { type: "text", text: line, formatting } : { type: "text", text: line };
}

/** The caption's hashtags as the post's Tumblr tags (without `#`, each once), which Tumblr lists by. */
export function tagsOf(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const token of tokenize(text)) {
    if (token.kind !== "hashtag" || seen.has(token.key)) continue;
    const tag = token.text.slice(1);
    if (codePoints(tag) > MAX_TAG_LENGTH) continue;
    seen.add(token.key);
    tags.push(tag);
  }
  return tags.slice(0, MAX_TAGS);
}

/**
 * The post's slug: the caption's first words, then a mark made from the job's id. Tumblr keeps
 * the slug it is given and lists it with the post, so an earlier attempt's post is known by its
 * mark; a repeat of the same caption by hand never carries it.
 */
export async function slugFor(jobId: string, text: string): Promise<string> {
  const all = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/https?:\/\/\S+|[#@]\S+/g, " ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // Cut at a word's end: the mark keeps the whole within Tumblr's 55.
  const words = all.length <= SLUG_WORDS_MAX ? all : all.slice(0, SLUG_WORDS_MAX + 1).replace(/-[^-]*$/, "");
  const mark = await markOf(jobId);
  return words ? `${words}-${mark}` : mark;
}

/** Whether a listed post's slug carries the job's mark (its last part). */
export async function slugMarks(slug: string | undefined, jobId: string): Promise<boolean> {
  const mark = await markOf(jobId);
  return slug === mark || (slug?.endsWith(`-${mark}`) ?? false);
}

/** Ten hexadecimal digits of SHA-256 over the job's id: nothing of the post or the account in it. */
async function markOf(jobId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`alsoshare:${jobId}`));
  return [...new Uint8Array(digest).slice(0, 5)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function codePoints(text: string): number {
  return [...text].length;
}
