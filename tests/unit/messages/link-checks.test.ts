import { describe, expect, it } from "vitest";
import { LOGIN_SCOPES, OPTIONAL_SCOPES } from "@/lib/facebook/oauth";
import {
  appIdVerdict,
  canSaveAppId,
  checkPermissions,
  missingRequired,
  SCOPE_BLOCKS,
  tokenVerdict,
} from "@/lib/messages/link-checks";

describe("the App ID check", () => {
  it.each([
    ["987654321012345", { state: "ok", digits: 15 }],
    [" 1234567890123456 ", { state: "ok", digits: 16 }],
    ["123456789", { state: "unusual-length", digits: 9 }],
    ["1234", { state: "bad-length", digits: 4 }],
    ["123456789012345678901", { state: "bad-length", digits: 21 }],
    ["0123456789abcdef0123456789abcdef", { state: "looks-like-secret" }],
    ["my-app-123", { state: "not-digits" }],
    ["EAAGpagetokenBakery0123456789", { state: "not-digits" }],
    ["987 654 321", { state: "not-digits" }],
    ["", { state: "empty" }],
  ])("judges %j as %j", (text, verdict) => {
    expect(appIdVerdict(text)).toEqual(verdict);
  });

  it("lets an unusual length be saved, but nothing the background would refuse", () => {
    expect(canSaveAppId(appIdVerdict("123456789"))).toBe(true);
    for (const text of ["", "1234", "my-app", "0123456789abcdef0123456789abcdef"]) {
      expect(canSaveAppId(appIdVerdict(text))).toBe(false);
    }
  });
});

describe("what each missing permission blocks", () => {
  it("names a blocked feature for every permission the sign-in asks for", () => {
    expect(Object.keys(SCOPE_BLOCKS).sort()).toEqual([...LOGIN_SCOPES, ...OPTIONAL_SCOPES].sort());
    expect(SCOPE_BLOCKS).toEqual({
      pages_show_list: "listing-pages",
      pages_manage_posts: "posting",
      pages_read_engagement: "posting-and-finding",
      publish_video: "reels",
      instagram_basic: "past-posts",
    });
  });

  it("tells a declined permission from one never granted, and only required ones block posting", () => {
    const checks = checkPermissions([
      { permission: "public_profile", status: "granted" },
      { permission: "pages_show_list", status: "granted" },
      { permission: "pages_read_engagement", status: "granted" },
      { permission: "publish_video", status: "granted" },
      { permission: "pages_manage_posts", status: "declined" },
      { permission: "instagram_basic", status: "expired" },
    ]);
    expect(checks.map((check) => [check.scope, check.state, check.required])).toEqual([
      ["pages_show_list", "granted", true],
      ["pages_manage_posts", "declined", true],
      ["pages_read_engagement", "granted", true],
      ["publish_video", "granted", true],
      ["instagram_basic", "missing", false],
    ]);
    expect(missingRequired(checks).map((check) => [check.scope, check.blocks])).toEqual([
      ["pages_manage_posts", "posting"],
    ]);
  });

  it("counts the optional instagram_basic as no obstacle to posting", () => {
    const granted = LOGIN_SCOPES.map((permission) => ({ permission, status: "granted" }));
    expect(missingRequired(checkPermissions(granted))).toEqual([]);
  });
});

describe("the verdict on a pasted token", () => {
  const bakery = { id: "1001", name: "Acme Bakery" };

  it("a Page token: which Page, its permissions, and that it never expires", () => {
    const verdict = tokenVerdict({
      isValid: true,
      type: "PAGE",
      scopes: ["pages_manage_posts", "pages_read_engagement", "pages_show_list"],
      expiresAt: 0,
      owner: bakery,
    });
    expect(verdict).toEqual({
      kind: "page",
      pageId: "1001",
      pageName: "Acme Bakery",
      permissions: [
        { scope: "pages_manage_posts", state: "granted", required: true, blocks: "posting" },
        { scope: "pages_read_engagement", state: "granted", required: true, blocks: "posting-and-finding" },
        { scope: "publish_video", state: "missing", required: true, blocks: "reels" },
        { scope: "instagram_basic", state: "missing", required: false, blocks: "past-posts" },
      ],
    });
  });

  it("a Page token that expires says when, in epoch milliseconds", () => {
    const verdict = tokenVerdict({
      isValid: true,
      type: "PAGE",
      scopes: [],
      expiresAt: 1_780_003_600,
      owner: bakery,
    });
    expect(verdict).toMatchObject({ kind: "page", expiresAt: 1_780_003_600_000 });
  });

  it("a user token is told apart, with whose it is", () => {
    expect(
      tokenVerdict({
        isValid: true,
        type: "USER",
        scopes: ["pages_show_list"],
        owner: { id: "42", name: "Dana Baker" },
      }),
    ).toEqual({ kind: "user", name: "Dana Baker" });
  });

  it("an app token, or one Facebook does not type, is not a Page token", () => {
    expect(tokenVerdict({ isValid: true, type: "APP", scopes: [] })).toEqual({ kind: "other", type: "APP" });
    expect(tokenVerdict({ isValid: true, scopes: [] })).toEqual({ kind: "other", type: "unknown" });
  });

  it("an invalid token is refused, with Facebook's reason", () => {
    expect(
      tokenVerdict({
        isValid: false,
        scopes: [],
        invalidReason: "Session has expired on Tuesday, 01-Dec-26.",
      }),
    ).toEqual({ kind: "refused", reason: "Session has expired on Tuesday, 01-Dec-26." });
  });
});
