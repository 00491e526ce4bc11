// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { AccountList } from "@/components/AccountList";
import { OPTIONS_POSTS, RecentPostsSection } from "@/components/RecentPostsSection";
import type { InstagramPostsView, PastPostView } from "@/lib/messages/views";
import { account, fakeApi, job, pastPost, renderInEnglish, settings } from "./support";

const BAKERY = account({ instagram: { state: "linked", id: "17841400000000001", username: "acme.bakery" } });
const CAFE = account({ id: "1002", name: "Acme Café" });

/** The options' section, its Instagram list answered by `recent` for the count asked. */
function renderSection(recent: (count: number) => InstagramPostsView[], sectionSettings = settings()) {
  const fake = fakeApi({
    "instagram.recent": ({ count }) => recent(count),
    "instagram.sharePast": ({ pageIds, message }) =>
      pageIds.map((id) => job(1, { id: `3001:${id}`, targetId: id, state: "queued", message })),
  });
  renderInEnglish(
    <RecentPostsSection
      api={fake.api}
      accounts={[BAKERY, CAFE]}
      settings={sectionSettings}
      onSave={() => undefined}
      now={0}
      onNotice={() => undefined}
    />,
  );
  return fake;
}

const bakeryList = (posts: PastPostView[], overrides: Partial<InstagramPostsView> = {}) => [
  { instagramId: "17841400000000001", username: "acme.bakery", posts, hasOlder: false, ...overrides },
];

function renderList(posts: PastPostView[]) {
  return renderSection(() => bakeryList(posts), {
    ...settings(),
    caption: { ...settings().caption, appendPermalink: true },
  });
}

afterEach(cleanup);

describe("the list of recent Instagram posts", () => {
  it("shares an unshared post to the Pages and text chosen, then shows it as queued", async () => {
    const { calls } = renderList([pastPost(1)]);
    const item = (await screen.findByText("Rye day 1 #bakery")).closest("li") as HTMLElement;
    fireEvent.click(within(item).getByRole("button", { name: "Share to Facebook" }));
    const text = within(item).getByLabelText("Facebook text") as HTMLTextAreaElement;
    // The caption after the user's rules: here, the Instagram link appended.
    expect(text.value).toContain("https://www.instagram.com/p/Code1/");
    fireEvent.click(within(item).getByRole("checkbox", { name: "Acme Café" }));
    fireEvent.input(text, { target: { value: "Rye day, at last" } });
    fireEvent.click(within(item).getByRole("button", { name: "Share" }));
    await within(item).findByText("Queued", { selector: ".state" });
    expect(calls.filter((call) => call.type === "instagram.sharePast")).toEqual([
      {
        type: "instagram.sharePast",
        payload: {
          instagramId: "17841400000000001",
          igMediaId: "17895695668004551",
          pageIds: ["1001"],
          message: "Rye day, at last",
        },
      },
    ]);
    // The Café has no share of it yet: it can still be shared there.
    expect(within(item).getByRole("button", { name: "Share to Facebook" })).toBeTruthy();
  });

  it("shows where a post was shared, with its Facebook link, and offers no second share there", async () => {
    const shared = [
      job(2, { id: "3002:1001", postUrl: "https://www.facebook.com/1001_9" }),
      job(2, { id: "3002:1002", targetId: "1002", targetName: "Acme Café" }),
    ];
    renderList([pastPost(2, { jobs: shared })]);
    const item = (await screen.findByText("Rye day 2 #bakery")).closest("li") as HTMLElement;
    expect(within(item).getAllByText("Shared", { selector: ".state" })).toHaveLength(2);
    expect(within(item).getByRole("link", { name: "Open on Facebook" }).getAttribute("href")).toBe(
      "https://www.facebook.com/1001_9",
    );
    expect(within(item).queryByRole("button", { name: "Share to Facebook" })).toBeNull();
  });

  it("shows older posts, as many more each time, until Instagram has none older", async () => {
    const all = Array.from({ length: OPTIONS_POSTS + 3 }, (_, index) => pastPost(index + 1));
    const fake = renderSection((count) => bakeryList(all.slice(0, count), { hasOlder: all.length > count }));
    await screen.findByText(`Rye day ${OPTIONS_POSTS} #bakery`);
    expect(document.querySelectorAll(".past-post")).toHaveLength(OPTIONS_POSTS);
    fireEvent.click(screen.getByRole("button", { name: "Show older posts" }));
    await screen.findByText(`Rye day ${OPTIONS_POSTS + 3} #bakery`);
    expect(document.querySelectorAll(".past-post")).toHaveLength(OPTIONS_POSTS + 3);
    expect(screen.queryByRole("button", { name: "Show older posts" })).toBeNull();
    expect(fake.calls.map((call) => call.payload)).toEqual([
      { count: OPTIONS_POSTS },
      { instagramId: "17841400000000001", count: 2 * OPTIONS_POSTS },
    ]);
  });

  it("says why an account's posts could not be read", async () => {
    renderSection(() => bakeryList([], { error: "Facebook did not let alsoshare read them." }));
    await waitFor(() => expect(screen.getByText("Facebook did not let alsoshare read them.")).toBeTruthy());
  });
});

describe("a linked Page's Instagram account in the accounts list", () => {
  it("names the account, or says there is none, or that the permission is missing", () => {
    renderInEnglish(
      <AccountList
        accounts={[
          BAKERY,
          account({ id: "1002", name: "Acme Café", instagram: { state: "none" } }),
          account({ id: "1003", name: "Acme Deli", instagram: { state: "no-permission" } }),
        ]}
      />,
    );
    const text = (id: string) => document.querySelector(`[data-account-id="${id}"]`)?.textContent;
    expect(text("1001")).toContain("Instagram: @acme.bakery");
    expect(text("1002")).toContain("No Instagram account linked");
    expect(text("1003")).toContain("Instagram: permission not granted (instagram_basic)");
  });
});
