// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Options } from "@/components/Options";
import { Popup } from "@/components/Popup";
import { loadSettings } from "@/lib/settings/store";
import { linkPage } from "../../support/fixtures";
import { realBackground } from "./real-background";
import { fakeSubscription, renderInEnglish } from "./support";

afterEach(cleanup);

describe("the popup and the options page, open together", () => {
  it("keep each other's changes: the options page's older copy does not undo the popup's switch", async () => {
    await linkPage();
    const { apiOf } = realBackground();
    // No pushes reach the options page here, so it holds the settings as they were when it opened.
    const options = renderInEnglish(
      <Options
        api={apiOf("options.html")}
        subscribe={fakeSubscription().subscribe}
        download={vi.fn()}
        copy={vi.fn()}
      />,
    );
    const onSuccess = await within(options.container as HTMLElement).findByRole("checkbox", {
      name: "Tell me when a share is done",
    });
    const popup = renderInEnglish(
      <Popup api={apiOf("popup.html")} subscribe={fakeSubscription().subscribe} openOptions={vi.fn()} />,
    );

    fireEvent.click(await within(popup.container as HTMLElement).findByRole("switch", { name: "Photos" }));
    await waitFor(async () => expect((await loadSettings()).autoShare.photo).toBe(true));
    fireEvent.click(onSuccess);
    await within(options.container as HTMLElement).findByText("Saved.");

    const stored = await loadSettings();
    expect(stored.notifications.onSuccess).toBe(true);
    expect(stored.autoShare.photo).toBe(true);
  });
});
