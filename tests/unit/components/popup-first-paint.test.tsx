// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { Popup } from "@/components/Popup";
import type { PopupState } from "@/lib/messages/views";
import { account, fakeApi, fakeSubscription, job, NOW, renderInEnglish, settings } from "./support";

afterEach(cleanup);

const CONSENTED = settings({ consent: { readInstagram: true, at: 0 } });
const STORED: PopupState = {
  accounts: [account()],
  settings: CONSENTED,
  jobs: [job(1, { state: "queued" }), job(2, { state: "shared" })],
};

/** A promise the test settles: a background still starting, or a store read still running. */
function later<T>() {
  let settle: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

function renderPopup(background: Promise<PopupState>, stored: Promise<PopupState | undefined>) {
  const { api, calls } = fakeApi({ "popup.state": () => background });
  const subscription = fakeSubscription();
  renderInEnglish(
    <Popup
      api={api}
      subscribe={subscription.subscribe}
      peekState={() => stored}
      openOptions={() => undefined}
      now={() => NOW}
    />,
  );
  return { calls, listening: subscription.listening };
}

const states = () => [...document.querySelectorAll(".job .state")].map((state) => state.textContent);

describe("the popup's first paint", () => {
  it("shows the stored accounts and shares while the background is still starting", async () => {
    renderPopup(later<PopupState>().promise, Promise.resolve(STORED));
    expect(await screen.findByRole("heading", { name: "Share automatically" })).toBeTruthy();
    const accounts = screen.getByRole("heading", { name: "Accounts" }).closest("section") as HTMLElement;
    expect(accounts.textContent).toContain("Acme Bakery");
    expect(states()).toEqual(["Queued", "Shared"]);
  });

  it("takes the background's answer over the store's, whichever comes first", async () => {
    const answer: PopupState = {
      ...STORED,
      jobs: [job(1, { state: "shared" }), job(2, { state: "shared" })],
    };
    const background = later<PopupState>();
    const stored = later<PopupState | undefined>();
    renderPopup(background.promise, stored.promise);
    background.settle(answer);
    await waitFor(() => expect(states()).toEqual(["Shared", "Shared"]));
    stored.settle(STORED);
    await stored.promise;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(states()).toEqual(["Shared", "Shared"]);
  });

  it("waits for the background when the store cannot tell", async () => {
    const background = later<PopupState>();
    renderPopup(background.promise, Promise.resolve(undefined));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(states()).toEqual([]);
    background.settle(STORED);
    await waitFor(() => expect(states()).toEqual(["Queued", "Shared"]));
  });

  it("wakes the background only once the stored rows are up, so a stopped one starts after that paint", async () => {
    const stored = later<PopupState | undefined>();
    const { calls, listening } = renderPopup(later<PopupState>().promise, stored.promise);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual([]);
    expect(listening()).toBe(0);
    stored.settle(STORED);
    await waitFor(() => expect(states()).toEqual(["Queued", "Shared"]));
    await waitFor(() => expect(calls.map((call) => call.type)).toEqual(["popup.state"]));
    expect(listening()).toBe(1);
  });

  it("asks the background anyway when its own read of the store never ends", async () => {
    renderPopup(Promise.resolve(STORED), later<PopupState | undefined>().promise);
    await waitFor(() => expect(states()).toEqual(["Queued", "Shared"]));
  });
});
