import { describe, expect, it } from "vitest";
import { shareDialogUrl } from "@/lib/facebook/share-dialog";

const PERMALINK = "https://www.instagram.com/p/C9xYz_AbCdE/";

describe("Facebook's share dialog for a profile", () => {
  it("uses sharer.php with the post's link when no app id is stored", () => {
    const url = shareDialogUrl(PERMALINK);
    expect(url).toBe(`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(PERMALINK)}`);
  });

  it("uses the Feed dialog as a popup with the user's own app id", () => {
    const url = new URL(shareDialogUrl(PERMALINK, "1234567890"));
    expect(url.origin + url.pathname).toBe("https://www.facebook.com/dialog/share");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      app_id: "1234567890",
      href: PERMALINK,
      display: "popup",
    });
  });

  it("refuses to share anything but an Instagram post link", () => {
    expect(() => shareDialogUrl("https://evil.example/p/C9xYz_AbCdE/")).toThrow(/Instagram post links/);
  });
});
