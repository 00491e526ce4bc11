// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POPUP_PAGE, Popup } from "@/components/Popup";
import type { JobView } from "@/lib/messages/views";
import { account, fakeApi, job, NOW, renderInEnglish, settings } from "./support";

afterEach(cleanup);

function renderPopup(
  state: { accounts?: ReturnType<typeof account>[]; jobs?: JobView[] },
  more: JobView[] = [],
) {
  const openOptions = vi.fn();
  const fake = fakeApi({
    "popup.state": () => ({
      accounts: state.accounts ?? [account()],
      settings: settings(),
      jobs: state.jobs ?? [],
    }),
    "jobs.list": () => more,
    "jobs.retry": ({ id }) =>
      ({ ...(state.jobs ?? []).find((item) => item.id === id), state: "queued" }) as JobView,
    "jobs.cancel": ({ id }) =>
      ({ ...(state.jobs ?? []).find((item) => item.id === id), state: "cancelled" }) as JobView,
    "settings.set": ({ settings: next }) => next,
  });
  renderInEnglish(<Popup api={fake.api} openOptions={openOptions} now={() => NOW} />);
  return { ...fake, openOptions };
}

describe("the popup", () => {
  it("on first run, leads to linking a Page", async () => {
    const { openOptions } = renderPopup({ accounts: [] });
    expect(await screen.findByRole("heading", { name: "Welcome to alsoshare" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Link a Facebook Page" }));
    expect(openOptions).toHaveBeenCalledOnce();
    expect(screen.queryByRole("heading", { name: "Share automatically" })).toBeNull();
  });

  it("asks to sign in again when an account needs it", async () => {
    const { openOptions } = renderPopup({
      accounts: [account(), account({ id: "1002", name: "Acme Café", status: "needs-signin" })],
    });
    const callout = (await screen.findByRole("heading", { name: "Sign in again" })).closest(
      "section",
    ) as HTMLElement;
    expect(callout.textContent).toContain("Facebook no longer accepts the sign-in of Acme Café.");
    expect(callout.textContent).not.toContain("Acme Bakery");
    fireEvent.click(within(callout).getByRole("button", { name: "Sign in again" }));
    expect(openOptions).toHaveBeenCalledOnce();
    expect(screen.queryByRole("heading", { name: "Welcome to alsoshare" })).toBeNull();
  });

  it("shows each share's state in words, with its thumbnail, target, time and actions", async () => {
    const jobs: JobView[] = [
      job(1, { state: "queued" }),
      job(2, { state: "sending" }),
      job(3, { state: "shared", postUrl: "https://www.facebook.com/1001_77" }),
      job(4, { state: "failed", error: "Facebook refused the post." }),
      job(5, { state: "needs-signin" }),
      job(6, { state: "cancelled" }),
    ];
    renderPopup({ jobs });
    await screen.findByText("Queued");
    const rows = [...document.querySelectorAll(".job")] as HTMLElement[];
    expect(rows.map((row) => row.querySelector(".state")?.textContent)).toEqual([
      "Queued",
      "Sharing",
      "Shared",
      "Failed",
      "Needs sign-in",
      "Cancelled",
    ]);
    const buttons = rows.map((row) =>
      within(row)
        .queryAllByRole("button")
        .map((button) => button.textContent),
    );
    expect(buttons).toEqual([["Cancel"], [], [], ["Retry"], ["Cancel"], ["Retry"]]);
    const shared = rows[2] as HTMLElement;
    expect(within(shared).getByRole("link", { name: "Open on Facebook" }).getAttribute("href")).toBe(
      "https://www.facebook.com/1001_77",
    );
    expect(within(shared).getByRole("link", { name: "Open on Instagram" }).getAttribute("href")).toBe(
      "https://www.instagram.com/p/Code3/",
    );
    expect(shared.querySelector("img")?.getAttribute("src")).toBe(
      "https://scontent.cdninstagram.com/v/t51/3.jpg",
    );
    expect(shared.textContent).toContain("Acme Bakery");
    expect(shared.textContent).toContain("Photo · 3 minutes ago");
    expect(rows[3]?.textContent).toContain("Facebook refused the post.");
  });

  it("retries a failed share and shows it queued again", async () => {
    const { calls } = renderPopup({ jobs: [job(1, { state: "failed" })] });
    fireEvent.click(await screen.findByRole("button", { name: "Retry" }));
    await screen.findByText("Queued");
    expect(calls.filter((call) => call.type === "jobs.retry")).toEqual([
      { type: "jobs.retry", payload: { id: "3001:1001" } },
    ]);
  });

  it("paints from one small request, and reads older shares only on Show more", async () => {
    const first = Array.from({ length: POPUP_PAGE }, (_, index) => job(index));
    const older = Array.from({ length: POPUP_PAGE }, (_, index) => job(POPUP_PAGE + index));
    const { calls } = renderPopup({ jobs: first }, older);
    await waitFor(() => expect(document.querySelectorAll(".job")).toHaveLength(POPUP_PAGE));
    expect(calls).toEqual([{ type: "popup.state", payload: { limit: POPUP_PAGE } }]);

    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await waitFor(() => expect(document.querySelectorAll(".job")).toHaveLength(2 * POPUP_PAGE));
    const last = first.at(-1) as JobView;
    expect(calls.find((call) => call.type === "jobs.list")?.payload).toEqual({
      limit: POPUP_PAGE + 1,
      createdBefore: last.createdAt + 1,
    });
  });

  it("says so when nothing was shared yet, and offers no Show more", async () => {
    renderPopup({ jobs: [] });
    expect(await screen.findByText(/Nothing shared yet/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("turns auto-share on for one kind of post from its switch", async () => {
    const { calls } = renderPopup({});
    fireEvent.click(await screen.findByRole("switch", { name: "Reels" }));
    await waitFor(() => expect(calls.some((call) => call.type === "settings.set")).toBe(true));
    const saved = calls.find((call) => call.type === "settings.set")?.payload as {
      settings: { autoShare: Record<string, boolean> };
    };
    expect(saved.settings.autoShare).toEqual({
      photo: false,
      carousel: false,
      video: false,
      reel: true,
      story: false,
    });
    expect((screen.getByRole("switch", { name: "Reels" }) as HTMLInputElement).checked).toBe(true);
  });
});
