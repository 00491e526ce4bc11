// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { Popup } from "@/components/Popup";
import { POPUP_POSTS } from "@/components/popup-sizes";
import type { AccountView, PastPostView } from "@/lib/messages/views";
import { account, fakeApi, fakeSubscription, job, NOW, pastPost, renderInEnglish, settings } from "./support";

const IG_USER = "17841400000000001";
const BAKERY = account({ instagram: { state: "linked", id: IG_USER, username: "acme.bakery" } });

function renderPopup(accounts: AccountView[], posts: PastPostView[] = []) {
  /** Whether the popup's own state was on screen when the Instagram list was asked for. */
  let paintedFirst: boolean | undefined;
  const fake = fakeApi({
    "popup.state": () => ({ accounts, settings: settings(), jobs: [] }),
    "instagram.recent": () => {
      paintedFirst = screen.queryByRole("heading", { name: "Share automatically" }) !== null;
      return [{ instagramId: IG_USER, username: "acme.bakery", posts, hasOlder: true }];
    },
    "instagram.sharePast": ({ pageIds, message }) =>
      pageIds.map((id) => job(2, { id: `3002:${id}`, targetId: id, state: "queued", message })),
  });
  const background = fakeSubscription();
  renderInEnglish(
    <Popup api={fake.api} subscribe={background.subscribe} openOptions={() => undefined} now={() => NOW} />,
  );
  return { ...fake, ...background, paintedFirst: () => paintedFirst };
}

afterEach(cleanup);

describe("the popup's recent Instagram posts", () => {
  it("are read after the popup's own state is on screen, a few, with each post's share or its Facebook link", async () => {
    const shared = job(1, { id: "3001:1001", postUrl: "https://www.facebook.com/1001_9" });
    const { calls, paintedFirst } = renderPopup([BAKERY], [pastPost(1, { jobs: [shared] }), pastPost(2)]);
    const section = (await screen.findByRole("heading", { name: "Recent Instagram posts" })).closest(
      "section",
    ) as HTMLElement;
    fireEvent.click(within(section).getByRole("button", { name: "Recent Instagram posts" }));
    await within(section).findByText("Rye day 1 #bakery");
    expect(paintedFirst()).toBe(true);
    expect(calls.map((call) => call.type)).toEqual(["popup.state", "instagram.recent"]);
    expect(calls[1]?.payload).toEqual({ count: POPUP_POSTS });

    const first = within(section).getByText("Rye day 1 #bakery").closest("li") as HTMLElement;
    expect(within(first).getByRole("link", { name: "Open on Facebook" }).getAttribute("href")).toBe(
      "https://www.facebook.com/1001_9",
    );
    expect(within(first).queryByRole("button", { name: "Share to Facebook" })).toBeNull();
    expect(first.querySelector("img")?.getAttribute("src")).toBe(
      "https://scontent.cdninstagram.com/v/t51.29350-15/1_n.jpg",
    );
    // The options' longer list is the place to read further back.
    expect(within(section).queryByRole("button", { name: "Show older posts" })).toBeNull();
  });

  it("share a post with the same choice as the options, and follow its share as it changes", async () => {
    const { calls, push } = renderPopup([BAKERY, account({ id: "1002", name: "Acme Café" })], [pastPost(2)]);
    fireEvent.click(await screen.findByRole("button", { name: "Recent Instagram posts" }));
    const item = (await screen.findByText("Rye day 2 #bakery")).closest("li") as HTMLElement;
    fireEvent.click(within(item).getByRole("button", { name: "Share to Facebook" }));
    fireEvent.click(within(item).getByRole("checkbox", { name: "Acme Café" }));
    expect((within(item).getByLabelText("Facebook text") as HTMLTextAreaElement).value).toBe(
      "Rye day 2 #bakery",
    );
    fireEvent.click(within(item).getByRole("button", { name: "Share" }));
    await within(item).findByText("Queued", { selector: ".state" });
    expect(await screen.findByText("Queued: the post is on its way to Facebook.")).toBeTruthy();
    expect(calls.filter((call) => call.type === "instagram.sharePast").map((call) => call.payload)).toEqual([
      {
        instagramId: IG_USER,
        igMediaId: "17895695668004552",
        pageIds: ["1001"],
        message: "Rye day 2 #bakery",
      },
    ]);

    act(() =>
      push({
        type: "job.changed",
        payload: { job: job(2, { id: "3002:1001", postUrl: "https://www.facebook.com/1001_10" }) },
      }),
    );
    expect(within(item).getByText("Shared", { selector: ".past-share .state" })).toBeTruthy();
    expect(within(item).getByRole("link", { name: "Open on Facebook" }).getAttribute("href")).toBe(
      "https://www.facebook.com/1001_10",
    );
  });

  it("are not read, nor shown, when no Page has an Instagram account", async () => {
    const { calls } = renderPopup([account({ instagram: { state: "none" } })]);
    await screen.findByRole("heading", { name: "Share automatically" });
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(calls.map((call) => call.type)).toEqual(["popup.state"]);
    expect(screen.queryByRole("heading", { name: "Recent Instagram posts" })).toBeNull();
  });
});
