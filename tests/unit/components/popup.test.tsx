// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Popup } from "@/components/Popup";
import { POPUP_PAGE } from "@/components/popup-sizes";
import type { JobView } from "@/lib/messages/views";
import { applySettingsPatch } from "@/lib/settings/schema";
import { account, fakeApi, fakeSubscription, job, NOW, renderInEnglish, settings } from "./support";

afterEach(cleanup);

/** The user's consent, as the popup's tests mostly assume it given. */
const CONSENTED = settings({ consent: { readInstagram: true, at: 0 } });

function renderPopup(
  state: {
    accounts?: ReturnType<typeof account>[];
    jobs?: JobView[];
    settings?: ReturnType<typeof settings>;
  },
  more: JobView[] = [],
) {
  const openOptions = vi.fn();
  const fake = fakeApi({
    "popup.state": () => ({
      accounts: state.accounts ?? [account()],
      settings: state.settings ?? CONSENTED,
      jobs: state.jobs ?? [],
    }),
    "jobs.list": () => more,
    "jobs.retry": ({ id }) =>
      ({ ...(state.jobs ?? []).find((item) => item.id === id), state: "queued" }) as JobView,
    "jobs.confirmShared": ({ id }) => {
      const {
        error: _,
        awaitsCheck: __,
        ...rest
      } = (state.jobs ?? []).find((item) => item.id === id) as JobView;
      return { ...rest, state: "shared", checkedByUser: true } as JobView;
    },
    "jobs.cancel": ({ id }) =>
      ({ ...(state.jobs ?? []).find((item) => item.id === id), state: "cancelled" }) as JobView,
    "settings.update": ({ patch }) => applySettingsPatch(state.settings ?? CONSENTED, patch),
  });
  const background = fakeSubscription();
  const view = renderInEnglish(
    <Popup api={fake.api} subscribe={background.subscribe} openOptions={openOptions} now={() => NOW} />,
  );
  return { ...fake, ...background, view, openOptions };
}

describe("the popup", () => {
  it("says plainly when nothing is read or shared for want of consent, and leads to where to allow it", async () => {
    const { openOptions } = renderPopup({ settings: settings() });
    expect(await screen.findByRole("heading", { name: "alsoshare is not reading Instagram" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Allow in the options" }));
    expect(openOptions).toHaveBeenCalledOnce();
  });

  it("says nothing of consent once it is given", async () => {
    renderPopup({});
    expect(await screen.findByRole("heading", { name: "Share automatically" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "alsoshare is not reading Instagram" })).toBeNull();
  });

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

  it("offers “It's there” only for a share whose outcome Facebook left unknown, and then shows it Shared, checked by you", async () => {
    const unknown = job(1, {
      state: "failed",
      kind: "video",
      awaitsCheck: true,
      error: "Facebook did not answer, and alsoshare cannot tell whether this video reached Acme Bakery.",
    });
    const refused = job(2, { state: "failed", error: "Facebook refused this post." });
    const { calls } = renderPopup({ jobs: [unknown, refused] });
    await screen.findAllByText("Failed");
    const [first, second] = [...document.querySelectorAll(".job")] as HTMLElement[];
    expect(
      within(first as HTMLElement)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["It's there", "Retry"]);
    expect(within(second as HTMLElement).queryByRole("button", { name: "It's there" })).toBeNull();

    fireEvent.click(within(first as HTMLElement).getByRole("button", { name: "It's there" }));

    await screen.findByText("Shared");
    const row = document.querySelector(".job") as HTMLElement;
    expect(row.textContent).toContain("Checked by you: you found it on the Page, so there is no link.");
    expect(within(row).queryByRole("link", { name: "Open on Facebook" })).toBeNull();
    expect(within(row).queryByRole("button")).toBeNull();
    expect(calls.filter((call) => call.type === "jobs.confirmShared")).toEqual([
      { type: "jobs.confirmShared", payload: { id: "3001:1001" } },
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
    await waitFor(() => expect(calls.some((call) => call.type === "settings.update")).toBe(true));
    // Only the one switch: a change made meanwhile in the options page is not sent back over.
    expect(calls.filter((call) => call.type === "settings.update")).toEqual([
      { type: "settings.update", payload: { patch: { autoShare: { reel: true } } } },
    ]);
    expect((screen.getByRole("switch", { name: "Reels" }) as HTMLInputElement).checked).toBe(true);
  });

  const stateOf = (index: number) =>
    document.querySelectorAll(".job .state")[index]?.textContent ?? "(no row)";

  it("shows a share's new state as soon as the background pushes it, without asking", async () => {
    const { calls, push } = renderPopup({ jobs: [job(1, { state: "sending" }), job(2)] });
    await screen.findByText("Sharing");
    act(() =>
      push({
        type: "job.changed",
        payload: { job: job(1, { state: "shared", postUrl: "https://www.facebook.com/1001_9" }) },
      }),
    );
    expect(stateOf(0)).toBe("Shared");
    expect(screen.getAllByRole("link", { name: "Open on Facebook" })[0]?.getAttribute("href")).toBe(
      "https://www.facebook.com/1001_9",
    );
    expect(document.querySelectorAll(".job")).toHaveLength(2);
    expect(calls.map((call) => call.type)).toEqual(["popup.state"]);
  });

  it("puts a new share pushed by the background at the top", async () => {
    const { calls, push } = renderPopup({ jobs: [job(1), job(2)] });
    await waitFor(() => expect(document.querySelectorAll(".job")).toHaveLength(2));
    act(() => push({ type: "job.changed", payload: { job: job(0, { state: "queued", message: "New" }) } }));
    expect([0, 1, 2].map(stateOf)).toEqual(["Queued", "Shared", "Shared"]);
    expect(document.querySelector(".job a")?.getAttribute("href")).toBe("https://www.instagram.com/p/Code0/");
    expect(calls.map((call) => call.type)).toEqual(["popup.state"]);
  });

  it("follows pushed accounts and settings, and reads everything again when data was replaced", async () => {
    const { calls, push } = renderPopup({});
    await screen.findByRole("switch", { name: "Reels" });
    act(() =>
      push({
        type: "settings.changed",
        payload: { settings: settings({ autoShare: { ...settings().autoShare, reel: true } }) },
      }),
    );
    expect((screen.getByRole("switch", { name: "Reels" }) as HTMLInputElement).checked).toBe(true);
    act(() =>
      push({
        type: "accounts.changed",
        payload: { accounts: [account({ status: "needs-signin" })] },
      }),
    );
    expect(screen.getByRole("heading", { name: "Sign in again" })).toBeTruthy();

    act(() => push({ type: "data.replaced", payload: {} }));
    await waitFor(() => expect(calls.map((call) => call.type)).toEqual(["popup.state", "popup.state"]));
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Sign in again" })).toBeNull());
  });

  it("stops listening when it closes", async () => {
    const { view, listening } = renderPopup({});
    await screen.findByRole("switch", { name: "Reels" });
    expect(listening()).toBe(1);
    act(() => {
      view.unmount();
    });
    expect(listening()).toBe(0);
  });
});
