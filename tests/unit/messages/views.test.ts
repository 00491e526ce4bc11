import { describe, expect, it } from "vitest";
import { accountView, eventView, tokenHealth } from "@/lib/messages/views";
import { linkPage, PAGE_TOKEN } from "../../support/fixtures";

const NOW = 1_780_000_000_000;
const DAY = 86_400_000;

describe("token health", () => {
  const page = { kind: "page" as const, status: "ok" as const };

  it("OK without a known expiry; 'expires in N days' with one; a warning in the last days", () => {
    expect(tokenHealth(page, NOW)).toEqual({ state: "ok" });
    expect(tokenHealth({ ...page, tokenExpiresAt: NOW + 40 * DAY + 1000 }, NOW)).toEqual({
      state: "expires",
      days: 40,
      warn: false,
    });
    expect(tokenHealth({ ...page, tokenExpiresAt: NOW + 3 * DAY + 1000 }, NOW)).toEqual({
      state: "expires",
      days: 3,
      warn: true,
    });
  });

  it("needs sign-in when Facebook refused the token or its expiry has passed", () => {
    expect(tokenHealth({ ...page, status: "needs-signin" }, NOW)).toEqual({ state: "needs-signin" });
    expect(tokenHealth({ ...page, tokenExpiresAt: NOW - 1 }, NOW)).toEqual({ state: "needs-signin" });
  });

  it("the profile has no token, so it is always OK", () => {
    expect(tokenHealth({ kind: "profile", status: "ok" }, NOW)).toEqual({ state: "ok" });
  });
});

describe("views of stored records", () => {
  it("an account's view names it and tells its health, without its token", async () => {
    const view = accountView(await linkPage({ tokenExpiresAt: NOW + DAY }));
    expect(view).toMatchObject({ id: "1001", name: "Acme Bakery", status: "ok" });
    expect(JSON.stringify(view)).not.toContain(PAGE_TOKEN);
  });

  it("an activity-log line carries its time, kind and words, and nothing a record gains later", () => {
    const record = { id: 3, at: NOW, type: "linked" as const, message: "Linked the Page Acme Bakery." };
    expect(eventView({ ...record, secret: "x" } as typeof record)).toEqual(record);
  });
});
