import { describe, expect, it } from "vitest";
import { pkFromShortcode, shortcodeFromPk } from "@/lib/instagram/shortcode";

/**
 * The mapping as instaloader's `Post.shortcode_to_mediaid` does it, independently of ours: pad the
 * code to 12 digits with "A" (zero), decode it as base64url, read the 9 bytes big-endian.
 */
function instaloaderPk(code: string): string {
  const bytes = Buffer.from("A".repeat(12 - code.length) + code, "base64url");
  return BigInt(`0x${bytes.toString("hex")}`).toString();
}

describe("a post's web pk from the shortcode Instagram's API gives", () => {
  const pks = ["3141592653589793238", "3100000000000000001", "9223372036854775807", "1", "64"];

  it.each(pks)("reads back pk %s from its shortcode, the way instaloader reads it", (pk) => {
    const code = shortcodeFromPk(pk);
    expect(code).toMatch(/^[A-Za-z0-9_-]{1,11}$/);
    expect(pkFromShortcode(code)).toBe(pk);
    expect(instaloaderPk(code)).toBe(pk);
  });

  it("writes a 19-digit pk as the 11-character code instagram.com links show", () => {
    expect(shortcodeFromPk("3141592653589793238")).toBe("CuZLd-iMknW");
    expect(pkFromShortcode("CuZLd-iMknW")).toBe("3141592653589793238");
  });

  it("refuses a code it cannot read as one pk, rather than guessing one", () => {
    expect(pkFromShortcode("CuZLd-iMknWextraPrivate")).toBeUndefined();
    expect(pkFromShortcode("CuZLd+iMknW")).toBeUndefined();
    expect(pkFromShortcode("")).toBeUndefined();
  });
});
