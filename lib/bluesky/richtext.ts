import { linkOf, tokenize } from "../caption/tokens";

/** One `app.bsky.richtext.facet`: a range of the text, in UTF-8 bytes, and what it is. */
export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: (
    | { $type: "app.bsky.richtext.facet#link"; uri: string }
    | { $type: "app.bsky.richtext.facet#tag"; tag: string }
  )[];
}

/** A tag is at most 64 graphemes and 640 bytes, without its `#` (app.bsky.richtext.facet#tag). */
const TAG_MAX_GRAPHEMES = 64;
const TAG_MAX_BYTES = 640;

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * The links and hashtags of a post's text, as Bluesky shows them only when told: a link facet per
 * link (the permalink too) and a tag facet per hashtag. Instagram's @mentions are not Bluesky
 * handles, so they stay plain text.
 */
export function facetsOf(text: string): Facet[] {
  const facets: Facet[] = [];
  let offset = 0;
  for (const token of tokenize(text)) {
    const start = offset;
    offset += token.text.length;
    if (token.kind === "url") {
      const { link, uri } = linkOf(token.text);
      if (uri) facets.push(facet(text, start, link.length, { $type: "app.bsky.richtext.facet#link", uri }));
    } else if (token.kind === "hashtag") {
      const tag = token.text.slice(1);
      if (fitsTag(tag)) {
        facets.push(facet(text, start, token.text.length, { $type: "app.bsky.richtext.facet#tag", tag }));
      }
    }
  }
  return facets;
}

function fitsTag(tag: string): boolean {
  if (encoder.encode(tag).length > TAG_MAX_BYTES) return false;
  let count = 0;
  for (const _ of graphemes.segment(tag)) if (++count > TAG_MAX_GRAPHEMES) return false;
  return true;
}

function facet(text: string, start: number, length: number, feature: Facet["features"][number]): Facet {
  const byteStart = encoder.encode(text.slice(0, start)).length;
  const byteEnd = byteStart + encoder.encode(text.slice(start, start + length)).length;
  return { index: { byteStart, byteEnd }, features: [feature] };
}
