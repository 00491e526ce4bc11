// How Instagram reads a caption line: links, #hashtags and @mentions among plain text.

export type Token =
  | { kind: "text"; text: string }
  | { kind: "url"; text: string }
  | { kind: "hashtag"; text: string; key: string }
  | { kind: "mention"; text: string; name: string };

// A hashtag is `#` + letters (any script, with their combining marks), digits or `_`, not glued to
// a word before it ("C#", "abc#def", "&#39;"); "#love#food" is two. Links are taken first so a
// `#fragment` or `/@user` inside one stays part of it. Instagram usernames are ASCII letters,
// digits, `.` and `_`, at most 30, never ending in `.`; a `@` after a word is an email address.
const TOKENS =
  /(?<![\p{L}\p{N}_])(?<url>https?:\/\/[^\s]+|www\.[^\s]+)|(?<![\p{L}\p{M}\p{N}_&#])(?<tags>#[\p{L}\p{M}\p{N}_]+(?:#[\p{L}\p{M}\p{N}_]+)*)|(?<![\p{L}\p{M}\p{N}_.@/])@(?<user>[A-Za-z0-9._]+)/gu;
const TAG = /#[\p{L}\p{M}\p{N}_]+/gu;
const DIGITS_ONLY = /^#\p{N}+$/u;
const USERNAME_MAX = 30;
const WORD_AFTER = /^[\p{L}\p{M}\p{N}]/u;

function mentionTokens(user: string, after: string): Token[] {
  const name = user.replace(/\.+$/, "");
  const dots = user.slice(name.length);
  // "@josé" or a 31-character handle is not a username Instagram would link.
  if (name === "" || name.length > USERNAME_MAX || (dots === "" && WORD_AFTER.test(after))) {
    return [{ kind: "text", text: `@${user}` }];
  }
  const mention: Token = { kind: "mention", text: `@${name}`, name };
  return dots === "" ? [mention] : [mention, { kind: "text", text: dots }];
}

function tagTokens(run: string): Token[] {
  return Array.from(
    run.matchAll(TAG),
    ([tag]): Token =>
      // "#1" is a rank, not a hashtag; Instagram does not link it either.
      DIGITS_ONLY.test(tag)
        ? { kind: "text", text: tag }
        : { kind: "hashtag", text: tag, key: tag.toLowerCase() },
  );
}

/** Splits text into tokens whose texts, joined, give the text back unchanged. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    const start = match.index;
    if (start > last) tokens.push({ kind: "text", text: text.slice(last, start) });
    const end = start + match[0].length;
    const { url, tags, user } = match.groups ?? {};
    if (url !== undefined) tokens.push({ kind: "url", text: url });
    else if (tags !== undefined) tokens.push(...tagTokens(tags));
    else if (user !== undefined) tokens.push(...mentionTokens(user, text.slice(end)));
    last = end;
  }
  if (last < text.length) tokens.push({ kind: "text", text: text.slice(last) });
  return tokens;
}

/** The hashtags of a caption, in order, repeats included. */
export function hashtagsIn(text: string): string[] {
  return tokenize(text).flatMap((token) => (token.kind === "hashtag" ? [token.text] : []));
}

/** Punctuation that ends a sentence after a link rather than belonging to it. */
const TRAILING = /[.,;:!?'"”’»)\]}]+$/u;

/**
 * A url token's link, without the punctuation that follows it in the sentence (a closing bracket
 * stays when the link opened one, as in a Wikipedia link), and the URI it points to.
 */
export function linkOf(text: string): { link: string; uri?: string } {
  const trailing = TRAILING.exec(text)?.[0] ?? "";
  let link = text.slice(0, text.length - trailing.length);
  const unclosed = (link.match(/\(/g) ?? []).length > (link.match(/\)/g) ?? []).length;
  if (unclosed && trailing.startsWith(")")) link += ")";
  try {
    const url = new URL(/^https?:\/\//i.test(link) ? link : `https://${link}`);
    return { link, uri: url.href };
  } catch {
    return { link };
  }
}
