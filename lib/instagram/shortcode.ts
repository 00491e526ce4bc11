/**
 * A post's web shortcode (`/p/<code>/`) is its media pk written in base 64, big-endian, with the
 * URL-safe alphabet; the Graph API gives the same shortcode (`shortcode`) but its own media `id`.
 * So the pk is read from the shortcode, and a post shared from the composer (which knows the pk)
 * and from the API list get the same job id. (As public Instagram clients do it: e.g.
 * ahmdrz/goinsta `MediaFromCode`, instaloader `shortcode_to_mediaid`.)
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Eleven digits hold any 64-bit pk. A longer code (a private post's) carries more than the pk,
 * and guessing which part is the pk could share a post twice, so it is refused.
 */
const MAX_CODE_LENGTH = 11;

export function pkFromShortcode(code: string): string | undefined {
  if (code.length === 0 || code.length > MAX_CODE_LENGTH) return undefined;
  let pk = 0n;
  for (const char of code) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    pk = pk * 64n + BigInt(digit);
  }
  return pk.toString();
}

export function shortcodeFromPk(pk: string): string {
  let rest = BigInt(pk);
  let code = "";
  do {
    code = ALPHABET.charAt(Number(rest % 64n)) + code;
    rest /= 64n;
  } while (rest > 0n);
  return code;
}
