// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LinkWizard } from "@/components/LinkWizard";
import type { PermissionCheck } from "@/lib/messages/link-checks";
import type { AccountView, SignInCheckView } from "@/lib/messages/views";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { account, fakeApi, renderInEnglish } from "./support";

afterEach(cleanup);

const REDIRECT = "https://ourextensionid.chromiumapp.org/";

const check = (scope: PermissionCheck["scope"], state: PermissionCheck["state"]): PermissionCheck => {
  const blocks = {
    pages_show_list: "listing-pages",
    pages_manage_posts: "posting",
    pages_read_engagement: "posting-and-finding",
    publish_video: "reels",
    instagram_basic: "past-posts",
  } as const;
  return { scope, state, required: scope !== "instagram_basic", blocks: blocks[scope] };
};

function renderWizard(
  handlers: Parameters<typeof fakeApi>[0] = {},
  accounts: AccountView[] = [],
  caption = DEFAULT_SETTINGS.caption,
) {
  const copy = vi.fn(async () => undefined);
  const onNotice = vi.fn();
  const fake = fakeApi({
    "accounts.app": () => ({ appId: "987654321012345", hasSecret: false, redirectUrl: REDIRECT }),
    ...handlers,
  });
  renderInEnglish(
    <LinkWizard api={fake.api} accounts={accounts} onNotice={onNotice} copy={copy} caption={caption} />,
  );
  return { ...fake, copy, onNotice };
}

const appIdCheck = () => document.querySelector("#app-id-check")?.textContent ?? "";

describe("the linking wizard", () => {
  it("judges the App ID as it is typed, and saves only one that can be an App ID", async () => {
    renderWizard();
    const field = (await screen.findByDisplayValue("987654321012345")) as HTMLInputElement;
    expect(appIdCheck()).toBe("Looks like an App ID: 15 digits.");

    fireEvent.input(field, { target: { value: "my-app-123" } });
    expect(appIdCheck()).toMatch(/^An App ID is only digits \(0–9\)\./);
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByRole("button", { name: "Save app" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.input(field, { target: { value: "0123456789abcdef0123456789abcdef" } });
    expect(appIdCheck()).toMatch(/^This looks like the App Secret, not the App ID\./);

    fireEvent.input(field, { target: { value: "123456789" } });
    expect(appIdCheck()).toMatch(/usually have 15 or 16 digits; this one has 9/);
    expect((screen.getByRole("button", { name: "Save app" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("copies this browser's redirect URL and says so", async () => {
    const { copy } = renderWizard();
    await screen.findByText(REDIRECT);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await screen.findByText("Copied. Paste it into your Meta app.");
    expect(copy).toHaveBeenCalledWith(REDIRECT);
  });

  it("reports a declined permission with what it blocks, and a Page without content access by name", async () => {
    const report: SignInCheckView = {
      outcome: "checked",
      permissions: [
        check("pages_show_list", "granted"),
        check("pages_manage_posts", "declined"),
        check("pages_read_engagement", "granted"),
        check("publish_video", "granted"),
        check("instagram_basic", "missing"),
      ],
      pages: [
        { id: "1001", name: "Acme Bakery", canPost: true, linked: false, canCreateContent: true },
        { id: "1003", name: "Acme Analytics", canPost: false, linked: false, canCreateContent: false },
      ],
    };
    renderWizard({ "accounts.checkSignIn": () => report });
    fireEvent.click(await screen.findByRole("button", { name: "Connect Facebook" }));
    const declined = await screen.findByText("declined at sign-in");
    expect(declined.closest("li")?.textContent).toContain("Without it, alsoshare cannot post to your Pages.");
    expect(screen.getByText(/^Posting cannot work without the permissions above/)).toBeTruthy();
    expect(
      screen.getByText(/^You cannot post to Acme Analytics: your role on it does not include/),
    ).toBeTruthy();
    // Nothing to pick while posting could not work.
    expect(document.querySelector(".page-picker")).toBeNull();
  });

  it("names the other Meta app a sign-in was made for", async () => {
    renderWizard({ "accounts.checkSignIn": () => ({ outcome: "other-app", appId: "111111111111111" }) });
    fireEvent.click(await screen.findByRole("button", { name: "Connect Facebook" }));
    await screen.findByText(
      /^Facebook signed you in to another Meta app \(App ID 111111111111111\), not the App ID saved here \(987654321012345\)\./,
    );
  });

  it("after a sign-in window closed early, points at the App ID and the redirect URL", async () => {
    renderWizard({
      "accounts.checkSignIn": () => ({
        outcome: "failed",
        reason: "cancelled",
        message: "Facebook sign-in was closed before it finished, so nothing was linked.",
      }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Connect Facebook" }));
    await screen.findByText("Facebook sign-in was closed before it finished, so nothing was linked.");
    expect(
      screen.getByText(/^If Facebook showed an error such as “Invalid App ID” or “URL blocked”/),
    ).toBeTruthy();
  });

  it("tells a pasted user token apart from a Page token", async () => {
    renderWizard({ "accounts.checkToken": () => ({ kind: "user", name: "Dana Baker" }) });
    fireEvent.input(await screen.findByLabelText("Page access token"), {
      target: { value: "EAAUserTokenShort1" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Check token" }));
    await screen.findByText(/^This is a user access token \(for Dana Baker\), not a Page token/);
  });

  it("shows a pasted Page token's Page, permissions and expiry", async () => {
    renderWizard({
      "accounts.checkToken": () => ({
        kind: "page",
        pageId: "1001",
        pageName: "Acme Bakery",
        permissions: [check("pages_manage_posts", "granted"), check("publish_video", "missing")],
      }),
    });
    fireEvent.input(await screen.findByLabelText("Page access token"), {
      target: { value: "EAAPageToken1001" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Check token" }));
    await screen.findByText("A Page access token for Acme Bakery.");
    expect(screen.getByText(/^It does not expire/)).toBeTruthy();
    expect(screen.getByText("Without it, reels and videos cannot be shared.")).toBeTruthy();
    // The Page just checked can be previewed before it is linked.
    expect(document.querySelector("#share-preview-page")?.textContent).toBe("Acme Bakery");
  });

  it("previews a share with the caption rules and the Page's name, and sends nothing", async () => {
    const { calls } = renderWizard({}, [account({ id: "1001", name: "Acme Bakery" })], {
      ...DEFAULT_SETTINGS.caption,
      hashtags: "drop",
      mentions: "link",
    });
    await screen.findByText(REDIRECT);
    expect(document.querySelector("#share-preview-page")?.textContent).toBe("Acme Bakery");
    const text = () => document.querySelector("#share-preview-text")?.textContent ?? "";
    expect(text()).toBe("Fresh sourdough this morning 🍞 thanks to instagram.com/acme.baker");
    fireEvent.input(screen.getByLabelText("Sample Instagram caption"), { target: { value: "Rye day #rye" } });
    await waitFor(() => expect(text()).toBe("Rye day"));
    expect(calls.map((call) => call.type)).toEqual(["accounts.app"]);
  });
});
